/**
 * The engine's packet capture, per owner (a window, a page, the CLI): a capturer run on the lab's
 * own ports (plus ARP and ICMP); each packet decoded, matched to the lab socket whose 4-tuple it
 * carries (the same tuples the inspector uses) and pushed as a `packet` event, bounded: a flood is
 * listed up to a cap per interval and counted beyond it (`packet-fold`).
 *
 * Capture stays on for the owner until it stops it, but its capturer runs only while the owner has
 * a lab socket: the last one closed stops the child (state `waiting`), the next one opened starts it
 * again. A socket on a new port gets a new capturer with that port in its filter, started before the
 * old one is stopped (make before break: one time cuts the two, no packet twice, none lost). A TCP
 * client's connect() waits (briefly) for the capture to include the port it connects to, so its
 * SYN is seen. The owner going, and quit, stop everything: no capturer process outlives the app.
 */
import type { CaptureRecord } from '../../../shared/pcap/reader'
import { type CaptureStartReq, type CaptureStatus, type LabEvent, type SocketInfo } from '../../../shared/contract'
import { now } from '../clock'
import { DRAIN_MS, startCapture, type LiveCapture } from './capturer'
import { Handover, msOf } from './handover'
import { labPorts, SocketMatcher } from './match'
import { PacketPacer } from './pacer'

/** How long a connect() waits for the capture to include its port. */
export const GATE_MS = 2000

interface Child {
  live: LiveCapture
  ports: Set<number>
  /** Started after every child with a lower number. */
  gen: number
  info?: { tool: string; interfaces: string[]; filter: string }
  /** The newest child: its records before this time (ms since the epoch) are the older ones'. */
  since?: number
  /** An older child: its records from this time on are the newest one's. */
  until?: number
  /** Called when this older child hands over a record past `until`: it has read all before. */
  caughtUp?: () => void
  past?: boolean
  /** Being stopped by the room (not exiting of its own accord). */
  stopping?: boolean
  /** The kernel's drops this child's capturer has said, as far as they were pushed on. */
  dropped: number
}

/** How long an older child may take to read what it captured before the cut. */
export const HANDOVER_MS = 2500
/** How often a capturer that reads packets is asked for the kernel's drops. */
const STATS_MS = 1000

interface Session {
  owner: string
  spec: CaptureStartReq
  gens: number
  children: Set<Child>
  /** The newest child, once it captures. */
  current?: Child
  /** A new child under way, and the ports it will have. */
  starting?: { ports: Set<number>; done: Promise<void>; token: object }
  /** A change of capturer under way (see handover.ts), and the new child it takes records of. */
  handover?: Handover
  taking?: Child
  /** Packets read since the capturer was last asked for its counts. */
  read: number
  stats?: NodeJS.Timeout
  restart?: NodeJS.Timeout
  sockets: SocketMatcher
  pacer: PacketPacer
}

const sameSet = (a: Set<number>, b: Set<number>): boolean => a.size === b.size && [...a].every((x) => b.has(x))

export class PacketCapture {
  private sessions = new Map<string, Session>()

  constructor(
    private readonly sockets: (owner: string) => SocketInfo[],
    private readonly emit: (owner: string, ev: LabEvent) => void,
    private readonly start: typeof startCapture = startCapture,
  ) {}

  /** Turns capture on for `owner`: resolves once capturing (or waiting for a socket), or with why not. */
  async capture(owner: string, spec: CaptureStartReq = {}): Promise<CaptureStatus> {
    await this.stop(owner)
    const sockets = new SocketMatcher(() => this.sockets(owner))
    const s: Session = {
      owner,
      spec,
      gens: 0,
      children: new Set(),
      read: 0,
      sockets,
      pacer: new PacketPacer((ev) => this.emit(owner, ev), sockets),
    }
    this.sessions.set(owner, s)
    if (!this.ports(owner).length) return this.tell(owner, { state: 'waiting' })
    return this.launch(owner, s, new Set(this.ports(owner)))
  }

  /** Whether capture is on for `owner` (a capturer running, or waiting for a socket). */
  capturing(owner: string): boolean {
    return this.sessions.has(owner)
  }

  /** Whether a capturer process runs for `owner`. */
  running(owner: string): boolean {
    return (this.sessions.get(owner)?.children.size ?? 0) > 0
  }

