/**
 * `socket-lab sockets`: the OS socket table as the inspector reads it. Lab-relevant rows are
 * those of Socket Lab processes (Linux: found by their sockets' inodes under /proc) and of the
 * ports given with --port; --all shows everything.
 */
import type { Writable } from 'node:stream'
import type { OsSocket } from '../shared/contract'
import { formatEndpoint } from '../shared/endpoint'
import { labInodes, readOsSockets } from '../main/engine/inspector/os-sockets'

export interface SocketsOptions {
  all: boolean
  ports: number[]
  watch: boolean
  intervalMs: number
  json: boolean
}

async function table(o: SocketsOptions): Promise<{ source: string; rows: OsSocket[]; note?: string }> {
  const t = await readOsSockets()
  if (o.all) return t
  const byPort = (r: OsSocket): boolean => o.ports.includes(r.local.port) || o.ports.includes(r.remote.port)
  if (t.source !== '/proc/net') {
    if (o.ports.length) return { ...t, rows: t.rows.filter(byPort) }
    return {
      ...t,
      note: 'finding Socket Lab processes is Linux-only here: showing every socket (use --port to narrow)',
    }
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
    r.state,
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

/** Prints once, or on every change until `signal` fires. */
export async function runSockets(o: SocketsOptions, out: Writable, signal: AbortSignal): Promise<number> {
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
