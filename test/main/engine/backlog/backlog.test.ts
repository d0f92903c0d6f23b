/**
 * The listen-backlog demo on real sockets: the kernel's accept queue (Linux), and the labelled
 * simulated queue used where the self-test fails (forced here).
 */
import { afterEach, describe, expect, it } from 'vitest'
import type { LabEvent, SocketInfo } from '../../../../src/shared/contract'
import { SocketEngine } from '../../../../src/main/engine/engine'
import { queueSlots } from '../../../../src/main/engine/backlog/backlog-queue'
import { createHarness } from '../../../support/engine-harness'
import { processGone, until } from '../../../support/until'
import { startPython } from '../../../support/python'

const linux = process.platform === 'linux'
let h = createHarness()
afterEach(async () => {
  await h.engine.closeAll()
  h = createHarness()
})

const demo = (backlog: number, serveMs = 0) =>
  h.engine.backlog.listen('o', { host: '127.0.0.1', port: 0, backlog, reply: 'echo', serveMs, encoding: 'utf-8' })

/** Starts n clients 40 ms apart, in order. */
async function clients(server: SocketInfo, n: number, timeoutMs: number): Promise<SocketInfo[]> {
  const out: SocketInfo[] = []
  for (let i = 0; i < n; i++) {
    out.push(h.engine.tcp.connect('o', { host: '127.0.0.1', port: server.local!.port, timeoutMs }))
    await new Promise((r) => setTimeout(r, 40))
  }
  return out
}

const connected = (c: SocketInfo) => h.of(c.id, 'connect').length > 0
const served = () =>
  h.events.filter((r) => r.ev.kind === 'serve' && r.ev.phase === 'start').map((r) => (r.ev as { conn: string }).conn)
const remoteOf = (conn: string) =>
  (
    h.events.find((r) => r.ev.kind === 'connection' && r.ev.conn === conn)!.ev as Extract<
      LabEvent,
      { kind: 'connection' }
    >
  ).remote.port
const localPort = (c: SocketInfo) => (h.of(c.id, 'connect')[0] as Extract<LabEvent, { kind: 'connect' }>).local.port

