/**
 * `socket-lab neighbors [--json] [--watch] [--interval MS]`: this machine's neighbour table (ARP /
 * NDP): which MAC answers for which address, with the maker from the MAC's first half. With
 * --watch it is printed again whenever it changes, new rows marked, until SIGINT or SIGTERM.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import { parseArgs } from 'node:util'
import type { Writable } from 'node:stream'
import type { NeighborRow } from '../shared/contract'
import { readNeighbors } from '../main/engine/inspector/neighbors'

export const NEIGHBORS_USAGE = `Usage: socket-lab neighbors [--json] [--watch] [--interval MS]
  This machine's neighbour table (Linux ip neigh, macOS arp -an, Windows arp -a): which MAC
  answers for which address. --watch prints it again whenever it changes (new rows marked +).
  With --json each row is {"ip":…,"mac":…,"interface":…,"state":…}.`

const key = (r: NeighborRow): string => `${r.ip} ${r.interface} ${r.mac ?? ''} ${r.state}`

export async function runNeighbors(argv: string[], out: Writable, err: Writable, signal: AbortSignal): Promise<number> {
  let o
  try {
    o = parseArgs({
      args: argv,
      strict: true,
      options: {
        json: { type: 'boolean', default: false },
        watch: { type: 'boolean', default: false },
        interval: { type: 'string', default: '1000' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }).values
  } catch (e) {
    err.write(`socket-lab neighbors: ${(e as Error).message}\n\n${NEIGHBORS_USAGE}\n`)
    return 2
  }
  if (o.help) return (out.write(NEIGHBORS_USAGE + '\n'), 0)
  const interval = Number(o.interval)
  if (!Number.isInteger(interval) || interval < 100) {
    err.write('socket-lab neighbors: --interval must be a whole number of ms from 100\n')
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
