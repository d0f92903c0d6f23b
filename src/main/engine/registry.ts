/**
 * The registry every socket of the engine lives in: ids, ownership (a window, a preview page, the
 * CLI), event stamping, and closing — one socket, one owner's, or everything. Each capability
 * (tcp/, udp/, backlog/, inspector/) adds its sockets here and pushes their events through it.
 */
import type dgram from 'node:dgram'
import type net from 'node:net'
import type { Endpoint, Family, LabEvent, SocketInfo } from '../../shared/contract'
import type { Acceptor } from './backlog/backlog-queue'
import { now } from './clock'
import { LabFailure, toLabError } from './errors'
import type { Responder } from './tcp/responder'

/** Receives every event; `payload` is the bytes of a `data` or `sent` event (whose preview is
 * left empty for the receiver to fill as its budget allows). */
export type Emit = (owner: string, ev: LabEvent, payload?: Uint8Array) => void

export type Handle = { tcpServer: net.Server } | { acceptor: Acceptor } | { stream: net.Socket } | { udp: dgram.Socket }

export interface Entry {
  info: SocketInfo
  owner: string
  handle: Handle
  timer?: NodeJS.Timeout
  responder?: Responder
  closed?: Promise<void>
  /** The user reset this connection (RST). */
  reset?: boolean
  /** Why a served backlog-demo connection ended, when the lab ended it. */
  cause?: 'timeout' | 'hang-up'
}

export function family(f: string | number | undefined): Family {
  return f === 'IPv6' || f === 6 ? 'IPv6' : 'IPv4'
}

export function localOf(s: net.Socket): Endpoint {
  return { address: s.localAddress ?? '', port: s.localPort ?? 0, family: family(s.localFamily) }
}

export function remoteOf(s: net.Socket): Endpoint {
  return { address: s.remoteAddress ?? '', port: s.remotePort ?? 0, family: family(s.remoteFamily) }
}

export type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never

export class SocketRegistry {
  private readonly entries = new Map<string, Entry>()
  private readonly finishHooks: ((entry: Entry) => void)[] = []
  private seq = 0
  /** Before a TCP client connects: something to wait for first (the capture taking in its port). */
  connectGate: (owner: string, port: number) => Promise<void> | undefined = () => undefined
  /** Where TLS sockets write their session keys (SSLKEYLOGFILE lines), when the user asked. */
  tlsKeylog: ((line: Buffer) => void) | undefined

  /** Per owner: how many events its sockets have had (the inspector reads the OS's table again
   * once this moved). */
  private readonly events = new Map<string, { n: number }>()
  readonly emit: Emit

  constructor(emit: Emit) {
    this.emit = (owner, ev, payload) => {
      const count = this.events.get(owner)
      if (count) count.n++
      else this.events.set(owner, { n: 1 })
      emit(owner, ev, payload)
    }
  }

  /** How many events the owner's sockets have had so far. */
  eventsOf(owner: string): number {
    return this.events.get(owner)?.n ?? 0
  }

  /** Called for each socket as it closes, before its close event (the inspector remembers it). */
  onFinish(hook: (entry: Entry) => void): void {
    this.finishHooks.push(hook)
  }

  /** Any owner's socket by id (the course-style servers act on their connections). */
  get(id: string): Entry | undefined {
    return this.entries.get(id)
  }

  /** Every open socket. */
  all(): IterableIterator<Entry> {
    return this.entries.values()
  }

  /** Closes every socket of one owner (a window that went away). */
  closeOwner(owner: string): Promise<void> {
    return this.closeWhere((e) => e.owner === owner)
  }
  closeWhere(pred: (e: Entry) => boolean): Promise<void> {
    const waits: Promise<void>[] = []
    for (const e of [...this.entries.values()]) {
      if (pred(e)) waits.push(this.closeEntry(e, true))
    }
    return Promise.all(waits).then(() => undefined)
  }
  closeEntry(entry: Entry, abrupt: boolean): Promise<void> {
    if (entry.closed) return entry.closed
    const h = entry.handle
    if ('tcpServer' in h) {
      // Node emits the server's 'close' only once all its connections are gone; the listening
      // socket itself is closed now, so the lab reports it now.
      entry.closed = new Promise<void>((resolve) => h.tcpServer.close(() => resolve()))
      this.finish(entry, false)
      return abrupt ? Promise.resolve() : entry.closed
    }
    if ('udp' in h) {
      entry.closed = new Promise<void>((resolve) => h.udp.close(() => resolve()))
      return entry.closed
    }
    if ('acceptor' in h) {
      // Like closing a Python listening socket: clients still queued are reset.
      entry.closed = h.acceptor.close().catch(() => undefined)
      this.finish(entry, false)
      return entry.closed
    }
    const sock = h.stream
    entry.closed = new Promise<void>((resolve) => sock.once('close', () => resolve()))
    if (abrupt || sock.destroyed || sock.connecting) sock.destroy()
    else if (sock.writableEnded) sock.destroy()
    else sock.end(() => sock.destroy())
    return entry.closed
  }
  add(owner: string, prefix: string, info: Omit<SocketInfo, 'id' | 'bytesIn' | 'bytesOut'>, handle: Handle): Entry {
    const id = `${prefix}${++this.seq}`
    const entry: Entry = { owner, handle, info: { id, bytesIn: 0, bytesOut: 0, ...info } }
    this.entries.set(id, entry)
    return entry
  }
  find(owner: string, id: string): Entry {
    const e = this.entries.get(id)
    if (!e || e.owner !== owner) throw new LabFailure('ENOENT', `no open socket with id ${id}`)
    return e
  }
  finish(entry: Entry, hadError: boolean): void {
    for (const hook of this.finishHooks) hook(entry)
    clearTimeout(entry.timer)
    if (!this.entries.delete(entry.info.id)) return
    entry.info.state = 'closed'
    this.push(entry, entry.reset ? { kind: 'close', hadError, reset: true } : { kind: 'close', hadError })
  }
  emitError(entry: Entry, err: Error): void {
    const { code, message, detail } = toLabError(err)
    this.push(entry, { kind: 'error', code, message, ...(detail ? { detail } : {}) })
  }
  push(entry: Entry, ev: DistributiveOmit<LabEvent, 'id' | 't'>): void {
    this.emit(entry.owner, { ...ev, id: entry.info.id, t: now() } as LabEvent)
  }
  list(owner?: string): SocketInfo[] {
    return [...this.entries.values()]
      .filter((e) => owner === undefined || e.owner === owner)
      .map((e) => ({ ...e.info }))
  }
  get size(): number {
    return this.entries.size
  }
}