  /** Turns capture off for `owner`; resolves when its capturers have exited. `drain`: their last
   * packets are handed over first (a page's Stop); not when the page or the app goes. */
  async stop(owner: string, drain = true): Promise<CaptureStatus> {
    const s = this.sessions.get(owner)
    if (!s) return { state: 'off' }
    this.sessions.delete(owner)
    clearTimeout(s.restart)
    await this.halt(s, drain ? DRAIN_MS : 0)
    return { state: 'off' }
  }

  stopAll(): Promise<void> {
    return Promise.all([...this.sessions.keys()].map((o) => this.stop(o, false))).then(() => undefined)
  }

  /**
   * Before a TCP client of `owner` connects to `port`: when capture is on and its filter lacks the
   * port, a capturer with it is started and the connect waits for it (at most GATE_MS), so the
   * SYN is captured. Nothing to wait for: undefined.
   */
  gate(owner: string, port: number): Promise<void> | undefined {
    const s = this.sessions.get(owner)
    if (!s) return undefined
    if (s.starting?.ports.has(port)) return s.starting.done
    if (s.current?.ports.has(port) && !s.starting) return undefined
    const ports = new Set([...(s.starting?.ports ?? s.current?.ports ?? []), ...this.ports(owner), port])
    const done = this.launch(owner, s, ports).then(() => undefined)
    return Promise.race([done, new Promise<void>((r) => setTimeout(r, GATE_MS).unref())])
  }

  /**
   * Hears the engine's events: a socket on a new port gets a capturer with it in the filter (a few
   * opened together, one); the owner's last socket closed stops the capturer, capture stays on.
   */
  onEvent(owner: string, ev: LabEvent): void {
    const s = this.sessions.get(owner)
    if (!s || ev.kind === 'data' || ev.kind === 'sent' || ev.kind === 'overflow') return
    s.sockets.changed() // a socket opened, connected or closed: the tuples are read again
    if (ev.kind === 'close' && this.sockets(owner).length === 0) {
      clearTimeout(s.restart)
      // its last packets (the FINs) are handed over before it goes
      void this.halt(s, DRAIN_MS).then(() => this.sessions.get(owner) === s && this.tell(owner, { state: 'waiting' }))
      return
    }
    if (ev.kind !== 'listening' && ev.kind !== 'connect' && ev.kind !== 'connection') return
    clearTimeout(s.restart)
    s.restart = setTimeout(() => {
      const ports = new Set(this.ports(owner))
      const have = s.starting?.ports ?? s.current?.ports
      if (this.sessions.get(owner) === s && ports.size && !(have && [...ports].every((p) => have.has(p))))
        void this.launch(owner, s, ports)
    }, 200)
  }

  /** Starts a child with `ports`; once it captures, the older ones are cut off at that moment. */
  private launch(owner: string, s: Session, ports: Set<number>): Promise<CaptureStatus> {
    if (s.starting && sameSet(s.starting.ports, ports)) return s.starting.done.then(() => this.statusOf(s))
    const child: Child = {
      live: this.start({ ...s.spec, ports: [...ports] }, (r) => this.deliver(s, child, r)),
      ports,
      gen: ++s.gens,
      dropped: 0,
    }
    if (s.children.size)
      s.handover ??= new Handover(
        (r) => s.pacer.list(r),
        () => s.pacer.count(),
      )
    s.children.add(child)
    let result!: CaptureStatus
    const token = {}
    const done = (async () => {
      const r = await Promise.race([
        child.live.ready.then((info) => ({ ready: info })),
        child.live.ended.then((end) => ({ end })),
      ])
      if (!('ready' in r) && child.stopping) return void (result = this.statusOf(s)) // stopped by us
      if (!('ready' in r)) {
        s.children.delete(child)
        if (s.starting?.token === token) s.starting = undefined
        if (!s.starting && s.handover?.until === undefined) s.handover = undefined
        if (s.current) return void (result = this.statusOf(s)) // the running one goes on
        if (this.sessions.get(owner) === s) this.sessions.delete(owner)
        const refusal = r.end.refusal ?? 'not-permitted'
        return void (result = this.tell(owner, {
          state: 'refused',
          refusal,
          ...(r.end.message ? { message: r.end.message } : {}),
        }))
      }
      if (s.starting?.token === token) s.starting = undefined
      if (s.current && s.current.gen > child.gen) {
        await this.end(s, child) // a newer one already captures
        return void (result = this.statusOf(s))
      }
      child.info = r.ready
      const older = [...s.children].filter((c) => c.gen < child.gen)
      if (older.length) {
        // a handover already cut (a third child while two hand over) ends here, not deduplicated
        if (s.handover?.until !== undefined) s.handover.release()
        if (s.handover?.until !== undefined || !s.handover)
          s.handover = new Handover(
            (r) => s.pacer.list(r),
            () => s.pacer.count(),
          )
        const { since, until } = s.handover.cut(Date.now())
        child.since = since
        s.taking = child
        for (const o of older) o.until = until
      }
      s.current = child
      this.watch(s)
      void child.live.ended.then((end) => this.ended(owner, s, child, end.message))
      result = this.tell(owner, { state: 'capturing', ...r.ready })
      // SIGINT loses what the kernel holds but tcpdump has not read yet: an older child is
      // stopped once it has handed over a packet past the cut (or after HANDOVER_MS)
      await Promise.all(older.map((o) => this.retire(s, o)))
      if (older.length && s.current === child && s.handover && !s.handover.release()) s.handover = s.taking = undefined
    })()
    s.starting = { ports, done, token }
    return done.then(() => result)
  }

