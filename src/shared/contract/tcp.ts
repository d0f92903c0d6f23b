/** TCP: servers (the course's server programs), clients, and what a capturing client received. */
import type { Encoding } from './common'

/** How an engine TCP server answers its clients (the course's server programs). */
export type ServerMode = 'plain' | 'serial' | 'threaded' | 'room'
export type AutoReply = 'none' | 'echo' | 'hello'
export const SERVER_MODES: readonly ServerMode[] = ['plain', 'serial', 'threaded', 'room']
export const AUTO_REPLIES: readonly AutoReply[] = ['none', 'echo', 'hello']

export interface TcpListenReq {
  host: string
  port: number
  backlog?: number
  mode?: ServerMode
  reply?: AutoReply
  encoding?: Exclude<Encoding, 'hex'>
  /** Rules that answer (`MATCH=>REPLY`, src/shared/rules.ts), tried on each read before the
   * mode's own reply; the first that matches answers. */
  rules?: string[]
}
export interface TcpConnectReq {
  host: string
  port: number
  timeoutMs?: number
  /** Sent (UTF-8) as soon as the connection is up, as a course client's first send(). */
  greeting?: string
  /** Keep every received byte (up to `LIMITS.maxCaptureBytes`) for `tcp:received`: the HTTP
   * preset's `b''.join(buffer)`. Kept after the socket closes, until the owner goes. */
  capture?: boolean
}
/** A listen request with its defaults filled in (rules stay optional: none by default). */
export type ListenSpec = Required<Omit<TcpListenReq, 'rules'>> & { rules?: string[] }
/** "Add N clients": N connect() calls at once, each its own socket (the backlog demo). */
export interface TcpConnectManyReq extends TcpConnectReq {
  count: number
}
/** What a capturing client received, whole (base64). */
export interface Received {
  data: string
  bytes: number
  /** False when the capture stopped at `LIMITS.maxCaptureBytes`. */
  complete: boolean
}
