/**
 * TCP sockets of the engine: servers (plain, or answering as the course's servers do), clients,
 * send (repeated back-to-back to show that TCP keeps bytes, not boundaries), half-close, reset,
 * and what a capturing client received. Also the host the course-style responders act through.
 */
import net from 'node:net'
import type tls from 'node:tls'
import type {
  Endpoint,
  LabEvent,
  Received,
  SendReq,
  SocketInfo,
  TcpConnectReq,
  ListenSpec,
} from '../../../shared/contract'
import { LIMITS } from '../../../shared/contract'
import { now } from '../clock'
import { LabFailure } from '../errors'
import { listenOn } from '../listen'
import { asBuffer, encodePayload } from '../payload'
import { family, localOf, remoteOf, type Entry, type SocketRegistry } from '../registry'
import { Captures } from './capture'
import { bulkReader } from './bulk'
import { flushed, pauseUntilDrained, room } from './flow'
import type { CertStore } from '../tls/cert'
import { acceptSecure, afterHandshake, secureClient, serverContext } from '../tls/tls'
import { createResponder, type PlainOptions, type Responder, type ResponderHost } from './responder'

export class TcpSockets implements ResponderHost {
  private readonly captures = new Captures()

  /**
   * @param serialServer the serial server, as the course's Python runs it: its later callers wait
   *   in the kernel's accept queue, which only the backlog demo's acceptor can show (backlog/);
   *   over TLS, each caller's handshake once it is accepted, as Python's wrap_socket does.
   */
  constructor(
    private readonly reg: SocketRegistry,
    private readonly serialServer: (owner: string, req: ListenSpec, secure?: tls.SecureContext) => Promise<SocketInfo>,
    private readonly certs: CertStore,
  ) {}

  /**
   * `bulk` (the CLI's raw sink, plain mode): each connection reads into a 1 MiB buffer of its own
   * instead of Node's 64 KiB reads, a fraction of the callbacks for a flood. Its `data` payload is
   * then a view of that buffer, valid only while the event is handled (a listener that keeps it
   * copies it); no responder or capture keeps a plain server's reads.
   * `closeOnEnd` (plain mode, see PlainOptions) or rules give a plain server a responder.
   */
  async listen(owner: string, req: ListenSpec & { bulk?: boolean } & PlainOptions): Promise<SocketInfo> {
    const secure = req.tls ? await serverContext(req.tls, this.certs) : undefined
    if (req.mode === 'serial') return this.serialServer(owner, req, secure)
    const bulk = req.bulk === true && req.mode === 'plain' && !req.tls
    const server = net.createServer({ allowHalfOpen: true, pauseOnConnect: bulk })
    // Node's public listen() turns backlog 0 into 511; the nearest honest value is 1.
    const backlog = Math.max(1, req.backlog)
    const addr = await listenOn(server, { host: req.host, port: req.port, backlog })
    const local: Endpoint = { address: addr.address, port: addr.port, family: family(addr.family) }
    const entry = this.reg.add(owner, 's', { kind: 'tcp-server', state: 'listening', local }, { tcpServer: server })
    if (req.mode !== 'plain' || req.rules?.length || req.closeOnEnd)
      entry.responder = createResponder(this, req, { closeOnEnd: req.closeOnEnd === true })
    server.on('connection', (sock) =>
      secure
        ? void acceptSecure(sock, secure, (s) => this.accept(entry, s), this.reg)
        : this.accept(entry, bulk ? bulkReader(sock) : sock),
    )
    server.on('error', (err) => this.reg.emitError(entry, err))
    this.reg.push(entry, { kind: 'listening', transport: 'tcp', local, backlog, mode: req.mode })
    return { ...entry.info }
  }

