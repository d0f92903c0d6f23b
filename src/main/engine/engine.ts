/**
 * The socket engine: every real socket the lab opens, owned by one registry. Plain Node, no
 * Electron: the Electron main process, the browser-preview bridge and the CLI all drive it.
 *
 * Each socket belongs to an owner (a window, a preview page, the CLI) and only that owner can
 * act on it. Events are handed to `emit` as they happen, one `data` event per read.
 */
import dgram from 'node:dgram'
import dns from 'node:dns/promises'
import net from 'node:net'
import type {
  BacklogListenReq,
  Endpoint,
  Family,
  LabEvent,
  QueueMode,
  SendReq,
  SocketInfo,
  TcpConnectReq,
  TcpListenReq,
  UdpBindReq,
  UdpSendReq,
} from '../../shared/contract'
import { isIPv4, isIPv6 } from '../../shared/validate'
import { now } from './clock'
import { LabFailure } from './errors'
import { encodePayload } from './payload'
import { FdBank } from './acceptor'
import { openAcceptor, selfTest, type Acceptor } from './backlog-queue'
import { listenOverflows, listenQueue, parseNetstatListen } from './proc-net'
import { execFile } from 'node:child_process'
import { createResponder, type Responder, type ResponderHost } from './responder'

/** Receives every event; `payload` is the bytes of a `data` or `sent` event (whose preview is
 * left empty for the receiver to fill as its budget allows). */
export type Emit = (owner: string, ev: LabEvent, payload?: Uint8Array) => void

type Handle = { tcpServer: net.Server } | { acceptor: Acceptor } | { stream: net.Socket } | { udp: dgram.Socket }

interface Entry {
  info: SocketInfo
  owner: string
  handle: Handle
  timer?: NodeJS.Timeout
  responder?: Responder
  closed?: Promise<void>
  /** Why a served backlog-demo connection ended, when the lab ended it. */
  cause?: 'timeout' | 'hang-up'
}

export interface EngineOptions {
  /** Skip the self-test and use the simulated accept queue (tests, troubleshooting). */
  forceSimulatedQueue?: boolean
}

function family(f: string | number | undefined): Family {
  return f === 'IPv6' || f === 6 ? 'IPv6' : 'IPv4'
}

function localOf(s: net.Socket): Endpoint {
  return { address: s.localAddress ?? '', port: s.localPort ?? 0, family: family(s.localFamily) }
}

function remoteOf(s: net.Socket): Endpoint {
  return { address: s.remoteAddress ?? '', port: s.remotePort ?? 0, family: family(s.remoteFamily) }
}

export class SocketEngine implements ResponderHost {
  private readonly entries = new Map<string, Entry>()
  private seq = 0

  private readonly bank = new FdBank()
  private queueMode: Promise<QueueMode> | undefined

  constructor(
    private readonly emit: Emit,
    private readonly options: EngineOptions = {},
  ) {}

  list(owner?: string): SocketInfo[] {
    return [...this.entries.values()]
      .filter((e) => owner === undefined || e.owner === owner)
      .map((e) => ({ ...e.info }))
  }

  get size(): number {
    return this.entries.size
  }

  // --- TCP ---------------------------------------------------------------------------------

