/** Pushed events, one union for every capability. */
import type { QueueMode } from './backlog'
import type { Endpoint, ErrorDetail, Family, Transport } from './common'
import type { ServerMode, TlsCert } from './tcp'
import type { CheckResult } from './checker'
import type { CaptureStatus } from './capture'

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
      /** The host is a name: it is looked up first (a `lookup` event), and only then is the SYN
       * sent. An address: the SYN goes at once. */
      resolving?: boolean
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
      /** How much that count grew since this server's previous queue event (handshakes the
       * kernel dropped meanwhile); sent only when it grew. */
      dropped?: number
      /** Linux: client ports whose handshake the server has not finished (SYN_RECV there: the
       * final ACK was dropped on a full queue, while the client believes it is connected). */
      synRecv?: number[]
      /** Linux: clients still in SYN_SENT towards this port (their SYN dropped, retrying). */
      synSent?: number
      /** Linux: the client ports waiting in the accept queue (connected, not yet accepted), and
       * those of the clients on this machine still retrying their SYN; the first 64 of each. */
      queuedPorts?: number[]
      synSentPorts?: number[]
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
  | (EventBase & {
      /** A TLS handshake finished: what was chosen, the certificate (chain, leaf first) and
       * whether it verified; a server also says what the client offered in its ClientHello. */
      kind: 'tls'
      side: 'client' | 'server'
      protocol: string
      cipher: string
      /** The key exchange group (X25519, P-256, X25519MLKEM768…), where the runtime says it. */
      group?: string
      alpn: string
      servername: string
      authorized: boolean
      /** Why the peer's certificate did not verify (DEPTH_ZERO_SELF_SIGNED_CERT,
       * ERR_TLS_CERT_ALTNAME_INVALID, CERT_HAS_EXPIRED…). */
      authorizationError?: string
      /** Client: the name or address connected to is not one the certificate names
       * (ERR_TLS_CERT_ALTNAME_INVALID), asked apart from the first complaint above. */
      nameError?: string
      chain?: TlsCert[]
      offered?: { versions: string[]; ciphers: string[]; alpn: string[]; sni?: string }
      /** A resumed session: the peer sends no certificate again. */
      resumed: boolean
    })
  | (EventBase & { kind: 'end' })
  | (EventBase & { kind: 'shutdown' })
  | (EventBase & {
      kind: 'close'
      hadError: boolean
      /** This side aborted the connection (RST) instead of closing it (FIN). */
      reset?: boolean
    })
  | (EventBase & { kind: 'error'; code: string; message: string; detail?: ErrorDetail })
  | (EventBase & {
      /** A checker run (`id` is the run): one student's results so far, or all of them (done). A
       * client exercise's student is the address that connected (`key` "host:port"). */
      kind: 'grade'
      key: string
      name: string
      host: string
      port?: number
      results: CheckResult[]
      done: boolean
    })
  | (EventBase & {
      /** A packet of the lab's sockets, captured (`id` is empty). `socket`: the lab socket whose
       * 4-tuple (or local port) it carries; ARP, ICMP and strangers have none. */
      kind: 'packet'
      socket?: string
      /** Its number in this capture, from 1; capture time (epoch seconds, nanoseconds). */
      n: number
      sec: number
      nsec: number
      /** LINKTYPE_ of the interface (0 NULL, 1 ETHERNET, 113/276 Linux SLL…). */
      linkType: number
      /** Bytes captured, and the packet's length on the wire. */
      caplen: number
      origLen: number
      /** base64 of the first `LIMITS.packetBytes` captured bytes. */
      bytes: string
    })
  | (EventBase & {
      /** Packets captured beyond what one interval lists (a flood): counted exactly, not listed. */
      kind: 'packet-fold'
      packets: number
      /** Packets the capturer itself lost (the kernel dropped them as it fell behind): its own
       * count, given as it stops. */
      dropped?: number
    })
  | (EventBase & { kind: 'capture'; status: CaptureStatus })
  | (EventBase & {
      /** The classroom DNS server answered a question: who asked what, and what it said. */
      kind: 'dns-served'
      from: string
      transport: 'udp' | 'tcp'
      name: string
      type: string
      rcode: string
      answers: string[]
    })
  | (EventBase & {
      /** A checker run ended: every student graded, stopped, or its reference server closed. */
      kind: 'grade-end'
      error?: string
    })

export type LabEventKind = LabEvent['kind']
/** The checker's events (a run's, for the Classroom panel) and every other: a socket's. */
export type GradeEvent = Extract<LabEvent, { kind: 'grade' | 'grade-end' }>
/** The capture's events (the Packets tab's): no socket's, not logged. */
export type WireEvent = Extract<LabEvent, { kind: 'packet' | 'packet-fold' | 'capture' }>
/** The classroom DNS server's answers (the journey's DNS card): no socket's, not logged. */
export type DnsEvent = Extract<LabEvent, { kind: 'dns-served' }>
export type SocketEvent = Exclude<LabEvent, GradeEvent | WireEvent | DnsEvent>
export const EVENT_KINDS: readonly SocketEvent['kind'][] = [
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
  'tls',
]
