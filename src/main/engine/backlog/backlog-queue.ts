/**
 * Which accept queue the backlog demo shows, and the two ways to get one:
 * - kernel: the fd-bank acceptor; clients wait in the OS's own accept queue;
 * - simulated: Node accepts every connection (paused, unread) and the app keeps up to `slots` of
 *   them in its own queue, resetting the extra ones. Labelled as such in the UI, always.
 * A start-up self-test decides: it must see exactly one connection taken per accept, and on
 * Linux the kernel's own queue figure must match.
 */
import net from 'node:net'
import type { QueueMode } from '../../../shared/contract'
import { FdBank, KernelAcceptor } from './acceptor'
import { listenOn } from '../listen'
import { listenQueue } from '../inspector/proc-net'

export interface Acceptor {
  readonly local: net.AddressInfo
  readonly mode: QueueMode
  acceptOne(): Promise<net.Socket>
  /** Clients waiting to be accepted as the app sees them (simulated mode only). */
  appQueued(): number | null
  close(): Promise<void>
}

/** How many completed connections the OS queues for listen(n), as measured or documented. */
export function queueSlots(backlog: number, platform = process.platform): number {
  if (platform === 'linux') return backlog + 1
  // XNU's solisten() turns a backlog of 0 or less into somaxconn (128 by default)
  if (platform === 'darwin') return backlog <= 0 ? MAC_SOMAXCONN : Math.min(backlog, MAC_SOMAXCONN)
  return Math.max(1, backlog)
}
export const MAC_SOMAXCONN = 128

export class SimulatedAcceptor implements Acceptor {
  readonly mode: QueueMode
  private readonly queue: net.Socket[] = []
  private waiter: ((s: net.Socket) => void) | undefined

  private constructor(
    private readonly server: net.Server,
    readonly local: net.AddressInfo,
    private readonly slots: number,
    reason: string,
  ) {
    this.mode = { kind: 'simulated', reason, slots }
    server.on('connection', (s) => this.arrive(s))
  }

  static async open(host: string, port: number, backlog: number, reason: string): Promise<SimulatedAcceptor> {
    const server = net.createServer({ pauseOnConnect: true, allowHalfOpen: true })
    const local = await listenOn(server, { host, port, backlog: Math.max(1, backlog), exclusive: true })
    // An accept error (EMFILE, say) must not take the app down; the server keeps listening.
    server.on('error', () => undefined)
    return new SimulatedAcceptor(server, local, queueSlots(backlog), reason)
  }

  private arrive(s: net.Socket): void {
    if (this.waiter) {
      const w = this.waiter
      this.waiter = undefined
      return w(s)
    }
    if (this.queue.length >= this.slots) return void s.resetAndDestroy() // the app's queue is full
    s.once('close', () => {
      const i = this.queue.indexOf(s)
      if (i >= 0) this.queue.splice(i, 1)
    })
    this.queue.push(s)
  }

  acceptOne(): Promise<net.Socket> {
    const s = this.queue.shift()
    if (s) return Promise.resolve(s)
    return new Promise((resolve) => (this.waiter = resolve))
  }

  appQueued(): number {
    return this.queue.length
  }

  async close(): Promise<void> {
    this.waiter = undefined
    for (const s of this.queue.splice(0)) s.destroy()
    await new Promise<void>((r) => this.server.close(() => r()))
  }
}

class KernelQueue implements Acceptor {
  readonly mode: QueueMode
  constructor(
    private readonly acc: KernelAcceptor,
    reason: string,
  ) {
    this.mode = { kind: 'kernel', reason, slots: queueSlots(acc.backlog) }
  }
  get local(): net.AddressInfo {
    return this.acc.local
  }
  acceptOne(): Promise<net.Socket> {
    return this.acc.acceptOne({ allowHalfOpen: true })
  }
  appQueued(): null {
    return null
  }
  close(): Promise<void> {
    return this.acc.close()
  }
}

const wait = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

function timeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return Promise.race([p, wait(ms).then(() => Promise.reject(new Error(`no answer in ${ms} ms`)))])
}

/** Opens backlog+2 loopback clients against a throw-away kernel acceptor and checks it. */
export async function selfTest(bank: FdBank): Promise<QueueMode> {
  if (process.platform === 'win32') {
    return { kind: 'simulated', reason: 'windows', slots: 0 }
  }
  const backlog = 2
  const clients: net.Socket[] = []
  let acc: KernelAcceptor | undefined
  try {
    acc = await KernelAcceptor.open(bank, '127.0.0.1', 0, backlog)
    const port = acc.local.port
    let connected = 0
    for (let i = 0; i < backlog + 2; i++) {
      const c = net.connect(port, '127.0.0.1', () => connected++)
      c.on('error', () => undefined)
      clients.push(c)
    }
    for (let i = 0; i < 100 && connected < backlog + 1; i++) await wait(10)
    await wait(50)
    const before = listenQueue(port)
    const first = await timeout(acc.acceptOne(), 2000)
    await wait(50)
    const after = listenQueue(port)
    first.destroy()
    if (connected !== queueSlots(backlog)) return { kind: 'simulated', reason: 'self-test-failed', slots: 0 }
    if (before !== null && (before !== queueSlots(backlog) || after !== before - 1)) {
      return { kind: 'simulated', reason: 'self-test-failed', slots: 0 }
    }
    return {
      kind: 'kernel',
      reason: before === null ? 'self-test-passed' : 'self-test-passed-kernel-figures',
      slots: 0,
    }
  } catch {
    return { kind: 'simulated', reason: 'self-test-failed', slots: 0 }
  } finally {
    for (const c of clients) c.destroy()
    await acc?.close().catch(() => undefined)
  }
}

/** Opens the demo's listening socket in the mode the self-test chose. */
export async function openAcceptor(
  bank: FdBank,
  mode: QueueMode,
  host: string,
  port: number,
  backlog: number,
): Promise<Acceptor> {
  if (mode.kind === 'kernel') return new KernelQueue(await KernelAcceptor.open(bank, host, port, backlog), mode.reason)
  return SimulatedAcceptor.open(host, port, backlog, mode.reason)
}