describe.skipIf(!linux)('kernel accept queue (Linux)', () => {
  it('the start-up self-test picks the kernel queue and says why', async () => {
    expect(await h.engine.backlog.mode()).toMatchObject({ kind: 'kernel', reason: 'self-test-passed-kernel-figures' })
  })

  it('queue figures are pushed when they change, not on every reading', async () => {
    const s = await demo(2)
    await h.waitKind(s.id, 'queue')
    await new Promise((r) => setTimeout(r, 1100)) // five readings, nothing changed
    expect(h.of(s.id, 'queue')).toHaveLength(1)
  })

  it('backlog 2, six clients: one served, three waiting in the kernel queue, two dropped until they time out', async () => {
    const s = await demo(2)
    expect(s.queue).toEqual({ kind: 'kernel', reason: 'self-test-passed-kernel-figures', slots: 3 })
    const overflowsBefore = (await h.waitKind(s.id, 'queue')).overflows!
    const cs = await clients(s, 6, 700) // under Linux's 1 s SYN retry: the dropped ones cannot get in
    await h.waitFor((e) => e.kind === 'queue' && e.id === s.id && e.kernel === 3)
    expect(cs.map(connected)).toEqual([true, true, true, true, false, false])
    expect(served()).toHaveLength(1)
    expect(remoteOf(served()[0]!)).toBe(localPort(cs[0]!))
    for (const c of cs.slice(4)) expect((await h.waitKind(c.id, 'error', 2000)).code).toBe('ETIMEDOUT')
    const q = h.of(s.id, 'queue').at(-1) as Extract<LabEvent, { kind: 'queue' }>
    expect(q.overflows! - overflowsBefore).toBeGreaterThanOrEqual(2) // the kernel counted the dropped SYNs
    // While the dropped clients retry, the figures stay "3 of 3": an event then says what was
    // dropped (+N) or how the handshakes changed, never the same figures again.
    const shown = h.of(s.id, 'queue').map((e) => {
      const x = e as Extract<LabEvent, { kind: 'queue' }>
      return { figures: JSON.stringify([x.kernel, x.app, x.slots, x.synRecv, x.synSent]), dropped: x.dropped ?? 0 }
    })
    expect(shown.filter((x, i) => i > 0 && x.figures === shown[i - 1]!.figures && x.dropped === 0)).toEqual([])
    expect(shown.some((x) => x.dropped > 0)).toBe(true)
    // The kernel's table, read on each reading: the clients whose SYN was dropped are in SYN_SENT.
    expect(h.of(s.id, 'queue').some((e) => ((e as { synSent?: number }).synSent ?? 0) >= 2)).toBe(true)
  })

  it('a client that sends while queued is answered once accepted; clients are served in order', async () => {
    const s = await demo(2)
    const cs = await clients(s, 3, 5000)
    await h.waitFor((e) => e.kind === 'queue' && e.id === s.id && e.kernel === 2)
    h.engine.tcp.send('o', { id: cs[1]!.id, data: 'sent while waiting', encoding: 'utf-8' })
    await new Promise((r) => setTimeout(r, 100))
    expect(h.bytesIn(cs[1]!.id).length).toBe(0) // nobody has accept()ed it yet
    h.engine.close('o', served()[0]!) // the teacher hangs up on the first client
    expect((await h.waitBytes(cs[1]!.id, 18)).toString()).toBe('sent while waiting')
    h.engine.tcp.send('o', { id: cs[1]!.id, data: 'bye', encoding: 'utf-8' })
    await h.waitFor((e) => e.kind === 'serve' && e.phase === 'start' && served().length === 3)
    expect(served().map(remoteOf)).toEqual(cs.map(localPort))
    const ends = h.of(s.id, 'serve').filter((e) => e.kind === 'serve' && e.phase === 'end') as Extract<
      LabEvent,
      { kind: 'serve' }
    >[]
    expect(ends.map((e) => e.reason)).toEqual(['hang-up', 'done'])
  })

  it('serves each client for serveMs, then the next', async () => {
    const s = await demo(5, 150)
    const cs = await clients(s, 3, 5000)
    for (const c of cs) await h.waitKind(c.id, 'end', 3000)
    await h.waitFor((e) => e.kind === 'serve' && e.phase === 'end' && h.of(s.id, 'serve').length === 6)
    const ends = h.of(s.id, 'serve').filter((e) => e.kind === 'serve' && e.phase === 'end') as Extract<
      LabEvent,
      { kind: 'serve' }
    >[]
    expect(ends.map((e) => e.reason)).toEqual(['timeout', 'timeout', 'timeout'])
  })

  it('closing the server resets the clients still queued and stops the helper process', async () => {
    const s = await demo(2)
    const cs = await clients(s, 3, 5000)
    await h.waitFor((e) => e.kind === 'queue' && e.id === s.id && e.kernel === 2)
    const pid = h.engine.helperPid!
    expect(pid).toBeGreaterThan(0)
    h.engine.close('o', s.id)
    for (const c of cs.slice(1)) expect((await h.waitKind(c.id, 'error')).code).toBe('ECONNRESET')
    await h.engine.closeAll()
    expect(h.engine.helperPid).toBeUndefined()
    // gone: polled with a budget, not a fixed sleep (a loaded machine reaps it later)
    expect(await until(() => processGone(pid), 5000)).toBe(true)
  })

  it('eight clients dialling at once with a first message are all served, SYN-cookie handshakes included', async () => {
    const s = await demo(2, 300)
    const cs = Array.from({ length: 8 }, () =>
      h.engine.tcp.connect('o', { host: '127.0.0.1', port: s.local!.port, timeoutMs: 20_000, greeting: 'hello' }),
    )
    await h.waitFor(() => served().length === 8, 15_000)
    for (const c of cs) expect((await h.waitBytes(c.id, 5)).toString()).toBe('hello') // each got its echo
  }, 20_000)

  it('takes backlog 0 as given (Node alone would make it 511)', async () => {
    const s = await demo(0)
    expect(s.queue!.slots).toBe(1)
    await clients(s, 4, 600)
    await h.waitFor((e) => e.kind === 'queue' && e.id === s.id && e.kernel === 1)
    await new Promise((r) => setTimeout(r, 150))
    expect((h.of(s.id, 'queue').at(-1) as { kernel: number }).kernel).toBe(1)
  })
})

describe('simulated accept queue (the fallback, forced)', () => {
  it('is labelled, keeps the app-level queue, and resets the extra clients', async () => {
    const e = createHarness()
    const engine = new SocketEngine(
      (o, ev, p) => e.events.push({ owner: o, ev, payload: p ? Buffer.from(p) : undefined }),
      { forceSimulatedQueue: true },
    )
    try {
      expect(await engine.backlog.mode()).toEqual({ kind: 'simulated', reason: 'forced', slots: 0 })
      const s = await engine.backlog.listen('o', {
        host: '127.0.0.1',
        port: 0,
        backlog: 2,
        reply: 'echo',
        serveMs: 0,
        encoding: 'utf-8',
      })
      expect(s.queue).toMatchObject({ kind: 'simulated', reason: 'forced', slots: queueSlots(2) })
      const cs: SocketInfo[] = []
      for (let i = 0; i < 6; i++) {
        cs.push(engine.tcp.connect('o', { host: '127.0.0.1', port: s.local!.port, timeoutMs: 3000 }))
        await new Promise((r) => setTimeout(r, 40))
      }
      const deadline = Date.now() + 3000
      const errs = () => e.events.filter((r) => r.ev.kind === 'error').map((r) => (r.ev as { code: string }).code)
      while (errs().length < 6 - 1 - queueSlots(2) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20))
      expect(errs()).toEqual(['ECONNRESET', 'ECONNRESET'])
      // the queue's figures come with the next reading (every 200 ms), not with the resets
      const latest = () =>
        e.events.filter((r) => r.ev.kind === 'queue').at(-1)!.ev as Extract<LabEvent, { kind: 'queue' }>
      await until(() => latest().app === 3)
      expect(latest()).toMatchObject({ mode: 'simulated', app: 3, kernel: null })
    } finally {
      await engine.closeAll()
    }
  })
})

