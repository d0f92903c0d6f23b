/**
 * The one contract between the engine (main), the preload bridge, the browser-preview bridge
 * and the renderer. Channel names, request/response types and pushed events are declared here
 * once; every side derives its types from these declarations.
 */

import type { Settings, SettingsPatch } from './settings'

export type Family = 'IPv4' | 'IPv6'
export type Encoding = 'utf-8' | 'gbk' | 'hex'
export type Transport = 'tcp' | 'udp'

export const ENCODINGS: readonly Encoding[] = ['utf-8', 'gbk', 'hex']

export interface Endpoint {
  address: string
  port: number
  family: Family
}

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
/** "Add N clients": N connect() calls at once, each its own socket (the backlog demo). */
export interface TcpConnectManyReq extends TcpConnectReq {
  count: number
}
export interface SendReq {
  id: string
  data: string
  encoding: Encoding
  /** TCP: send the same bytes this many times back-to-back (one send() each, written together). */
  repeat?: number
}
/** What a capturing client received, whole (base64). */
export interface Received {
  data: string
  bytes: number
  /** False when the capture stopped at `LIMITS.maxCaptureBytes`. */
  complete: boolean
}
/** Save bytes (base64) to a file the user picks; path null when the user cancelled. */
export interface SaveFileReq {
  name: string
  data: string
}
export interface UdpBindReq {
  host: string
  port: number
  broadcast?: boolean
  /** Send every datagram back to its sender (an echo server). */
  echo?: boolean
  /** Join this IPv4 multicast group (224.0.0.0/4)... */
  multicast?: string
  /** ...on the interface with this address (empty: the OS's choice). */
  multicastIface?: string
  /** SO_RCVBUF to ask for (the OS may round it; Linux doubles it). */
  recvBufferBytes?: number
}
export interface UdpSendReq extends SendReq {
  /** Where to; may be left out on a connected socket. */
  host?: string
  port?: number
  /** With `repeat`: milliseconds between datagrams (0: back-to-back). */
  intervalMs?: number
  /** Prefix each datagram with "#<n> " so loss and reordering can be counted. */
  seq?: boolean
}
/** connect() on a UDP socket: a default destination, and ICMP errors reported back. */
export interface UdpConnectReq {
  id: string
  host: string
  port: number
}
/** The loss experiment: K numbered datagrams into a receiver with a small buffer that only
 * gets to read between bursts. */
export interface UdpFloodReq {
  count: number
  size: number
  burst: number
  recvBufferBytes: number
}
export interface FloodResult {
  sent: number
  received: number
  lost: number
  reordered: number
  duplicates: number
  /** The first missing sequence ranges [from, to]. */
  missing: [number, number][]
  /** The receive buffer the OS actually gave. */
  recvBufferBytes: number
  /** Linux: the machine-wide RcvbufErrors count went up by this much during the test. */
  rcvbufErrors: number | null
  ms: number
}
export interface IdReq {
  id: string
}

/** The serial server of the listen-backlog demo. */
export interface BacklogListenReq {
  host: string
  port: number
  /** listen(n), 0..128. */
  backlog?: number
  /** 'echo' answers each message; 'none' leaves the answers to the teacher. */
  reply?: 'echo' | 'none'
  /** Serve each client for this long, then hang up (0: until it leaves, says "bye" or the teacher hangs up). */
  serveMs?: number
  encoding?: Exclude<Encoding, 'hex'>
}

/** Whose accept queue the demo shows, and why (reason is a key the UI explains). */
export interface QueueMode {
  kind: 'kernel' | 'simulated'
  reason: string
  /** Completed connections the queue holds for this backlog (0 before a server exists). */
  slots: number
}

export type SocketKind = 'tcp-server' | 'tcp-conn' | 'tcp-client' | 'udp'
export type SocketState = 'connecting' | 'listening' | 'open' | 'half-closed' | 'peer-ended' | 'closed' | 'bound'

export interface SocketInfo {
  id: string
  kind: SocketKind
  state: SocketState
  /** For a connection accepted by a server: the server's id. */
  parent?: string
  local?: Endpoint
  remote?: Endpoint
  bytesIn: number
  bytesOut: number
  /** A backlog-demo server: which accept queue it shows. */
  queue?: QueueMode
  /** A room member's nickname. */
  name?: string
}

export interface NetInterface {
  name: string
  address: string
  family: Family
  netmask: string
  mac: string
  internal: boolean
  cidr: string | null
}

export interface AppInfo {
  version: string
  platform: string
  /** Where the API runs: the Electron main process, or the preview bridge in plain Node. */
  host: 'electron' | 'preview'
  limits: Limits
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
}

