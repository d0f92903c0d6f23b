import type { SocketView } from '../stores/lab'

/** What a learner should see a backlog-demo client doing. */
export type ClientPhase = 'connecting' | 'waiting' | 'serving' | 'done' | 'timedOut' | 'refused' | 'reset' | 'closed'

const ERROR_PHASES: Record<string, ClientPhase> = {
  ETIMEDOUT: 'timedOut',
  ECONNREFUSED: 'refused',
  ECONNRESET: 'reset',
}

/** The server's connection for this client: the one whose remote end is the client's local end. */
export function connFor(client: SocketView, conns: SocketView[]): SocketView | undefined {
  const l = client.info.local
  if (!l) return undefined
  return conns.find((c) => c.info.remote?.port === l.port && c.info.remote.address === l.address)
}

export function clientPhase(client: SocketView, conn: SocketView | undefined): ClientPhase {
  if (conn?.times.done !== undefined) return 'done'
  if (conn?.times.served !== undefined) return 'serving'
  const byError = client.error && ERROR_PHASES[client.error.code]
  if (byError) return byError
  if (client.info.state === 'connecting') return 'connecting'
  if (client.info.state === 'closed') return 'closed'
  return 'waiting'
}

/** Elapsed ms from `from` to `to`, for "connected after 12 ms"-style labels. */
export function since(from: number | undefined, to: number | undefined): string {
  return from === undefined || to === undefined ? '—' : `+${Math.max(0, Math.round(to - from))} ms`
}
