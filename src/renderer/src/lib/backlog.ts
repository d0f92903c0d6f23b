import type { SocketView } from '../stores/lab'
import { endpoint } from './format'

/** What a learner should see a backlog-demo client doing. */
export const PHASES = [
  'connecting',
  'retrying',
  'waiting',
  'limbo',
  'serving',
  'done',
  'timedOut',
  'refused',
  'reset',
  'closed',
] as const
export type ClientPhase = (typeof PHASES)[number]

const ERROR_PHASES: Record<string, ClientPhase> = {
  ETIMEDOUT: 'timedOut',
  ECONNREFUSED: 'refused',
  ECONNRESET: 'reset',
  // Windows' WSAECONNABORTED after a peer's abort: a reset too
  ECONNABORTED: 'reset',
}

/** Indexes the server's connections by their remote port (the client's local port). */
export function connIndex(conns: SocketView[]): Map<number, SocketView[]> {
  const m = new Map<number, SocketView[]>()
  for (const c of conns) {
    const r = c.info.remote
    if (!r) continue
    const list = m.get(r.port)
    if (list) list.push(c)
    else m.set(r.port, [c])
  }
  return m
}

/** The server's connection for this client: the one whose remote end is the client's local end. */
export function connFor(client: SocketView, index: Map<number, SocketView[]>): SocketView | undefined {
  const l = client.info.local
  return l && index.get(l.port)?.find((c) => c.info.remote!.address === l.address)
}

const PRIORITY: Record<ClientPhase, number> = {
  serving: 0,
  waiting: 1,
  limbo: 1,
  connecting: 2,
  retrying: 2,
  timedOut: 3,
  refused: 3,
  reset: 3,
  closed: 4,
  done: 5,
}

/** The clients worth a full card when there are many: the one served, the waiting, then the rest. */
export function featured<T extends { phase: ClientPhase }>(clients: T[], limit: number): T[] {
  if (clients.length <= limit) return clients
  return [...clients].sort((a, b) => PRIORITY[a.phase] - PRIORITY[b.phase]).slice(0, limit)
}

/** Linux's first SYN retransmission comes after 1 s: a client still connecting then had its SYN dropped. */
const FIRST_SYN_RETRY_MS = 1000

/**
 * What the client is doing, reconciled with the kernel's own table where the OS gives it (the
 * server's latest queue reading): a client that believes it is connected but whose handshake the
 * server has not finished (SYN_RECV there) is not waiting in the accept queue.
 */
export function clientPhase(
  client: SocketView,
  conn: SocketView | undefined,
  queue?: SocketView['queue'],
  now = performance.timeOrigin + performance.now(),
): ClientPhase {
  if (conn?.times.done !== undefined) return 'done'
  if (conn?.times.served !== undefined) return 'serving'
  const byError = client.error && ERROR_PHASES[client.error.code]
  if (byError) return byError
  if (client.info.state === 'connecting') {
    const late = now - client.times.created > FIRST_SYN_RETRY_MS
    return late && queue?.synSent ? 'retrying' : 'connecting'
  }
  if (client.info.state === 'closed') return 'closed'
  const port = client.info.local?.port
  if (!conn && port !== undefined && queue?.synRecv?.includes(port)) return 'limbo'
  return 'waiting'
}

/** One place in the accept queue as drawn: an app client waiting there, a client the app did not
 * open (counted by the kernel, its address unknown until accepted), or a free slot. */
export type QueueCell =
  | { kind: 'app'; key: string; id: string; label: string }
  | { kind: 'external'; key: string; port?: number }
  | { kind: 'empty'; key: string }

/**
 * The queue's cells: `filled` of them taken (the app's own waiting clients first, in the order
 * they connected, then external ones), the rest of the `slots` free. A client's cell is keyed by
 * the client, so when the head is accepted the queue moves along by one cell, not by relabelling
 * every cell behind it.
 */
export function queueCells(
  slots: number,
  filled: number,
  waiting: SocketView[],
  /** The client ports the kernel has in the queue (Linux), the app's own among them. */
  queuedPorts: readonly number[] = [],
): QueueCell[] {
  const mine = new Set(waiting.map((c) => c.info.local?.port))
  // the callers the app did not open (a student's script), identified by their port
  const others = queuedPorts.filter((p) => !mine.has(p))
  let nextOther = 0
  return Array.from({ length: Math.max(slots, filled) }, (_, i): QueueCell => {
    if (i >= filled) return { kind: 'empty', key: `e${i}` }
    const c = waiting[i]
    return c
      ? {
          kind: 'app',
          key: c.info.id,
          id: c.name ?? c.info.id,
          label: `${c.name ?? c.info.id} ${endpoint(c.info.local)}`,
        }
      : (() => {
          const port = others[nextOther++]
          return port === undefined ? { kind: 'external', key: `x${i}` } : { kind: 'external', key: `p${port}`, port }
        })()
  })
}

/** Elapsed ms from `from` to `to`, for "connected after 12 ms"-style labels. */
export function since(from: number | undefined, to: number | undefined): string {
  return from === undefined || to === undefined ? '—' : `+${Math.max(0, Math.round(to - from))} ms`
}
