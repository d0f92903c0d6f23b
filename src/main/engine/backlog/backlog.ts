/**
 * The listen-backlog demo: a serial server that accepts one client, serves it, then the next,
 * while the others wait in the kernel's accept queue (the acceptor beside this file), and a
 * reading of that queue from the OS every 200 ms (slower where a reading costs more: macOS).
 */
import type net from 'node:net'
import type tls from 'node:tls'
import type { AutoReply, BacklogListenReq, Endpoint, QueueMode, SocketInfo, ListenSpec } from '../../../shared/contract'
import { kernelReading, readingInterval, type KernelReading } from '../inspector/kernel-reading'
import { family, type Entry, type SocketRegistry } from '../registry'
import { createResponder } from '../tcp/responder'
import type { TcpSockets } from '../tcp/tcp'
import { acceptSecure } from '../tls/tls'
import { FdBank } from './acceptor'
import { openAcceptor, selfTest, type Acceptor } from './backlog-queue'

export interface BacklogOptions {
  /** Skip the self-test and use the simulated accept queue (tests, troubleshooting). */
  forceSimulatedQueue?: boolean
  /** Where the kernel's figures come from (tests: an OS whose reading is slow, as macOS's is). */
  readKernel?: (port: number) => Promise<KernelReading>
}

export class BacklogDemo {
  private readonly bank = new FdBank()
  private queueMode: Promise<QueueMode> | undefined

  constructor(
    private readonly reg: SocketRegistry,
    private readonly tcp: TcpSockets,
    private readonly options: BacklogOptions = {},
  ) {}

  /** Decided once by the start-up self-test: the kernel's accept queue, or the labelled simulation. */
  mode(): Promise<QueueMode> {
    this.queueMode ??= this.options.forceSimulatedQueue
      ? Promise.resolve({ kind: 'simulated', reason: 'forced', slots: 0 })
      : selfTest(this.bank)
    return this.queueMode
  }

  /**
   * The chat's serial server, as the course's Python runs it: accept() one caller, talk until
   * "bye", then accept() the next; the callers after the first wait in the kernel's accept queue
   * (not in the app), so the listening socket's Recv-Q counts them. Over TLS (`secure`), each
   * caller's handshake once it is accepted, as Python's `wrap_socket` on the accepted socket.
   */
  serial(owner: string, req: ListenSpec, secure?: tls.SecureContext): Promise<SocketInfo> {
    const { host, port, backlog, reply, encoding, rules } = req
    // The machine's dropped-SYN counter is no figure of this server's: the chat does not report it
    // (the backlog demo does, labelled as the machine's).
    return this.listen(
      owner,
      { host, port, backlog, reply, serveMs: 0, encoding, ...(rules ? { rules } : {}) },
      { machineDrops: false, ...(secure ? { secure } : {}) },
    )
  }

  /** A serial server: accept one client, serve it until it leaves, accept the next. */
  async listen(
    owner: string,
    req: Required<Omit<BacklogListenReq, 'reply'>> & { reply: AutoReply; rules?: string[] },
    opts: { machineDrops?: boolean; secure?: tls.SecureContext } = {},
  ): Promise<SocketInfo> {
    const acc = await openAcceptor(this.bank, await this.mode(), req.host, req.port, req.backlog)
    const local: Endpoint = { address: acc.local.address, port: acc.local.port, family: family(acc.local.family) }
    const entry = this.reg.add(
      owner,
      's',
      { kind: 'tcp-server', state: 'listening', local, queue: acc.mode },
      { acceptor: acc },
    )
    entry.responder = createResponder(this.tcp, { ...req, mode: 'serial' })
    this.reg.push(entry, { kind: 'listening', transport: 'tcp', local, backlog: req.backlog, mode: 'serial' })
    // A queue event when the figures a class watches change (waiting, places), or when the
    // kernel dropped handshakes meanwhile: never the same figures again every 200 ms.
    let last = ''
    let lastOverflows: number | null = null
    const poll = async (): Promise<void> => {
      const t0 = performance.now()
      const r = await (this.options.readKernel ?? kernelReading)(local.port)
      if (entry.closed) return
      // the next reading when this one's cost allows (macOS spawns netstat twice for it)
      entry.timer = setTimeout(() => void poll(), readingInterval(performance.now() - t0))
      const overflows = opts.machineDrops === false ? null : r.overflows
      const kernel = acc.mode.kind === 'kernel' ? r.kernel : null
      const hs = acc.mode.kind === 'kernel' ? r.hs : null
      const q = {
        kind: 'queue' as const,
        mode: acc.mode.kind,
        slots: acc.mode.slots,
        kernel,
        app: acc.appQueued(),
        overflows,
        ...(hs ?? {}),
      }
      const dropped = overflows !== null && lastOverflows !== null ? overflows - lastOverflows : 0
      const key = JSON.stringify([q.mode, q.slots, q.kernel, q.app, hs])
      if (key === last && dropped <= 0) return
      this.reg.push(entry, dropped > 0 ? { ...q, dropped } : q)
      last = key
      lastOverflows = overflows
    }
    void poll()
    void this.serveLoop(entry, acc, req.serveMs, opts.secure)
    return { ...entry.info }
  }

  /** The fd-bank helper's process id while it runs (for tests that check nothing is left). */
  get helperPid(): number | undefined {
    return this.bank.pid
  }

  /** Stops the helper process (once every socket is closed). */
  stop(): void {
    this.bank.stop()
  }

  private async serveLoop(server: Entry, acc: Acceptor, serveMs: number, secure?: tls.SecureContext): Promise<void> {
    while (!server.closed) {
      let sock: net.Socket
      try {
        sock = await acc.acceptOne()
      } catch {
        return // the server was closed
      }
      if (server.closed) return void sock.destroy()
      const conn = secure
        ? await acceptSecure(sock, secure, (s) => this.tcp.accept(server, s), this.reg)
        : this.tcp.accept(server, sock)
      const connId = conn.info.id
      this.reg.push(server, { kind: 'serve', conn: connId, phase: 'start' })
      const timer =
        serveMs > 0
          ? setTimeout(() => {
              conn.cause ??= 'timeout'
              void this.reg.closeEntry(conn, false)
            }, serveMs)
          : undefined
      if (!sock.destroyed) await new Promise((r) => sock.once('close', r))
      clearTimeout(timer)
      this.reg.push(server, { kind: 'serve', conn: connId, phase: 'end', reason: conn.cause ?? 'done' })
    }
  }
}
