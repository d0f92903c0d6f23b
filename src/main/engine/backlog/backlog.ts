/**
 * The listen-backlog demo: a serial server that accepts one client, serves it, then the next,
 * while the others wait in the kernel's accept queue (the acceptor beside this file), and a
 * 200 ms reading of that queue from the OS.
 */
import { execFile } from 'node:child_process'
import type net from 'node:net'
import type { AutoReply, BacklogListenReq, Endpoint, QueueMode, SocketInfo, ListenSpec } from '../../../shared/contract'
import { handshakes, listenOverflows, listenQueue, parseNetstatListen, readTcpTables } from '../inspector/proc-net'
import { family, type Entry, type SocketRegistry } from '../registry'
import { createResponder } from '../tcp/responder'
import type { TcpSockets } from '../tcp/tcp'
import { FdBank } from './acceptor'
import { openAcceptor, selfTest, type Acceptor } from './backlog-queue'

export interface BacklogOptions {
  /** Skip the self-test and use the simulated accept queue (tests, troubleshooting). */
  forceSimulatedQueue?: boolean
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
   * (not in the app), so the listening socket's Recv-Q counts them.
   */
  serial(owner: string, req: ListenSpec): Promise<SocketInfo> {
    const { host, port, backlog, reply, encoding } = req
    return this.listen(owner, { host, port, backlog, reply, serveMs: 0, encoding })
  }

  /** A serial server: accept one client, serve it until it leaves, accept the next. */
  async listen(
    owner: string,
    req: Required<Omit<BacklogListenReq, 'reply'>> & { reply: AutoReply },
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
    let busy = false
    const poll = async (): Promise<void> => {
      if (busy) return
      busy = true
      const { kernel, hs } = acc.mode.kind === 'kernel' ? await kernelReading(local.port) : { kernel: null, hs: null }
      busy = false
      if (entry.closed) return
      const overflows = listenOverflows()
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
    entry.timer = setInterval(() => void poll(), 200)
    void this.serveLoop(entry, acc, req.serveMs)
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

  private async serveLoop(server: Entry, acc: Acceptor, serveMs: number): Promise<void> {
    while (!server.closed) {
      let sock: net.Socket
      try {
        sock = await acc.acceptOne()
      } catch {
        return // the server was closed
      }
      if (server.closed) return void sock.destroy()
      const conn = this.tcp.accept(server, sock)
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

/**
 * One reading of the kernel around the port: its accept-queue figure (/proc on Linux, read once
 * for both figures; `netstat -Lan` on macOS; else null) and, on Linux, the handshakes.
 */
function kernelReading(port: number): Promise<{ kernel: number | null; hs: ReturnType<typeof handshakes> }> {
  if (process.platform !== 'darwin') {
    const texts = readTcpTables()
    return Promise.resolve({ kernel: listenQueue(port, texts), hs: handshakes(port, texts) })
  }
  return new Promise((resolve) => {
    execFile('netstat', ['-Lan', '-p', 'tcp'], { timeout: 1000 }, (err, stdout) => {
      const row = err ? undefined : parseNetstatListen(stdout).find((r) => r.port === port)
      resolve({ kernel: row ? row.qlen : null, hs: null })
    })
  })
}
