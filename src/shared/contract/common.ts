/** What every capability shares: addresses, encodings, a send, an id, the error envelope and the limits. */

export type Family = 'IPv4' | 'IPv6'
export type Encoding = 'utf-8' | 'gbk' | 'hex'
export type Transport = 'tcp' | 'udp'

export const ENCODINGS: readonly Encoding[] = ['utf-8', 'gbk', 'hex']

export interface Endpoint {
  address: string
  port: number
  family: Family
}

export interface SendReq {
  id: string
  data: string
  encoding: Encoding
  /** TCP: send the same bytes this many times back-to-back (one send() each, written together). */
  repeat?: number
}
export interface IdReq {
  id: string
}

export interface Limits {
  maxPayloadBytes: number
  previewBytes: number
  maxBacklog: number
  maxDemoBacklog: number
  maxTimeoutMs: number
  maxRepeat: number
  maxUdpRepeat: number
  maxCaptureBytes: number
  maxClientsPerCall: number
  maxOwedBytes: number
  listedPerBatch: number
  packetBytes: number
  packetsPerInterval: number
}

export const LIMITS: Limits = {
  /** Largest payload one send request may carry (before encoding). */
  maxPayloadBytes: 1024 * 1024,
  /** Bytes of each received chunk shown in the event; counts stay exact. */
  previewBytes: 4096,
  maxBacklog: 511,
  maxDemoBacklog: 128,
  maxTimeoutMs: 300_000,
  maxRepeat: 100,
  maxUdpRepeat: 100_000,
  /** Bytes a capturing TCP client keeps for `tcp:received`. */
  maxCaptureBytes: 16 * 1024 * 1024,
  /** Clients one `tcp:connectMany` call may open. */
  maxClientsPerCall: 1000,
  /** Bytes a server's automatic replies (echo, room broadcasts) may owe one peer that does not
   * read before that peer is disconnected: what bounds memory when a classmate never reads. */
  maxOwedBytes: 8 * 1024 * 1024,
  /** Reads and sends one pushed batch (one per ~16 ms) lists one by one, about 15,000 a second;
   * the rest are counted exactly in `overflow` events. Nobody reads more rows than that, and
   * listing every datagram of a 100,000/s flood costs the page (and the engine's process) the
   * CPU it needs to take the flood in. */
  listedPerBatch: 250,
  /** Bytes of each captured packet a `packet` event carries (headers and the start of its data);
   * the packet's full length is said beside them. */
  packetBytes: 1024,
  /** Captured packets listed one by one per 100 ms (2,000 a second); beyond it a flood's packets
   * are counted exactly in `packet-fold` events. */
  packetsPerInterval: 200,
}

/** Errors cross every boundary as data, keeping the OS error code. */
export interface LabError {
  /** OS code (EADDRINUSE, ECONNREFUSED, ...) or EINVAL for a rejected request. */
  code: string
  message: string
  /** For EINVAL: the request field that was rejected. */
  field?: string
  /** For EINVAL: a machine-readable reason (see validate.ts), translated by the UI. */
  reason?: string
  /** For an OS error whose meaning depends on the call, the address and the OS (EACCES on a
   * send is the broadcast option, on Windows an excluded port range...): which of the code's
   * explanations applies (`errors.detail.<detail>`), chosen by the engine that knows all three. */
  detail?: ErrorDetail
}
export type ErrorDetail =
  | 'EACCES-broadcast'
  | 'EACCES-low-port'
  | 'EACCES-win'
  | 'EACCES-mac-low-port'
  | 'EADDRINUSE-shared'
  | 'EMSGSIZE-mac'
  | 'EHOSTUNREACH-mac-local-network'
export type Result<T> = { ok: true; data: T } | ({ ok: false } & LabError)
