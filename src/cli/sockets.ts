/**
 * `socket-lab sockets`: the OS socket table as the inspector reads it. Lab-relevant rows are
 * those of Socket Lab processes (Linux: found by their sockets' inodes under /proc) and of the
 * ports given with --port; --all shows everything.
 */
import type { Writable } from 'node:stream'
import type { OsSocket } from '../shared/contract'
import { formatEndpoint } from '../shared/endpoint'
import { readInput } from './input'
import { labInodes, readOsSockets } from '../main/engine/inspector/os-sockets'
import { NotATable, parseCapture, type CaptureFormat } from '../main/engine/inspector/parse-capture'

export interface SocketsOptions {
  /** A saved table to parse instead of this machine's ('-': stdin). */
  input?: string
  format?: CaptureFormat
  encoding?: string
  all: boolean
  ports: number[]
  watch: boolean
  intervalMs: number
  json: boolean
}

async function table(o: SocketsOptions): Promise<{ source: string; rows: OsSocket[]; note?: string }> {
  const t: Awaited<ReturnType<typeof readOsSockets>> & { note?: string } = await readOsSockets()
  if (t.partial) t.note = "macOS lists only this user's sockets: other users' are missing (run with sudo for all)"
  if (o.all) return t
  const byPort = (r: OsSocket): boolean => o.ports.includes(r.local.port) || o.ports.includes(r.remote.port)
  if (t.source !== '/proc/net') {
    if (o.ports.length) return { ...t, rows: t.rows.filter(byPort) }
    const only = 'finding Socket Lab processes is Linux-only here: showing every socket (use --port to narrow)'
    return { ...t, note: [t.note, only].filter(Boolean).join('; ') }
  }
  const inodes = await labInodes()
  const rows = t.rows
    .filter((r) => (r.inode !== undefined && inodes.has(r.inode)) || byPort(r))
    .map((r) => {
      const pid = r.inode !== undefined ? inodes.get(r.inode) : undefined
      return pid === undefined ? r : { ...r, pid }
    })
  return { ...t, rows }
}

function text(rows: OsSocket[]): string {
  const head = ['proto', 'local', 'remote', 'state', 'send-q', 'recv-q', 'pid']
  const body = rows.map((r) => [
    r.proto,
    formatEndpoint(r.local),
    formatEndpoint(r.remote),
    r.word ? `${r.state} (${r.word})` : r.state,
    String(r.sendQ ?? '-'),
    String(r.recvQ ?? '-'),
    String(r.pid ?? ''),
  ])
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)))
  return (
    [head, ...body]
      .map((cols) =>
        cols
          .map((c, i) => c.padEnd(widths[i]!))
          .join('  ')
          .trimEnd(),
      )
      .join('\n') + '\n'
  )
}

/** A table from another machine: every row, states in the course's names. */
async function runInput(
  o: SocketsOptions & { input: string },
  out: Writable,
  err: Writable,
  stdin: NodeJS.ReadableStream,
): Promise<number> {
  let parsed
  try {
    parsed = parseCapture(await readInput(o.input, stdin), { format: o.format, encoding: o.encoding })
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code
    const hint = e instanceof NotATable ? ': give --format windows, bsd or proc' : ''
    err.write(`socket-lab: ${o.input}: ${(e as Error).message}${hint}\n`)
    return code ? 1 : 2
  }
  const { format, encoding, rows, unrecognized } = parsed
  if (o.json) {
    for (const r of rows) {
      const row: Record<string, unknown> = {
        event: 'socket',
        proto: r.family === 'IPv6' ? `${r.proto}6` : r.proto,
        local: r.local,
        remote: r.remote,
        state: r.state,
      }
      if (r.word) row['word'] = r.word
      if (r.pid !== undefined) row['pid'] = r.pid
      if (r.recvQ !== null) row['recvQ'] = r.recvQ
      if (r.sendQ !== null) row['sendQ'] = r.sendQ
      out.write(JSON.stringify(row) + '\n')
    }
    out.write(JSON.stringify({ event: 'parsed', format, encoding, rows: rows.length, unrecognized }) + '\n')
  } else {
    out.write(`# ${o.input}: ${format} table (${encoding}), ${rows.length} rows\n${text(rows)}`)
    if (unrecognized.length) out.write(`# state words not recognised (shown as UNKNOWN): ${unrecognized.join(', ')}\n`)
  }
  return 0
}

/** Prints once, or on every change until `signal` fires; or parses a saved table (`input`). */
export async function runSockets(
  o: SocketsOptions,
  out: Writable,
  signal: AbortSignal,
  err: Writable = process.stderr,
  stdin: NodeJS.ReadableStream = process.stdin,
): Promise<number> {
  if (o.input !== undefined) return runInput({ ...o, input: o.input }, out, err, stdin)
  let last = ''
  do {
    const t = await table(o)
    const key = JSON.stringify(t.rows.map((r) => [r.proto, r.local, r.remote, r.state]))
    if (key !== last) {
      last = key
      const rows = t.rows.map((r) => {
        const copy = { ...r }
        delete copy.inode // an internal link to /proc, not for output
        return copy
      })
      if (o.json) {
        out.write(JSON.stringify({ event: 'sockets', source: t.source, t: Date.now(), rows, note: t.note }) + '\n')
      } else {
        out.write(`# ${t.source}${t.note ? ` (${t.note})` : ''} at ${new Date().toISOString()}\n${text(rows)}`)
      }
    }
    if (!o.watch) break
    await new Promise((r) => {
      const timer = setTimeout(r, o.intervalMs)
      signal.addEventListener('abort', () => (clearTimeout(timer), r(undefined)), { once: true })
    })
  } while (!signal.aborted)
  return 0
}
