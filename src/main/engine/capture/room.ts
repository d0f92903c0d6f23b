/**
 * The engine's packet capture, per owner (a window, a page, the CLI): a capturer run on the lab's
 * own ports (plus ARP and ICMP), restarted when the lab opens a socket on a new port; each packet
 * decoded and matched to the lab socket whose 4-tuple it carries (the same tuples the inspector
 * uses); handed on bounded, a flood listed up to a cap per interval and counted beyond it. The
 * capturer is stopped when the owner's last lab socket closes, when the owner goes and on quit:
 * no capturer process outlives the app.
 */
import { decodePacket, type Decoded } from '../../../shared/pcap/decode'
import type { CaptureRecord } from '../../../shared/pcap/reader'
import type { LabEvent, SocketInfo } from '../../../shared/contract'
import { matchAddress } from '../../../shared/endpoint'
import { startCapture, type CaptureSpec, type LiveCapture, type Refusal } from './capturer'

export interface LabPacket {
  record: CaptureRecord
  packet: Decoded
  /** The lab socket this packet belongs to (its 4-tuple), if any: ARP and strangers have none. */
  socket?: string
}
export type PacketSink = (p: LabPacket) => void
/** Packets beyond the cap in one interval: counted, not listed. */
export type OverflowSink = (count: number) => void

export type CaptureStatus =
  | { capturing: true; tool: string; interfaces: string[]; filter: string }
  | { capturing: false; refusal: Refusal; message?: string }

/** At most this many packets are handed on per interval; the rest are counted. */
export const PACKETS_PER_INTERVAL = 500
export const INTERVAL_MS = 100

interface Session {
  live: LiveCapture
  ports: Set<number>
  spec: Omit<CaptureSpec, 'ports'>
  onPacket: PacketSink
  onOverflow: OverflowSink
  window: { start: number; listed: number; over: number }
  timer?: NodeJS.Timeout
  restart?: NodeJS.Timeout
  /** The owner's sockets by tuple and by local port, built on the first packet after they
   * changed (never per packet: a flood and a thousand sockets meet in the backlog demo). */
  table?: { conns: Map<string, string>; ports: Map<number, string> }
}

/** "address:port" as the inspector matches tuples (IPv4-mapped IPv6 folded). */
const key = (a: string, port: number): string => `${matchAddress(a)}:${port}`

export class PacketCapture {
  private sessions = new Map<string, Session>()

  constructor(
    private readonly sockets: (owner: string) => SocketInfo[],
    private readonly start: typeof startCapture = startCapture,
  ) {}

  /** Starts capturing for `owner`; resolves once capturing, or with why not (and nothing left running). */
  async capture(
    owner: string,
    spec: Omit<CaptureSpec, 'ports'>,
    onPacket: PacketSink,
    onOverflow: OverflowSink = () => undefined,
  ): Promise<CaptureStatus> {
    await this.stop(owner)
    const ports = new Set(this.ports(owner))
    const s: Session = {
      live: this.launch(owner, ports, spec),
      ports,
      spec,
      onPacket,
      onOverflow,
      window: { start: 0, listed: 0, over: 0 },
    }
    this.sessions.set(owner, s)
    return this.status(owner, s)
  }

  /** Whether `owner` is capturing. */
  capturing(owner: string): boolean {
    return this.sessions.has(owner)
  }

  /** Stops `owner`'s capturer; resolves when it has exited. */
  async stop(owner: string): Promise<void> {
    const s = this.sessions.get(owner)
    if (!s) return
    this.sessions.delete(owner)
    clearTimeout(s.timer)
    clearTimeout(s.restart)
    this.flushOverflow(s)
    await s.live.stop()
  }

  stopAll(): Promise<void> {
    return Promise.all([...this.sessions.keys()].map((o) => this.stop(o))).then(() => undefined)
  }