  async tcpListen(owner: string, req: Required<TcpListenReq>): Promise<SocketInfo> {
    const server = net.createServer({ allowHalfOpen: true, pauseOnConnect: req.mode === 'serial' })
    // Node's public listen() turns backlog 0 into 511; the nearest honest value is 1.
    const backlog = Math.max(1, req.backlog)
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen({ host: req.host, port: req.port, backlog }, () => {
        server.off('error', reject)
        resolve()
      })
    })
    const addr = server.address() as net.AddressInfo
    const local: Endpoint = { address: addr.address, port: addr.port, family: family(addr.family) }
    const entry = this.add(owner, 's', { kind: 'tcp-server', state: 'listening', local }, { tcpServer: server })
    if (req.mode !== 'plain') entry.responder = createResponder(this, req)
    server.on('connection', (sock) => this.accept(entry, sock))
    server.on('error', (err) => this.emitError(entry, err))
    this.push(entry, { kind: 'listening', transport: 'tcp', local, backlog, mode: req.mode })
    return { ...entry.info }
  }

  tcpConnect(owner: string, req: TcpConnectReq & { timeoutMs: number }): SocketInfo {
    const sock = new net.Socket({ allowHalfOpen: true })
    const entry = this.add(owner, 'c', { kind: 'tcp-client', state: 'connecting' }, { stream: sock })
    sock.on('lookup', (err, address, fam, host) => {
      if (!err) this.push(entry, { kind: 'lookup', host, address, family: family(fam ?? undefined) })
    })
    entry.timer = setTimeout(() => {
      if (entry.info.state === 'connecting') {
        const msg = `connect to ${req.host}:${req.port} timed out after ${req.timeoutMs} ms`
        sock.destroy(new LabFailure('ETIMEDOUT', msg))
      }
    }, req.timeoutMs)
    sock.once('connect', () => {
      clearTimeout(entry.timer)
      entry.info.state = 'open'
      entry.info.local = localOf(sock)
      entry.info.remote = remoteOf(sock)
      this.push(entry, { kind: 'connect', local: entry.info.local, remote: entry.info.remote })
      if (req.greeting) this.write(entry, encodePayload(req.greeting, 'utf-8'), false)
    })
    this.wireStream(entry, sock)
    this.push(entry, { kind: 'connecting', host: req.host, port: req.port, timeoutMs: req.timeoutMs })
    sock.connect({ host: req.host, port: req.port })
    return { ...entry.info }
  }

  tcpSend(owner: string, req: SendReq): { bytes: number } {
    const entry = this.find(owner, req.id)
    const sock = this.streamOf(entry)
    if (entry.info.state === 'connecting') throw new LabFailure('ENOTCONN', 'the socket is not connected yet')
    if (sock.writableEnded || entry.info.state === 'half-closed') {
      throw new LabFailure('EPIPE', 'this socket has already shut down its sending side')
    }
    const buf = encodePayload(req.data, req.encoding)
    this.write(entry, buf, false)
    this.parentResponder(entry)?.onManualSend(entry.info.id, buf)
    return { bytes: buf.length }
  }

  /** Half-close: send FIN ("done sending"); the socket can still receive. */
  tcpShutdown(owner: string, id: string): void {
    const entry = this.find(owner, id)
    const sock = this.streamOf(entry)
    if (sock.writableEnded) return
    sock.end()
    if (entry.info.state !== 'peer-ended') entry.info.state = 'half-closed'
    this.push(entry, { kind: 'shutdown' })
  }

  /** Abortive close: RST instead of FIN. */
  tcpReset(owner: string, id: string): void {
    const sock = this.streamOf(this.find(owner, id))
    if (sock.destroyed) return
    sock.resetAndDestroy()
  }

  // --- the listen-backlog demo --------------------------------------------------------------

  /** Decided once by the start-up self-test: the kernel's accept queue, or the labelled simulation. */
  backlogMode(): Promise<QueueMode> {
    this.queueMode ??= this.options.forceSimulatedQueue
      ? Promise.resolve({ kind: 'simulated', reason: 'forced', slots: 0 })
      : selfTest(this.bank)
    return this.queueMode
  }

  /** A serial server: accept one client, serve it until it leaves, accept the next. */
  async backlogListen(owner: string, req: Required<BacklogListenReq>): Promise<SocketInfo> {
    const acc = await openAcceptor(this.bank, await this.backlogMode(), req.host, req.port, req.backlog)
    const local: Endpoint = { address: acc.local.address, port: acc.local.port, family: family(acc.local.family) }
    const entry = this.add(
      owner,
      's',
      { kind: 'tcp-server', state: 'listening', local, queue: acc.mode },
      { acceptor: acc },
    )
    entry.responder = createResponder(this, { ...req, mode: 'serial' })
    this.push(entry, { kind: 'listening', transport: 'tcp', local, backlog: req.backlog, mode: 'serial' })
    let last = ''
    let busy = false
    const poll = async (): Promise<void> => {
      if (busy) return
      busy = true
      const kernel = acc.mode.kind === 'kernel' ? await kernelQueue(local.port) : null
      busy = false
      if (entry.closed) return
      const q = {
        kind: 'queue' as const,
        mode: acc.mode.kind,
        slots: acc.mode.slots,
        kernel,
        app: acc.appQueued(),
        overflows: listenOverflows(),
      }
      const key = JSON.stringify(q)
      if (key !== last) this.push(entry, q)
      last = key
    }
    void poll()
    entry.timer = setInterval(() => void poll(), 200)
    void this.serveLoop(entry, acc, req.serveMs)
    return { ...entry.info }
  }

  private async serveLoop(server: Entry, acc: Acceptor, serveMs: number): Promise<void> {
    while (!server.closed) {
      let sock: net.Socket
      try {
        sock = await acc.acceptOne()
      } catch {
        return // the server was closed
      }
      if (server.closed) return void sock.destroy()
      const conn = this.accept(server, sock)
      const connId = conn.info.id
      this.push(server, { kind: 'serve', conn: connId, phase: 'start' })
      const timer =
        serveMs > 0
          ? setTimeout(() => {
              conn.cause ??= 'timeout'
              void this.closeEntry(conn, false)
            }, serveMs)
          : undefined
      if (!sock.destroyed) await new Promise((r) => sock.once('close', r))
      clearTimeout(timer)
      this.push(server, { kind: 'serve', conn: connId, phase: 'end', reason: conn.cause ?? 'done' })
    }
  }

  // --- UDP ---------------------------------------------------------------------------------

  async udpBind(owner: string, req: Required<UdpBindReq>): Promise<SocketInfo> {
    const fam = isIPv6(req.host) ? 'IPv6' : isIPv4(req.host) ? 'IPv4' : family((await dns.lookup(req.host)).family)
    const sock = dgram.createSocket({ type: fam === 'IPv6' ? 'udp6' : 'udp4' })
    try {
      await new Promise<void>((resolve, reject) => {
        sock.once('error', reject)
        sock.bind({ address: req.host, port: req.port, exclusive: true }, () => {
          sock.off('error', reject)
          resolve()
        })
      })
      if (req.broadcast) sock.setBroadcast(true)
    } catch (err) {
      sock.close()
      throw err
    }
    const a = sock.address()
    const local: Endpoint = { address: a.address, port: a.port, family: family(a.family) }
    const entry = this.add(owner, 'u', { kind: 'udp', state: 'bound', local }, { udp: sock })
    sock.on('message', (msg, rinfo) => {
      entry.info.bytesIn += msg.length
      const from: Endpoint = { address: rinfo.address, port: rinfo.port, family: family(rinfo.family) }
      this.emit(
        owner,
        { kind: 'data', id: entry.info.id, t: now(), bytes: msg.length, preview: '', truncated: false, from },
        msg,
      )
    })
    sock.on('error', (err) => this.emitError(entry, err))
    sock.on('close', () => this.finish(entry, false))
    this.push(entry, { kind: 'listening', transport: 'udp', local })
    return { ...entry.info }
  }

  udpSend(owner: string, req: UdpSendReq): Promise<{ bytes: number }> {
    const entry = this.find(owner, req.id)
    if (!('udp' in entry.handle)) throw new LabFailure('EPROTOTYPE', 'not a UDP socket')
    const sock = entry.handle.udp
    const buf = encodePayload(req.data, req.encoding)
    return new Promise((resolve, reject) => {
      sock.send(buf, req.port, req.host, (err) => {
        if (err) return reject(err)
        entry.info.bytesOut += buf.length
        const to: Endpoint = { address: req.host, port: req.port, family: isIPv6(req.host) ? 'IPv6' : 'IPv4' }
        this.emit(
          owner,
          { kind: 'sent', id: entry.info.id, t: now(), bytes: buf.length, preview: '', truncated: false, to },
          buf,
        )
        resolve({ bytes: buf.length })
      })
    })
  }

  // --- closing -----------------------------------------------------------------------------

  /** Python's close(): queued data is still sent, then FIN; a server stops listening. */
  close(owner: string, id: string): void {
    const entry = this.find(owner, id)
    entry.cause ??= 'hang-up'
    void this.closeEntry(entry, false)
  }

  /** Closes every socket of one owner (a window that went away). */
  closeOwner(owner: string): Promise<void> {
    return this.closeWhere((e) => e.owner === owner)
  }

  /** Closes everything, helper process included; resolves when every handle has closed. */
  async closeAll(): Promise<void> {
    await this.closeWhere(() => true)
    this.bank.stop()
  }

  /** The fd-bank helper's process id while it runs (for tests that check nothing is left). */
  get helperPid(): number | undefined {
    return this.bank.pid
  }

  private closeWhere(pred: (e: Entry) => boolean): Promise<void> {
    const waits: Promise<void>[] = []
    for (const e of [...this.entries.values()]) {
      if (pred(e)) waits.push(this.closeEntry(e, true))
    }
    return Promise.all(waits).then(() => undefined)
  }

  private closeEntry(entry: Entry, abrupt: boolean): Promise<void> {
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

  // --- ResponderHost: what the course-style server behaviours may do -----------------------

  sendAuto(connId: string, bytes: Uint8Array): void {
    const entry = this.entries.get(connId)
    if (!entry || !('stream' in entry.handle) || entry.handle.stream.writableEnded) return
    this.write(entry, Buffer.from(bytes), true)
  }

  closeConn(connId: string): void {
    const entry = this.entries.get(connId)
    if (entry) void this.closeEntry(entry, false)
  }

  resumeConn(connId: string): void {
    const entry = this.entries.get(connId)
    if (entry && 'stream' in entry.handle) entry.handle.stream.resume()
  }

  describe(connId: string): SocketInfo | undefined {
    const e = this.entries.get(connId)
    return e && { ...e.info }
  }

  // --- internals ---------------------------------------------------------------------------

  private add(
    owner: string,
    prefix: string,
    info: Omit<SocketInfo, 'id' | 'bytesIn' | 'bytesOut'>,
    handle: Handle,
  ): Entry {
    const id = `${prefix}${++this.seq}`
    const entry: Entry = { owner, handle, info: { id, bytesIn: 0, bytesOut: 0, ...info } }
    this.entries.set(id, entry)
    return entry
  }

  private find(owner: string, id: string): Entry {
    const e = this.entries.get(id)
    if (!e || e.owner !== owner) throw new LabFailure('ENOENT', `no open socket with id ${id}`)
    return e
  }

  private streamOf(entry: Entry): net.Socket {
    if (!('stream' in entry.handle)) throw new LabFailure('EPROTOTYPE', 'not a TCP connection')
    return entry.handle.stream
  }

  private parentResponder(entry: Entry): Responder | undefined {
    return entry.info.parent ? this.entries.get(entry.info.parent)?.responder : undefined
  }

  private write(entry: Entry, buf: Buffer, auto: boolean): void {
    const sock = (entry.handle as { stream: net.Socket }).stream
    entry.info.bytesOut += buf.length
    // An automatic reply to a peer that does not read must not grow without bound: stop
    // reading from that peer until what we owe it has drained.
    if (!sock.write(buf) && auto) {
      sock.pause()
      sock.once('drain', () => sock.resume())
    }
    const ev: LabEvent = { kind: 'sent', id: entry.info.id, t: now(), bytes: buf.length, preview: '', truncated: false }
    if (auto) ev.auto = true
    this.emit(entry.owner, ev, buf)
  }

  private accept(server: Entry, sock: net.Socket): Entry {
    const local = localOf(sock)
    const remote = remoteOf(sock)
    const entry = this.add(
      server.owner,
      'a',
      { kind: 'tcp-conn', state: 'open', parent: server.info.id, local, remote },
      { stream: sock },
    )
    this.push(server, { kind: 'connection', conn: entry.info.id, local, remote })
    this.wireStream(entry, sock)
    server.responder?.onConnection(entry.info.id)
    return entry
  }

  private wireStream(entry: Entry, sock: net.Socket): void {
    const id = entry.info.id
    sock.on('data', (chunk: Buffer) => {
      entry.info.bytesIn += chunk.length
      this.emit(entry.owner, { kind: 'data', id, t: now(), bytes: chunk.length, preview: '', truncated: false }, chunk)
      this.parentResponder(entry)?.onData(id, chunk)
    })
    sock.on('end', () => {
      entry.info.state = entry.info.state === 'half-closed' ? 'closed' : 'peer-ended'
      this.push(entry, { kind: 'end' })
      this.parentResponder(entry)?.onEnd(id)
    })
    sock.on('error', (err) => this.emitError(entry, err))
    sock.on('close', (hadError) => {
      this.finish(entry, hadError)
      this.parentResponder(entry)?.onClose(id)
    })
  }

  private finish(entry: Entry, hadError: boolean): void {
    clearTimeout(entry.timer)
    if (!this.entries.delete(entry.info.id)) return
    entry.info.state = 'closed'
    this.push(entry, { kind: 'close', hadError })
  }

  private emitError(entry: Entry, err: Error): void {
    const code = (err as NodeJS.ErrnoException).code ?? 'EUNKNOWN'
    this.push(entry, { kind: 'error', code, message: err.message })
  }

  private push(entry: Entry, ev: DistributiveOmit<LabEvent, 'id' | 't'>): void {
    this.emit(entry.owner, { ...ev, id: entry.info.id, t: now() } as LabEvent)
  }
}

/** The kernel's accept-queue figure: /proc on Linux, `netstat -Lan` on macOS, else null. */
function kernelQueue(port: number): Promise<number | null> {
  if (process.platform !== 'darwin') return Promise.resolve(listenQueue(port))
  return new Promise((resolve) => {
    execFile('netstat', ['-Lan', '-p', 'tcp'], { timeout: 1000 }, (err, stdout) => {
      const row = err ? undefined : parseNetstatListen(stdout).find((r) => r.port === port)
      resolve(row ? row.qlen : null)
    })
  })
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never