/** Where the inspector's socket table comes from. */
export type TableSource = '/proc/net' | 'netstat -an' | 'netstat -ano' | 'none'

/** One socket as the operating system reports it (states in the Linux names the course uses). */
export interface OsSocket {
  proto: 'tcp' | 'udp'
  family: Family
  local: { address: string; port: number }
  remote: { address: string; port: number }
  /** LISTEN, SYN_SENT, SYN_RECV, ESTABLISHED, FIN_WAIT1/2, CLOSE_WAIT, LAST_ACK, TIME_WAIT, CLOSING,
   * CLOSED; UDP: UNCONN or CONNECTED. */
  state: string
  /** Bytes in the send / receive queue, where the OS reports them (not on Windows). */
  sendQ: number | null
  recvQ: number | null
  pid?: number
  /** Linux: the socket's inode (what /proc/<pid>/fd links to). */
  inode?: number
  /** The lab socket this row belongs to (also for a few minutes after the lab closed it). */
  lab?: string
  /** The other end, on this machine, of lab connection `peerOf` (a classmate's script, say). */
  peerOf?: string
}
export interface SocketTable {
  source: TableSource
  rows: OsSocket[]
  /** What one reading cost (ms, CPU or wall, whichever is larger), to keep polling under 1% of a core. */
  costMs: number
}
/**
 * How often the inspector reads the table: 500 x one reading's measured cost, 0.5–10 s. A
 * reading costs two to four times its measured time once everything is counted (garbage collection,
 * cold caches after the pause), so 500 keeps the total under 1% of a core: `npm run bench`
 * measures it side by side with the same process idle.
 */
export function inspectorInterval(costMs: number): number {
  return Math.min(10_000, Math.max(500, Math.ceil(costMs * 500)))
}

export interface OsSocketsReq {
  /** Every socket of the machine, not only the lab's. */
  all?: boolean
}

/** The persisted settings, and what was wrong with the file at start-up (if anything). */
export interface SettingsState {
  settings: Settings
  problem?: string
}

/** Every call: channel -> request and response types. */
export interface Calls {
  'app:info': { req: void; res: AppInfo }
  'net:interfaces': { req: void; res: NetInterface[] }
  'socket:list': { req: void; res: SocketInfo[] }
  'socket:close': { req: IdReq; res: void }
  'tcp:listen': { req: TcpListenReq; res: SocketInfo }
  'tcp:connect': { req: TcpConnectReq; res: SocketInfo }
  'tcp:connectMany': { req: TcpConnectManyReq; res: SocketInfo[] }
  'tcp:send': { req: SendReq; res: { bytes: number } }
  'tcp:shutdown': { req: IdReq; res: void }
  'tcp:reset': { req: IdReq; res: void }
  'tcp:received': { req: IdReq; res: Received }
  'udp:bind': { req: UdpBindReq; res: SocketInfo }
  'udp:send': { req: UdpSendReq; res: { bytes: number } }
  'udp:connect': { req: UdpConnectReq; res: SocketInfo }
  'udp:flood': { req: UdpFloodReq; res: FloodResult }
  'backlog:mode': { req: void; res: QueueMode & { platform: string } }
  'backlog:listen': { req: BacklogListenReq; res: SocketInfo }
  'file:save': { req: SaveFileReq; res: { path: string | null } }
  'os:sockets': { req: OsSocketsReq; res: SocketTable }
  'settings:get': { req: void; res: SettingsState }
  'settings:set': { req: SettingsPatch; res: Settings }
}
export type Channel = keyof Calls

/** The runtime list of channels; the type check below keeps it equal to `Calls`. */
export const CHANNELS = [
  'app:info',
  'net:interfaces',
  'socket:list',
  'socket:close',
  'tcp:listen',
  'tcp:connect',
  'tcp:connectMany',
  'tcp:send',
  'tcp:shutdown',
  'tcp:reset',
  'tcp:received',
  'udp:bind',
  'udp:send',
  'udp:connect',
  'udp:flood',
  'backlog:mode',
  'backlog:listen',
  'file:save',
  'os:sockets',
  'settings:get',
  'settings:set',
] as const satisfies readonly Channel[]
type Missing = Exclude<Channel, (typeof CHANNELS)[number]>
const allChannelsListed: Missing extends never ? true : Missing = true
void allChannelsListed

/** The channel on which batches of events are pushed to a window. */
export const EVENT_CHANNEL = 'lab:events'

