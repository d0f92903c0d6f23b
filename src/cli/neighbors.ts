/**
 * `socket-lab neighbors [--json] [--watch] [--interval MS]`: this machine's neighbour table (ARP /
 * NDP): which MAC answers for which address, with the maker from the MAC's first half. With
 * --watch it is printed again whenever it changes, new rows marked, until SIGINT or SIGTERM.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import { parseArgs } from 'node:util'
import type { Writable } from 'node:stream'
import type { NeighborRow } from '../shared/contract'
import { parseArpA, parseArpAn, parseIpNeigh, parseProcArp, readNeighbors } from '../main/engine/inspector/neighbors'
import { decodeConsole } from '../main/engine/inspector/netstat-windows'
import { readInput } from './input'
import { int, MAX_TIMER_MS } from './flags'

export const NEIGHBORS_USAGE = `Usage: socket-lab neighbors [--json] [--watch] [--interval MS]
  This machine's neighbour table (Linux ip neigh, macOS arp -an, Windows arp -a): which MAC
  answers for which address. --watch prints it again whenever it changes (new rows marked +).
  With --json each row is {"ip":…,"mac":…,"interface":…,"state":…}.
       socket-lab neighbors --input FILE|- [--format windows|bsd|linux] [--json]
  A table printed on another machine (arp -a in any language and code page, arp -an, ip neigh,
  /proc/net/arp): the same rows, then {"event":"parsed","format":…,"rows":N}.`

const FORMATS = ['windows', 'bsd', 'linux'] as const
type Format = (typeof FORMATS)[number]

/** Which neighbour table the text is, by its shape. */
export function guessNeighborFormat(text: string): Format | undefined {
  if (/^\S.*---\s*0x[0-9a-f]+/im.test(text)) return 'windows'
  if (/^\S*\s*\([\d.:a-f]+\)\s+at\s/im.test(text)) return 'bsd'
  if (/^IP address\s+HW type/m.test(text) || /^\S+\s+dev\s+\S+/m.test(text)) return 'linux'
  return undefined
}

function parseNeighbors(text: string, f: Format): NeighborRow[] {
  if (f === 'windows') return parseArpA(text)
  if (f === 'bsd') return parseArpAn(text)
  return /^IP address\s+HW type/m.test(text) ? parseProcArp(text) : parseIpNeigh(text)
}

async function runInput(
  o: { input: string; format?: string; json: boolean },
  out: Writable,
  err: Writable,
  stdin: NodeJS.ReadableStream,
): Promise<number> {
  if (o.format !== undefined && !FORMATS.includes(o.format as Format)) {
    err.write(`socket-lab neighbors: --format must be one of ${FORMATS.join(', ')} (got "${o.format}")\n`)
    return 2
  }
  let text: string
  try {
    text = decodeConsole(await readInput(o.input, stdin)).text
  } catch (e) {
    err.write(`socket-lab neighbors: ${o.input}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}\n`)
    return 2
  }
  const f = (o.format as Format | undefined) ?? guessNeighborFormat(text)
  const rows = f ? parseNeighbors(text, f) : []
  if (!f || !rows.length) {
    err.write(`socket-lab neighbors: ${o.input}: no neighbour table found in it: give --format windows, bsd or linux\n`)
    return 2
  }
  for (const r of rows)
    out.write(
      o.json
        ? JSON.stringify({ ip: r.ip, mac: r.mac, interface: r.interface, state: r.state }) + '\n'
        : `  ${r.ip.padEnd(39)} ${(r.mac ?? '(none)').padEnd(17)}  ${r.interface.padEnd(15)} ${r.state}\n`,
    )
  out.write(
    o.json
      ? JSON.stringify({ event: 'parsed', format: f, rows: rows.length }) + '\n'
      : `# ${rows.length} entries (${f})\n`,
  )
  return 0
}

const key = (r: NeighborRow): string => `${r.ip} ${r.interface} ${r.mac ?? ''} ${r.state}`

export async function runNeighbors(
  argv: string[],
  out: Writable,
  err: Writable,
  signal: AbortSignal,
  stdin: NodeJS.ReadableStream = process.stdin,
): Promise<number> {
  let o
  try {
    o = parseArgs({
      args: argv,
      strict: true,
      options: {
        json: { type: 'boolean', default: false },
        watch: { type: 'boolean', default: false },
        interval: { type: 'string', default: '1000' },
        input: { type: 'string' },
        format: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }).values
  } catch (e) {
    err.write(`socket-lab neighbors: ${(e as Error).message}\n\n${NEIGHBORS_USAGE}\n`)
    return 2
  }
  if (o.help) return (out.write(NEIGHBORS_USAGE + '\n'), 0)
  if (o.input !== undefined) {
    if (o.watch) {
      err.write('socket-lab neighbors: --input reads a saved table: --watch does not apply\n')
      return 2
    }
    return runInput({ input: o.input, format: o.format, json: o.json }, out, err, stdin)
  }
  if (o.format !== undefined) {
    err.write('socket-lab neighbors: --format goes with --input\n')
    return 2
  }
  let interval: number
  try {
    interval = int(o.interval, 'interval', 1000, 100, MAX_TIMER_MS)
  } catch (e) {
    err.write(`socket-lab neighbors: ${(e as Error).message} (ms)\n`)
    return 2
  }
  let seen: Set<string> | undefined
  let last = ''
  do {
    const t = await readNeighbors()
    const now = t.rows.map(key).join('\n')
    if (now !== last || !seen) {
      for (const r of t.rows) {
        const fresh = seen !== undefined && !seen.has(r.ip)
        if (o.json)
          out.write(
            JSON.stringify({
              ip: r.ip,
              mac: r.mac,
              interface: r.interface,
              state: r.state,
              ...(fresh ? { new: true } : {}),
            }) + '\n',
          )
        else
          out.write(
            `${fresh ? '+' : ' '} ${r.ip.padEnd(39)} ${(r.mac ?? '(none)').padEnd(17)}  ${r.interface.padEnd(15)} ${r.state}\n`,
          )
      }
      if (!o.json) out.write(`# ${t.source}: ${t.rows.length} entries\n`)
      seen = new Set(t.rows.map((r) => r.ip))
      last = now
    }
    if (!o.watch) break
    await sleep(interval, undefined, { signal }).catch(() => undefined)
  } while (!signal.aborted)
  return 0
}
