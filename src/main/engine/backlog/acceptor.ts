/**
 * The kernel-queue acceptor: takes exactly one connection per acceptOne(), so later clients
 * wait in the kernel's accept queue (listen backlog) and extra ones meet the OS's own
 * behaviour, as with Python's serial `accept()` loop.
 *
 * Node accepts every pending connection whenever its loop runs and has no public way to stop
 * (nodejs/node#1744). The "fd bank" used here (see shared/research/listen-backlog.md):
 * - a tiny helper process holds an un-listened duplicate of the listening socket, so the socket
 *   lives on while nothing in this process polls it;
 * - for each accept, this process borrows a fresh duplicate, listen()s on it (on Linux that only
 *   sets the backlog of the same socket), and closes it inside `onconnection`: libuv's accept
 *   loop stops as soon as the fd is gone, so exactly one connection is taken.
 * This relies on undocumented internals (`server._handle`, raw handle listen/close/onconnection,
 * `new net.Socket({ handle })`): they live here only, and selfTest() proves at start-up that
 * they still behave. Where it fails, or on Windows (libuv keeps 32 AcceptEx calls posted there),
 * the labelled simulated queue is used instead.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import net from 'node:net'
import { listenOn } from '../listen'

/** The raw libuv TCP handle as Node exposes it internally. */
interface RawTcp {
  listen(backlog: number): number
  close(cb?: () => void): void
  onconnection: ((status: number, client?: RawTcp) => void) | null
}

const HELPER = `
const kept = new Map()
process.on('message', (m, handle) => {
  if (m.cmd === 'keep') { kept.set(m.key, handle); process.send({ cmd: 'kept', key: m.key }) }
  else if (m.cmd === 'lend') process.send({ cmd: 'lent', key: m.key, seq: m.seq }, kept.get(m.key))
  else if (m.cmd === 'drop') { const h = kept.get(m.key); kept.delete(m.key); if (h) h.close(); process.send({ cmd: 'dropped', key: m.key }) }
})
process.on('disconnect', () => process.exit(0))
`

type Reply = { cmd: string; key: number; seq?: number }

/** One helper process per engine, started on first use, holding the sockets of every acceptor. */
export class FdBank {
  private child: ChildProcess | undefined
  private waiting = new Map<string, (handle: unknown) => void>()
  private seq = 0

  private start(): ChildProcess {
    if (this.child) return this.child
    const env = { ...process.env }
    // In Electron the helper is Electron itself running as plain Node. That needs Electron's
    // RunAsNode fuse, on by default; were it turned off (electron-builder's `electronFuses`),
    // this would start a second app instead, which quits on the single-instance lock, and the
    // backlog demo would fall back to its simulated queue. test/package/builder-config.test.ts
    // keeps the fuse on.
    if (process.versions['electron']) env['ELECTRON_RUN_AS_NODE'] = '1'
    const child = spawn(process.execPath, ['-e', HELPER], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'], env })
    child.on('message', (m: Reply, handle: unknown) => {
      const k = `${m.cmd}:${m.key}:${m.seq ?? ''}`
      const w = this.waiting.get(k)
      this.waiting.delete(k)
      w?.(handle)
    })
    child.on('exit', () => {
      if (this.child === child) this.child = undefined
    })
    child.unref()
    ;(child as unknown as { channel?: { unref(): void } }).channel?.unref()
    return (this.child = child)
  }

  private request(msg: { cmd: string; key: number }, reply: string, handle?: unknown): Promise<unknown> {
    const child = this.start()
    const seq = ++this.seq
    const k = `${reply}:${msg.key}:${reply === 'lent' ? seq : ''}`
    const channel = (child as unknown as { channel?: { ref(): void; unref(): void } }).channel
    channel?.ref() // keep the process alive while an answer is due
    return new Promise<unknown>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(k)
        reject(new Error(`the accept helper did not answer "${msg.cmd}"`))
      }, 5000)
      this.waiting.set(k, (h) => {
        clearTimeout(timer)
        resolve(h)
      })
      child.send({ ...msg, seq }, handle as net.Server | undefined, (err) => {
        if (err) {
          clearTimeout(timer)
          this.waiting.delete(k)
          reject(err)
        }
      })
    }).finally(() => {
      if (this.waiting.size === 0) channel?.unref()
    })
  }

  keep(key: number, handle: unknown): Promise<unknown> {
    return this.request({ cmd: 'keep', key }, 'kept', handle)
  }

  lend(key: number): Promise<RawTcp> {
    return this.request({ cmd: 'lend', key }, 'lent') as Promise<RawTcp>
  }

  drop(key: number): Promise<unknown> {
    return this.request({ cmd: 'drop', key }, 'dropped')
  }

  get pid(): number | undefined {
    return this.child?.pid
  }

  stop(): void {
    this.child?.kill()
    this.child = undefined
    this.waiting.clear()
  }
}

let keys = 0

/** A listening socket from which connections are taken one accept() at a time. */
export class KernelAcceptor {
  private pending: { cancel: () => void } | undefined
  private closed = false

  private constructor(
    private readonly bank: FdBank,
    private readonly key: number,
    readonly local: net.AddressInfo,
    readonly backlog: number,
  ) {}

  /** Listens with exactly `backlog` (0 included) and parks the socket in the bank. */
  static async open(bank: FdBank, host: string, port: number, backlog: number): Promise<KernelAcceptor> {
    const server = net.createServer()
    const key = ++keys
    // Everything up to server.close() runs before any poll phase could accept a connection.
    const local = await listenOn(server, { host, port, backlog: Math.max(1, backlog), exclusive: true })
    const handle = (server as unknown as { _handle: RawTcp })._handle
    handle.listen(backlog) // Node's listen() turns 0 into 511; the raw handle takes it as given
    const kept = bank.keep(key, handle)
    server.close() // this process stops polling it; the helper's copy keeps it alive
    await kept
    return new KernelAcceptor(bank, key, local, backlog)
  }

  /** Like Python's accept(): resolves with the next connection when one is (or becomes) queued. */
  async acceptOne(opts: { allowHalfOpen?: boolean } = {}): Promise<net.Socket> {
    if (this.closed) throw new Error('acceptor closed')
    if (this.pending) throw new Error('an accept is already waiting')
    const dup = await this.bank.lend(this.key)
    return new Promise<net.Socket>((resolve, reject) => {
      const done = (): void => {
        this.pending = undefined
        dup.onconnection = null
        dup.close()
      }
      this.pending = {
        cancel: () => {
          done()
          reject(new Error('accept cancelled'))
        },
      }
      dup.onconnection = (status, client) => {
        done()
        if (status < 0 || !client) return reject(new Error(`accept failed (${status})`))
        const sock = new net.Socket({
          handle: client,
          allowHalfOpen: opts.allowHalfOpen ?? false,
          readable: true,
          writable: true,
        } as never)
        resolve(sock)
      }
      const err = dup.listen(this.backlog)
      if (err) {
        done()
        reject(new Error(`listen on the duplicate failed (${err})`))
      }
    })
  }

  /** Closing the last copy resets every client still in the queue, as close() does in Python. */
  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    this.pending?.cancel()
    await this.bank.drop(this.key)
  }
}