/** Errors cross every boundary as data, keeping the OS error code. */
export interface LabError {
  /** OS code (EADDRINUSE, ECONNREFUSED, ...) or EINVAL for a rejected request. */
  code: string
  message: string
  /** For EINVAL: the request field that was rejected. */
  field?: string
  /** For EINVAL: a machine-readable reason (see validate.ts), translated by the UI. */
  reason?: string
}
export type Result<T> = { ok: true; data: T } | ({ ok: false } & LabError)

/** `tcp:listen` -> `tcpListen`. */
export type MethodName<C extends string> = C extends `${infer A}:${infer B}` ? `${A}${Capitalize<B>}` : never

export function methodName<C extends Channel>(channel: C): MethodName<C> {
  const [a, b] = channel.split(':') as [string, string]
  return `${a}${b[0]!.toUpperCase()}${b.slice(1)}` as MethodName<C>
}

type Call<C extends Channel> = Calls[C]['req'] extends void
  ? () => Promise<Result<Calls[C]['res']>>
  : (req: Calls[C]['req']) => Promise<Result<Calls[C]['res']>>

/** The API as the renderer sees it: one named method per operation, plus the event stream. */
export type LabApi = { [C in Channel as MethodName<C>]: Call<C> } & {
  onEvent(cb: (batch: LabEvent[]) => void): () => void
}

/** The same operations with the owner made explicit: what main and the bridge implement. */
export type LabHandlers = { [C in Channel]: (req: Calls[C]['req']) => Promise<Result<Calls[C]['res']>> }

// ---------------------------------------------------------------------------------------------
// Pushed events. `t` is a monotonic timestamp in ms (performance.timeOrigin + performance.now()).

export interface EventBase {
  id: string
  t: number
}
export type LabEvent =
  | (EventBase & {
      kind: 'listening'
      transport: Transport
      local: Endpoint
      backlog?: number
      mode?: ServerMode
    })
  | (EventBase & {
      /** connect() was called: the SYN goes out (after a name lookup, if any). */
      kind: 'connecting'
      host: string
      port: number
      timeoutMs: number
    })
  | (EventBase & { kind: 'lookup'; host: string; address: string; family: Family })
  | (EventBase & { kind: 'connect'; local: Endpoint; remote: Endpoint })
  | (EventBase & { kind: 'connection'; conn: string; local: Endpoint; remote: Endpoint })
  | (EventBase & {
      kind: 'data'
      bytes: number
      /** base64 of the first bytes of this read; may be empty under load. */
      preview: string
      truncated: boolean
      /** UDP: the sender, as recvfrom() returns it. */
      from?: Endpoint
    })
  | (EventBase & {
      kind: 'sent'
      bytes: number
      /** base64 of the first bytes handed to send(); may be empty under load. */
      preview: string
      truncated: boolean
      to?: Endpoint
      /** Sent by a course-style server behaviour, not typed by the user. */
      auto?: boolean
    })
  | (EventBase & {
      /** Reads (of: 'data') or sends (of: 'sent') that a flooded batch could not list one by
       * one: counted exactly, not itemized. */
      kind: 'overflow'
      of: 'data' | 'sent'
      reads: number
      bytes: number
    })
  | (EventBase & {
      /** A backlog-demo server's queue: the kernel's figure where the OS gives one. */
      kind: 'queue'
      mode: QueueMode['kind']
      slots: number
      /** Connections waiting in the kernel's accept queue (Linux /proc/net/tcp), or null. */
      kernel: number | null
      /** Connections waiting in the app's own queue (simulated mode), or null. */
      app: number | null
      /** The kernel's machine-wide count of connections dropped on a full queue, or null. */
      overflows: number | null
    })
  | (EventBase & {
      kind: 'serve'
      conn: string
      phase: 'start' | 'end'
      reason?: 'done' | 'timeout' | 'hang-up'
    })
  | (EventBase & {
      /** A room member chose a nickname (`/nick <name>`). */
      kind: 'name'
      name: string
    })
  | (EventBase & { kind: 'end' })
  | (EventBase & { kind: 'shutdown' })
  | (EventBase & {
      kind: 'close'
      hadError: boolean
      /** This side aborted the connection (RST) instead of closing it (FIN). */
      reset?: boolean
    })
  | (EventBase & { kind: 'error'; code: string; message: string })

export type LabEventKind = LabEvent['kind']
export const EVENT_KINDS: readonly LabEventKind[] = [
  'listening',
  'connecting',
  'lookup',
  'connect',
  'connection',
  'data',
  'sent',
  'overflow',
  'queue',
  'serve',
  'name',
  'end',
  'shutdown',
  'close',
  'error',
]