  connect(owner: string, req: TcpConnectReq & { timeoutMs: number }): SocketInfo {
    const raw = new net.Socket({ allowHalfOpen: true })
    const entry = this.reg.add(owner, 'c', { kind: 'tcp-client', state: 'connecting' }, { stream: raw })
    // TLS starts once TCP is up, on the connected socket's own handle
    const tlsUp = req.tls
      ? secureClient(raw, req.host, req.tls, entry, this.reg, (s) => this.wireStream(entry, s), req.timeoutMs)
      : undefined
    if (req.capture) this.captures.start(owner, entry.info.id)
    raw.on('lookup', (err, address, fam, host) => {
      if (!err) this.reg.push(entry, { kind: 'lookup', host, address, family: family(fam ?? undefined) })
    })
    const late = `connect to ${req.host}:${req.port} timed out after ${req.timeoutMs} ms`
    entry.timer = setTimeout(
      () => entry.info.state === 'connecting' && raw.destroy(new LabFailure('ETIMEDOUT', late)),
      req.timeoutMs,
    )
    raw.once('connect', () => {
      clearTimeout(entry.timer)
      entry.info.state = 'open'
      entry.info.local = localOf(raw)
      entry.info.remote = remoteOf(raw)
      tlsUp?.()
      this.reg.push(entry, { kind: 'connect', local: entry.info.local, remote: entry.info.remote })
      if (req.greeting) this.write(entry, encodePayload(req.greeting, 'utf-8'), false)
    })
    if (!req.tls) this.wireStream(entry, raw)
    const { host, port, timeoutMs } = req
    this.reg.push(entry, { kind: 'connecting', host, port, timeoutMs, ...(net.isIP(host) ? {} : { resolving: true }) })
    // a capture on: the SYN waits for a capturer that has this port
    const go = (): unknown => entry.info.state === 'connecting' && !raw.destroyed && raw.connect({ host, port })
    void (this.reg.connectGate(owner, port)?.then(go) ?? go())
    return { ...entry.info }
  }