describe('the kernel reading’s pace', () => {
  it('every 200 ms while a reading is cheap; far less often when each costs 80 ms (macOS spawning netstat)', async () => {
    const readings = async (costMs: number): Promise<number> => {
      let n = 0
      const readKernel = async () => {
        n++
        await new Promise((r) => setTimeout(r, costMs))
        return { kernel: 0, hs: null, overflows: null }
      }
      const engine = new SocketEngine(() => undefined, { forceSimulatedQueue: true, readKernel })
      try {
        await engine.backlog.listen('o', {
          host: '127.0.0.1',
          port: 0,
          backlog: 1,
          reply: 'none',
          serveMs: 0,
          encoding: 'utf-8',
        })
        await new Promise((r) => setTimeout(r, 2100))
      } finally {
        await engine.closeAll()
      }
      const after = n
      await new Promise((r) => setTimeout(r, 300))
      expect(n, 'no reading after the server closed').toBe(after)
      return n
    }
    const [cheap, slow] = await Promise.all([readings(0), readings(80)])
    expect(cheap).toBeGreaterThanOrEqual(8) // ~11 in 2.1 s
    expect(slow).toBeLessThanOrEqual(3) // 1 at 0 ms, then one a second
  })
})

describe('the machine’s dropped-SYN counter', () => {
  it('is reported by the backlog demo (as the machine’s), never by the chat’s serial server', async () => {
    let overflows = 100
    const events: LabEvent[] = []
    // the kernel's counter moves whatever this server does (another program's queue overflowed)
    const readKernel = async () => ({ kernel: 0, hs: null, overflows: (overflows += 3) })
    const engine = new SocketEngine((_o, ev) => void events.push(ev), { forceSimulatedQueue: true, readKernel })
    try {
      const demo = await demoServer(engine, 1)
      const chat = await engine.tcp.listen('o', {
        host: '127.0.0.1',
        port: 0,
        backlog: 1,
        mode: 'serial',
        reply: 'none',
        encoding: 'utf-8',
      })
      await until(() => events.some((e) => e.kind === 'queue' && e.id === demo.id && (e.dropped ?? 0) > 0), 3000)
      const chatQueues = events.filter((e) => e.kind === 'queue' && e.id === chat.id)
      expect(chatQueues.length).toBeGreaterThan(0)
      for (const q of chatQueues) expect(q).toMatchObject({ overflows: null })
      expect(chatQueues.some((q) => q.kind === 'queue' && q.dropped)).toBe(false)
    } finally {
      await engine.closeAll()
    }
  })
})

describe.skipIf(process.platform !== 'linux')('who waits in the accept queue (Linux)', () => {
  it('names the queued callers the app did not open (a student’s script) by their ports', async () => {
    const events: LabEvent[] = []
    const engine = new SocketEngine((_o, ev) => void events.push(ev))
    const stops: (() => void)[] = []
    try {
      const s = await demoServer(engine, 3)
      const ports: number[] = []
      for (let i = 0; i < 3; i++) {
        const py = startPython(
          `import socket, sys, time
s = socket.create_connection(('127.0.0.1', int(sys.argv[1])))
print(s.getsockname()[1], flush=True)
time.sleep(20)`,
          [String(s.local!.port)],
        )
        stops.push(py.stop)
        ports.push(Number(await py.firstLine))
      }
      // the first is accepted and served; the other two wait in the kernel's queue, named
      await until(
        () =>
          events.some(
            (e) =>
              e.kind === 'queue' &&
              e.id === s.id &&
              JSON.stringify(e.queuedPorts) === JSON.stringify(ports.slice(1).sort((a, b) => a - b)),
          ),
        5000,
      )
    } finally {
      for (const stop of stops) stop()
      await engine.closeAll()
    }
  })
})

/** The backlog demo's server on 127.0.0.1, any port, `listen(backlog)`, serving until hung up. */
function demoServer(engine: SocketEngine, backlog: number): Promise<SocketInfo> {
  return engine.backlog.listen('o', {
    host: '127.0.0.1',
    port: 0,
    backlog,
    reply: 'none',
    serveMs: 0,
    encoding: 'utf-8',
  })
}
