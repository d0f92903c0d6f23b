/**
 * The socket engine: every real socket the lab opens, owned by one registry. Plain Node, no
 * Electron: the Electron main process, the browser-preview bridge and the CLI all drive it.
 *
 * Each socket belongs to an owner (a window, a preview page, the CLI) and only that owner can
 * act on it. Events are handed to `emit` as they happen, one `data` event per read.
 */
import net from 'node:net'
import type {
  BacklogListenReq,
  Endpoint,
  LabEvent,
  QueueMode,
  SendReq,
  SocketInfo,
  TcpConnectReq,
  TcpListenReq,
  Received,
  SocketTable,
} from '../../shared/contract'
import { LIMITS } from '../../shared/contract'
import { now } from './clock'
import { LabFailure } from './errors'
import { encodePayload } from './payload'
import { FdBank } from './acceptor'
import { openAcceptor, selfTest, type Acceptor } from './backlog-queue'
import { listenOn } from './listen'
import { listenOverflows, listenQueue, parseNetstatListen } from './proc-net'
import { execFile } from 'node:child_process'
import { createResponder, type Responder, type ResponderHost } from './responder'
import { Captures } from './capture'
import { LabTuples } from './lab-tuples'
import { readOsSockets } from './os-sockets'
import { family, localOf, remoteOf, type Emit, type Entry } from './registry'
import { UdpSockets } from './udp'

export type { Emit } from './registry'

export interface EngineOptions {
  /** Skip the self-test and use the simulated accept queue (tests, troubleshooting). */
  forceSimulatedQueue?: boolean
}

export class SocketEngine extends UdpSockets implements ResponderHost {
  private readonly bank = new FdBank()
  private readonly captures = new Captures()
  private readonly tuples = new LabTuples()
  private queueMode: Promise<QueueMode> | undefined

  constructor(
    emit: Emit,
    private readonly options: EngineOptions = {},
  ) {
    super(emit)
  }

  // --- TCP ---------------------------------------------------------------------------------

  async tcpListen(owner: string, req: Required<TcpListenReq>): Promise<SocketInfo> {
    const server = net.createServer({ allowHalfOpen: true, pauseOnConnect: req.mode === 'serial' })
    // Node's public listen() turns backlog 0 into 511; the nearest honest value is 1.
    const backlog = Math.max(1, req.backlog)
    const addr = await listenOn(server, { host: req.host, port: req.port, backlog })
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
    if (req.capture) this.captures.start(owner, entry.info.id)
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
    const repeat = req.repeat ?? 1
    // Back-to-back sends: N send() calls handed to the kernel together, as a program calling
    // send() in a loop does. TCP keeps the bytes, not the boundaries: the peer's recv() may get
    // them in one chunk.
    if (repeat > 1) sock.cork()
    for (let i = 0; i < repeat; i++) {
      this.write(entry, buf, false)
      this.parentResponder(entry)?.onManualSend(entry.info.id, buf)
    }
    if (repeat > 1) process.nextTick(() => sock.uncork())
    return { bytes: buf.length * repeat }
  }

  /** The OS socket table, the owner's lab sockets marked (and only those unless `all`). */
  async osSockets(owner: string, all: boolean): Promise<SocketTable> {
    const cpu0 = process.cpuUsage()
    for (const e of this.entries.values()) if (e.owner === owner) this.tuples.note(e)
    const table = await readOsSockets(process.platform, all ? undefined : this.tuples.ports(owner))
    const marked = this.tuples.mark(owner, table.rows)
    const rows = all ? marked : marked.filter((r) => r.lab ?? r.peerOf)
    // The cost that sets the polling rate: this process's CPU time (the kernel's work of
    // printing /proc counts as ours), or the wall time where that is larger.
    const cpu = process.cpuUsage(cpu0)
    return { ...table, rows, costMs: Math.max(table.costMs, (cpu.user + cpu.system) / 1000) }
  }

  protected override finish(entry: Entry, hadError: boolean): void {
    this.tuples.note(entry, true)
    super.finish(entry, hadError)
  }

  /** Everything a capturing client received, whole. */
  tcpReceived(owner: string, id: string): Received {
    return this.captures.get(owner, id)
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
    const entry = this.find(owner, id)
    const sock = this.streamOf(entry)
    if (sock.destroyed) return
    entry.reset = true
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

  // --- closing -----------------------------------------------------------------------------

  /** Python's close(): queued data is still sent, then FIN; a server stops listening. */
  close(owner: string, id: string): void {
    const entry = this.find(owner, id)
    entry.cause ??= 'hang-up'
    void this.closeEntry(entry, false)
  }

  /** Closes everything, helper process included; resolves when every handle has closed. */
  override closeOwner(owner: string): Promise<void> {
    this.captures.dropOwner(owner)
    return super.closeOwner(owner)
  }

  async closeAll(): Promise<void> {
    this.captures.clear()
    await this.closeWhere(() => true)
    this.bank.stop()
  }

  /** The fd-bank helper's process id while it runs (for tests that check nothing is left). */
  get helperPid(): number | undefined {
    return this.bank.pid
  }

  // --- ResponderHost: what the course-style server behaviours may do -----------------------

  sendAuto(connId: string, bytes: Uint8Array): void {
    const entry = this.entries.get(connId)
    if (!entry || !('stream' in entry.handle)) return
    const sock = entry.handle.stream
    if (sock.writableEnded || sock.destroyed) return
    // A peer that never reads (a room member asleep, a script that only sends) would make the
    // server keep every broadcast: past the bound it is disconnected, as real servers do.
    if (sock.writableLength + bytes.length > LIMITS.maxOwedBytes) {
      const mib = LIMITS.maxOwedBytes / 1024 / 1024
      sock.destroy(new LabFailure('ENOBUFS', `the peer has not read ${mib} MiB owed to it: disconnected`))
      return
    }
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

  rename(connId: string, name: string): void {
    const entry = this.entries.get(connId)
    if (!entry) return
    entry.info.name = name
    this.push(entry, { kind: 'name', name })
  }

  describe(connId: string): SocketInfo | undefined {
    const e = this.entries.get(connId)
    return e && { ...e.info }
  }

  // --- internals ---------------------------------------------------------------------------

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
    if (!sock.write(buf) && auto && !draining.has(sock)) {
      draining.add(sock)
      sock.pause()
      sock.once('drain', () => {
        draining.delete(sock)
        sock.resume()
      })
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
      this.captures.add(id, chunk)
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
}

/** Sockets paused until what the lab owes them has drained (one 'drain' listener each). */
const draining = new WeakSet<net.Socket>()

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
