import net from 'node:net'
import type { TestContext } from 'vitest'
import type { LabEvent, SocketInfo } from '../../src/shared/contract'
import { SocketEngine } from '../../src/main/engine/engine'

export interface Recorded {
  owner: string
  ev: LabEvent
  payload?: Buffer
}

/** An engine whose events are recorded, with helpers to wait for them. */
export function createHarness() {
  const events: Recorded[] = []
  const waiters = new Set<() => void>()
  const engine = new SocketEngine((owner, ev, payload) => {
    events.push({ owner, ev, payload: payload ? Buffer.from(payload) : undefined })
    for (const w of [...waiters]) w()
  })

  function of(id: string, kind?: LabEvent['kind']): LabEvent[] {
    return events.filter((r) => r.ev.id === id && (!kind || r.ev.kind === kind)).map((r) => r.ev)
  }

  function bytesIn(id: string): Buffer {
    return Buffer.concat(events.filter((r) => r.ev.id === id && r.ev.kind === 'data').map((r) => r.payload!))
  }

  /** Resolves with the first event matching `pred` (already seen or future). */
  function waitFor<T extends LabEvent = LabEvent>(pred: (ev: LabEvent) => boolean, timeoutMs = 5000): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const hit = events.find((r) => pred(r.ev))
        if (hit) {
          waiters.delete(check)
          clearTimeout(timer)
          resolve(hit.ev as T)
        }
        return !!hit
      }
      const timer = setTimeout(() => {
        waiters.delete(check)
        reject(new Error(`timed out waiting; saw: ${events.map((r) => `${r.ev.id}:${r.ev.kind}`).join(' ')}`))
      }, timeoutMs)
      if (!check()) waiters.add(check)
    })
  }

  const waitKind = <K extends LabEvent['kind']>(id: string, kind: K, timeoutMs?: number) =>
    waitFor<Extract<LabEvent, { kind: K }>>((e) => e.id === id && e.kind === kind, timeoutMs)

  /** Waits until the data received on `id` adds up to `n` bytes. */
  async function waitBytes(id: string, n: number, timeoutMs = 5000): Promise<Buffer> {
    const deadline = Date.now() + timeoutMs
    while (bytesIn(id).length < n) {
      if (Date.now() > deadline) throw new Error(`${id} got ${bytesIn(id).length} of ${n} bytes`)
      await new Promise((r) => setTimeout(r, 5))
    }
    return bytesIn(id)
  }

  return { engine, events, of, bytesIn, waitFor, waitKind, waitBytes }
}

export const listenDefaults = { backlog: 5, mode: 'plain', reply: 'none', encoding: 'utf-8' } as const

/**
 * A TCP peer on 127.0.0.1 that accepts and never reads (until a test resumes one of `peers`): what
 * the engine sends piles up in the kernel's buffers, then in Node's. close() destroys the accepted
 * sockets and the listener.
 */
export async function sleepingPeer(): Promise<{ port: number; peers: net.Socket[]; close: () => void }> {
  const server = net.createServer({ pauseOnConnect: true })
  const peers: net.Socket[] = []
  server.on('connection', (s) => peers.push(s))
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  return {
    port: (server.address() as net.AddressInfo).port,
    peers,
    close: () => {
      for (const p of peers) p.destroy()
      server.close()
    },
  }
}

/**
 * Binds a member of multicast `group` on 0.0.0.0, any port, with loopback as its interface (the
 * group's sends leave by loopback too). Only an OS that will not join a group on loopback
 * (ENODEV, EADDRNOTAVAIL) skips the test; any other error fails it.
 */
export async function joinOnLoopback(engine: SocketEngine, ctx: TestContext, group: string): Promise<SocketInfo> {
  try {
    return await engine.udp.bind('o', { host: '0.0.0.0', port: 0, multicast: group, multicastIface: '127.0.0.1' })
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code
    if (code !== 'ENODEV' && code !== 'EADDRNOTAVAIL') throw e
    return ctx.skip(`this OS will not join a multicast group on loopback: ${(e as Error).message}`)
  }
}