  /**
   * Hears the engine's events: a socket on a new port restarts the capture with it in the filter;
   * the owner's last socket closed stops it.
   */
  onEvent(owner: string, ev: LabEvent): void {
    const s = this.sessions.get(owner)
    if (!s || ev.kind === 'data' || ev.kind === 'sent' || ev.kind === 'overflow') return
    s.table = undefined // a socket opened, connected or closed: the tuples are read again
    if (ev.kind === 'close' && this.sockets(owner).length === 0) return void this.stop(owner)
    if (ev.kind !== 'listening' && ev.kind !== 'connect' && ev.kind !== 'connection') return
    const now = new Set(this.ports(owner))
    if ([...now].every((p) => s.ports.has(p))) return
    clearTimeout(s.restart)
    // a few sockets opened together restart it once
    s.restart = setTimeout(() => void this.relaunch(owner, s, now), 200)
  }

  private async relaunch(owner: string, s: Session, ports: Set<number>): Promise<void> {
    if (this.sessions.get(owner) !== s) return
    await s.live.stop()
    if (this.sessions.get(owner) !== s) return
    s.ports = ports
    s.live = this.launch(owner, ports, s.spec)
  }

  private launch(owner: string, ports: Set<number>, spec: Omit<CaptureSpec, 'ports'>): LiveCapture {
    return this.start({ ...spec, ports: [...ports] }, (r) => this.deliver(owner, r))
  }

  private async status(owner: string, s: Session): Promise<CaptureStatus> {
    const r = await Promise.race([
      s.live.ready.then((info) => ({ ready: info })),
      s.live.ended.then((end) => ({ end })),
    ])
    if ('ready' in r) return { capturing: true, ...r.ready }
    if (this.sessions.get(owner) === s) this.sessions.delete(owner)
    return {
      capturing: false,
      refusal: r.end.refusal ?? 'not-permitted',
      ...(r.end.message ? { message: r.end.message } : {}),
    }
  }

  /** The lab's own ports for `owner`: every socket's local port. */
  private ports(owner: string): number[] {
    return this.sockets(owner)
      .map((i) => i.local?.port)
      .filter((p): p is number => !!p)
  }

  private deliver(owner: string, record: CaptureRecord): void {
    const s = this.sessions.get(owner)
    if (!s) return
    const now = Date.now()
    if (now - s.window.start >= INTERVAL_MS) {
      this.flushOverflow(s)
      s.window = { start: now, listed: 0, over: 0 }
    }
    if (s.window.listed >= PACKETS_PER_INTERVAL) {
      s.window.over++
      s.timer ??= setTimeout(() => this.flushOverflow(s), INTERVAL_MS)
      return
    }
    s.window.listed++
    const packet = decodePacket(record.linkType, record.data)
    const socket = this.match(owner, s, packet)
    s.onPacket({ record, packet, ...(socket ? { socket } : {}) })
  }

  private flushOverflow(s: Session): void {
    clearTimeout(s.timer)
    s.timer = undefined
    if (s.window.over) s.onOverflow(s.window.over)
    s.window.over = 0
  }

  /** The lab socket of a packet: a connection by its 4-tuple either way, else a listening or
   * bound socket by its local port. */
  private match(owner: string, s: Session, p: Decoded): string | undefined {
    if (p.src === undefined || p.dst === undefined || p.sport === undefined || p.dport === undefined) return undefined
    const t = (s.table ??= this.tableOf(owner))
    const a = key(p.src, p.sport)
    const b = key(p.dst, p.dport)
    return t.conns.get(`${a}|${b}`) ?? t.conns.get(`${b}|${a}`) ?? t.ports.get(p.sport) ?? t.ports.get(p.dport)
  }

  private tableOf(owner: string): NonNullable<Session['table']> {
    const conns = new Map<string, string>()
    const ports = new Map<number, string>()
    for (const i of this.sockets(owner)) {
      if (!i.local) continue
      if (i.remote) conns.set(`${key(i.local.address, i.local.port)}|${key(i.remote.address, i.remote.port)}`, i.id)
      else if (!ports.has(i.local.port)) ports.set(i.local.port, i.id)
    }
    return { conns, ports }
  }
}
