/** TCP: servers (the course's server programs), clients, and what a capturing client received. */
import type { Encoding } from './common'

/** How an engine TCP server answers its clients (the course's server programs). */
export type ServerMode = 'plain' | 'serial' | 'threaded' | 'room'
export type AutoReply = 'none' | 'echo' | 'hello'
export const SERVER_MODES: readonly ServerMode[] = ['plain', 'serial', 'threaded', 'room']
export const AUTO_REPLIES: readonly AutoReply[] = ['none', 'echo', 'hello']

/** A TLS server's certificate and key (PEM); the lab's own certificate when not given. */
export interface TlsServerOptions {
  cert?: string
  key?: string
}
/** A TLS client: verify with the system's CAs, trust a certificate (PEM), or connect anyway and
 * be told why it would have failed. */
export interface TlsClientOptions {
  trust: 'verify' | 'ca' | 'insecure'
  ca?: string
  /** SNI; the host when it is a name (none is sent for an IP address). */
  servername?: string
  alpn?: string[]
}
/** A certificate as the handshake card shows it. */
export interface TlsCert {
  subject: string
  issuer: string
  subjectaltname: string
  valid_from: string
  valid_to: string
  fingerprint256: string
}

/** The lab's own certificate: what students trust (the PEM) and compare (the fingerprint). */
export interface LabCertInfo {
  certPem: string
  fingerprint256: string
  names: string[]
  validTo: string
}

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
  /** Speak TLS on each connection (plain and course modes; not the backlog demo's serial server). */
  tls?: TlsServerOptions
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
  tls?: TlsClientOptions
}
/** A listen request with its defaults filled in (rules and TLS stay optional). */
export type ListenSpec = Required<Omit<TcpListenReq, 'rules' | 'tls'>> & { rules?: string[]; tls?: TlsServerOptions }
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