  send(owner: string, req: SendReq): { bytes: number } {
    const entry = this.reg.find(owner, req.id)
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

  /**
   * Bytes as they are (a file, a stream), with back-pressure: resolves once the socket has taken
   * them, at once while its buffer has room, else when it has drained. For the CLI's stdin.
   */
  sendBytes(owner: string, id: string, buf: Buffer): Promise<void> {
    const entry = this.reg.find(owner, id)
    const sock = this.streamOf(entry)
    if (sock.writableEnded || entry.info.state === 'half-closed')
      return Promise.reject(new LabFailure('EPIPE', 'this socket has already shut down its sending side'))
    this.write(entry, buf, false)
    return room(sock)
  }

  /**
   * Resolves once everything written so far has left Node for the kernel (after shutdown(), the
   * FIN too), or the socket has closed: what a sender waits for before it may close without
   * losing what it queued.
   */
  flushed(owner: string, id: string): Promise<void> {
    return flushed(this.streamOf(this.reg.find(owner, id)))
  }

  /** Everything a capturing client received, whole. */
  received(owner: string, id: string): Received {
    return this.captures.get(owner, id)
  }

  /** Half-close: send FIN ("done sending"); the socket can still receive. */
  shutdown(owner: string, id: string): void {
    const entry = this.reg.find(owner, id)
    const sock = this.streamOf(entry)
    if (sock.writableEnded) return
    afterHandshake(sock, () => sock.end())
    if (entry.info.state !== 'peer-ended') entry.info.state = 'half-closed'
    this.reg.push(entry, { kind: 'shutdown' })
  }

  /** Abortive close: RST instead of FIN. */
  reset(owner: string, id: string): void {
    const entry = this.reg.find(owner, id)
    const sock = this.streamOf(entry)
    if (sock.destroyed) return
    entry.reset = true
    sock.resetAndDestroy()
  }

  /** A connection a server took (from Node's accept loop, or the backlog demo's acceptor). */
  accept(server: Entry, sock: net.Socket): Entry {
    const local = localOf(sock)
    const remote = remoteOf(sock)
    const entry = this.reg.add(
      server.owner,
      'a',
      { kind: 'tcp-conn', state: 'open', parent: server.info.id, local, remote },
      { stream: sock },
    )
    this.reg.push(server, { kind: 'connection', conn: entry.info.id, local, remote })
    this.wireStream(entry, sock)
    server.responder?.onConnection(entry.info.id)
    return entry
  }

  dropOwner(owner: string): void {
    this.captures.dropOwner(owner)
  }

  clear(): void {
    this.captures.clear()
  }

  // --- ResponderHost: what the course-style server behaviours may do -----------------------

  sendAuto(connId: string, bytes: Uint8Array): void {
    this.sendAutoAll([connId], bytes)
  }

  /** The same bytes to many connections (a room's broadcast): every write first, then the lab's
   * record of each, so the last member is not kept waiting for the others' bookkeeping. */
  sendAutoAll(connIds: Iterable<string>, bytes: Uint8Array): void {
    const buf = asBuffer(bytes)
    const written: Entry[] = []
    for (const id of connIds) {
      const entry = this.owing(id, buf.length)
      if (!entry) continue
      this.put(entry, buf, true)
      written.push(entry)
    }
    for (const entry of written) this.record(entry, buf, true)
  }

  /** A connection automatic replies may still go to: open, and not owed too much already. */
  private owing(connId: string, more: number): Entry | undefined {
    const entry = this.reg.get(connId)
    if (!entry || !('stream' in entry.handle)) return undefined
    const sock = entry.handle.stream
    if (sock.writableEnded || sock.destroyed) return undefined
    // A peer that never reads (a room member asleep, a script that only sends) would make the
    // server keep every broadcast: past the bound it is disconnected, as real servers do.
    if (sock.writableLength + more > LIMITS.maxOwedBytes) {
      const mib = LIMITS.maxOwedBytes / 1024 / 1024
      sock.destroy(new LabFailure('ENOBUFS', `the peer has not read ${mib} MiB owed to it: disconnected`))
      return undefined
    }
    return entry
  }

  closeConn(connId: string): void {
    const entry = this.reg.get(connId)
    if (entry) void this.reg.closeEntry(entry, false)
  }

  resumeConn(connId: string): void {
    const entry = this.reg.get(connId)
    if (entry && 'stream' in entry.handle) entry.handle.stream.resume()
  }

  rename(connId: string, name: string): void {
    const entry = this.reg.get(connId)
    if (!entry) return
    entry.info.name = name
    this.reg.push(entry, { kind: 'name', name })
  }

  describe(connId: string): SocketInfo | undefined {
    const e = this.reg.get(connId)
    return e && { ...e.info }
  }

  // --- internals ---------------------------------------------------------------------------

  private streamOf(entry: Entry): net.Socket {
    if (!('stream' in entry.handle)) throw new LabFailure('EPROTOTYPE', 'not a TCP connection')
    return entry.handle.stream
  }

  private parentResponder(entry: Entry): Responder | undefined {
    return entry.info.parent ? this.reg.get(entry.info.parent)?.responder : undefined
  }

  private write(entry: Entry, buf: Buffer, auto: boolean): void {
    this.put(entry, buf, auto)
    this.record(entry, buf, auto)
  }

  private put(entry: Entry, buf: Buffer, auto: boolean): void {
    const sock = (entry.handle as { stream: net.Socket }).stream
    // An automatic reply to a peer that does not read must not grow without bound: stop
    // reading from that peer until what we owe it has drained.
    if (!sock.write(buf) && auto) pauseUntilDrained(sock)
  }

  /** The lab's record of a write: the socket's count and its 'sent' event. */
  private record(entry: Entry, buf: Buffer, auto: boolean): void {
    entry.info.bytesOut += buf.length
    const ev: LabEvent = { kind: 'sent', id: entry.info.id, t: now(), bytes: buf.length, preview: '', truncated: false }
    if (auto) ev.auto = true
    this.reg.emit(entry.owner, ev, buf)
  }

  private wireStream(entry: Entry, sock: net.Socket): void {
    const id = entry.info.id
    sock.on('data', (chunk: Buffer) => {
      entry.info.bytesIn += chunk.length
      this.captures.add(id, chunk)
      this.reg.emit(
        entry.owner,
        { kind: 'data', id, t: now(), bytes: chunk.length, preview: '', truncated: false },
        chunk,
      )
      this.parentResponder(entry)?.onData(id, chunk)
    })
    sock.on('end', () => {
      entry.info.state = entry.info.state === 'half-closed' ? 'closed' : 'peer-ended'
      this.reg.push(entry, { kind: 'end' })
      this.parentResponder(entry)?.onEnd(id)
    })
    sock.on('error', (err) => this.reg.emitError(entry, err))
    sock.on('close', (hadError) => {
      this.reg.finish(entry, hadError)
      this.parentResponder(entry)?.onClose(id)
    })
  }
}