  /** A child that exits by itself (not stopped): capture is off, with its last words. */
  private ended(owner: string, s: Session, child: Child, message?: string): void {
    if (child.stopping || !s.children.has(child) || this.sessions.get(owner) !== s) return
    s.children.delete(child)
    if (s.current !== child || s.starting) return
    this.sessions.delete(owner)
    void this.halt(s)
    this.tell(owner, { state: 'off', ...(message ? { message } : {}) })
  }

  private async retire(s: Session, c: Child): Promise<void> {
    await new Promise<void>((r) => {
      if (c.past) return r()
      const timer = setTimeout(r, HANDOVER_MS)
      c.caughtUp = () => (clearTimeout(timer), r())
    })
    await this.end(s, c)
  }

  /** Stops a child; what it hands over meanwhile (`drainMs`) is still listed. */
  private async end(s: Session, c: Child, drainMs = 0): Promise<void> {
    c.stopping = true
    if (s.current === c) s.current = undefined
    await c.live.stop(drainMs)
    s.children.delete(c)
    this.tellDropped(s, c)
  }

  /** Every second while packets come, the capturer is asked how many the kernel dropped. */
  private watch(s: Session): void {
    s.stats ??= setInterval(() => {
      for (const c of s.children) this.tellDropped(s, c)
      if (s.read) s.current?.live.poll()
      s.read = 0
    }, STATS_MS)
  }

  private tellDropped(s: Session, c: Child): void {
    const more = c.live.dropped() - c.dropped
    if (more <= 0) return
    c.dropped += more
    this.emit(s.owner, { kind: 'packet-fold', id: '', t: now(), packets: 0, dropped: more })
  }

  private async halt(s: Session, drainMs = 0): Promise<void> {
    s.starting = undefined
    s.handover = s.taking = undefined
    clearInterval(s.stats)
    s.stats = undefined
    s.current = undefined
    await Promise.all([...s.children].map((c) => this.end(s, c, drainMs)))
    s.pacer.flush()
  }

  private statusOf(s: Session): CaptureStatus {
    return s.current?.info ? { state: 'capturing', ...s.current.info } : { state: 'waiting' }
  }

  private tell(owner: string, status: CaptureStatus): CaptureStatus {
    this.emit(owner, { kind: 'capture', id: '', t: now(), status })
    return status
  }

  private ports(owner: string): number[] {
    return labPorts(this.sockets(owner))
  }

  private deliver(s: Session, child: Child, record: CaptureRecord): void {
    if (!s.children.has(child)) return
    if (!child.info && s.current) return // a new child not yet cut in: the older one has it
    s.read++
    const t = msOf(record)
    if (child.until !== undefined) {
      if (t >= child.until) return void ((child.past = true), child.caughtUp?.())
    } else if (s.handover && child === s.taking) {
      if (t < child.since!) return
      if (s.handover.take(record, t)) return
      s.handover = s.taking = undefined // past the overlap: the handover is over
    }
    if (s.handover && child !== s.taking) s.handover.saw(t, record.data)
    s.pacer.list(record)
  }
}
