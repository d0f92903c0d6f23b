/**
 * The fault suite: peers that misbehave, run as real Python processes against the engine as the
 * app runs it (every event through the batcher to a page sink that adds up what the UI would
 * show). Nothing crashes, every byte the peer sent is counted once, memory stays bounded.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { EventRouter } from '../../../src/main/engine/batcher'
import { SocketEngine } from '../../../src/main/engine/engine'
import { LIMITS, type LabEvent, type SocketInfo, type TcpListenReq } from '../../../src/shared/contract'
import { runPython, startPython } from '../../support/python'
import { until } from '../../support/until'

const OWNER = 'w1'
const MiB = 1024 * 1024

interface Page {
  /** Bytes received per socket, as the page adds them up (data + folded overflow events). */
  bytesIn: Map<string, number>
  events: LabEvent[]
}

let engine: SocketEngine
let router: EventRouter
let page: Page

beforeEach(() => {
  router = new EventRouter()
  page = { bytesIn: new Map(), events: [] }
  router.attach(OWNER, (batch) => {
    void JSON.stringify(batch) // what the bridge does with every batch
    for (const ev of batch) {
      const bytes = ev.kind === 'data' ? ev.bytes : ev.kind === 'overflow' && ev.of === 'data' ? ev.bytes : 0
      if (bytes) page.bytesIn.set(ev.id, (page.bytesIn.get(ev.id) ?? 0) + bytes)
      if (ev.kind !== 'data' && ev.kind !== 'sent' && ev.kind !== 'overflow') page.events.push(ev)
    }
  })
  engine = new SocketEngine((owner, ev, payload) => router.push(owner, ev, payload))
})

afterEach(async () => {
  await engine.closeAll()
  router.dispose()
})

async function listen(req: Partial<TcpListenReq> = {}): Promise<number> {
  const s = await engine.tcp.listen(OWNER, {
    host: '127.0.0.1',
    port: 0,
    backlog: 511,
    mode: 'plain',
    reply: 'none',
    encoding: 'utf-8',
    ...req,
  })
  return s.local!.port
}

const conns = (): SocketInfo[] => engine.list(OWNER).filter((i) => i.kind === 'tcp-conn')
const pageEvent = (pred: (e: LabEvent) => boolean) => page.events.find(pred)
/** The shared poll, with time for a loaded machine (floods, 2,000 connections). */
const waitFor = <T>(f: () => T | undefined | null | false, ms = 10_000): Promise<T> => until(f, ms)

describe('fault suite', () => {
  it('a peer flooding 500 MB as fast as it can: every byte counted, heap bounded', async () => {
    const port = await listen()
    const { heapUsed: heap0, rss: rss0 } = process.memoryUsage()
    let peakHeap = heap0
    let peakRss = rss0
    let samples = 0
    const sampler = setInterval(() => {
      const m = process.memoryUsage()
      peakHeap = Math.max(peakHeap, m.heapUsed)
      peakRss = Math.max(peakRss, m.rss)
      samples++
    }, 20)
    const total = 500 * MiB
    const py = await runPython(
      `import socket, sys
s = socket.create_connection(('127.0.0.1', int(sys.argv[1])))
block = b'x' * (1 << 20)
for _ in range(500): s.sendall(block)
s.close()`,
      [String(port)],
      120_000,
    )
    expect(py.code).toBe(0)
    const id = (await waitFor(() => pageEvent((e) => e.kind === 'end'))).id
    clearInterval(sampler)
    await waitFor(() => page.bytesIn.get(id) === total)
    expect(engine.list(OWNER).find((i) => i.id === id)!.bytesIn).toBe(total)
    // The engine keeps counts and 4 KiB previews, never the stream: the bound is in MiB.
    const grewMiB = (peakHeap - heap0) / MiB
    const rssMiB = (peakRss - rss0) / MiB
    console.log(
      `500 MB flood: heap grew at most ${grewMiB.toFixed(1)} MiB, RSS ${rssMiB.toFixed(1)} MiB (${samples} samples)`,
    )
    expect(samples).toBeGreaterThan(5) // the loop was not starved: the samples saw the flood
    expect(grewMiB).toBeLessThan(64)
    expect(rssMiB).toBeLessThan(128)
  }, 120_000)

  it('invalid UTF-8 from a peer: counted byte for byte, broadcast to the room, the server goes on', async () => {
    const port = await listen({ mode: 'room' })
    const py = await runPython(
      `import socket, sys, time
a = socket.create_connection(('127.0.0.1', int(sys.argv[1])))
b = socket.create_connection(('127.0.0.1', int(sys.argv[1])))
time.sleep(0.3)
a.sendall(b'\\xff\\xfe\\xc3(\\x80 ok\\n')
time.sleep(0.3)
b.settimeout(2)
got = b''
try:
  while b'ok' not in got: got += b.recv(4096)
except socket.timeout: pass
print('heard' if b'ok' in got else 'silent', flush=True)`,
      [String(port)],
    )
    expect(py.stdout.trim().split('\n').at(-1)).toBe('heard')
    const first = page.events.find((e) => e.kind === 'connection') as Extract<LabEvent, { kind: 'connection' }>
    await waitFor(() => page.bytesIn.get(first.conn) === 9)
    expect(engine.list(OWNER).find((i) => i.kind === 'tcp-server')!.state).toBe('listening')
  })

  it('one byte at a time: all 300 counted, none lost or doubled', async () => {
    const port = await listen()
    const py = await runPython(
      `import socket, sys, time
s = socket.create_connection(('127.0.0.1', int(sys.argv[1])))
s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
for i in range(300):
  s.send(bytes([48 + i % 10]))
  time.sleep(0.001)
s.close()`,
      [String(port)],
    )
    expect(py.code).toBe(0)
    const id = (await waitFor(() => pageEvent((e) => e.kind === 'end'))).id
    await waitFor(() => page.bytesIn.get(id) === 300)
    expect(engine.list(OWNER).find((i) => i.id === id)!.bytesIn).toBe(300)
  })

  it('a reset mid-message: the bytes that arrived are kept, the reset is reported, the server goes on', async () => {
    const port = await listen()
    const py = await runPython(
      `import socket, struct, sys, time
s = socket.create_connection(('127.0.0.1', int(sys.argv[1])))
s.sendall(b'half a mess')
time.sleep(0.2)
s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack('ii', 1, 0))
s.close()`,
      [String(port)],
    )
    expect(py.code).toBe(0)
    const id = (await waitFor(() => pageEvent((e) => e.kind === 'close'))).id
    expect(page.bytesIn.get(id)).toBe(11)
    expect(pageEvent((e) => e.kind === 'error' && e.id === id && e.code === 'ECONNRESET')).toBeTruthy()
    const again = await runPython(
      `import socket, sys
socket.create_connection(('127.0.0.1', int(sys.argv[1]))).close(); print('ok')`,
      [String(port)],
    )
    expect(again.stdout.trim()).toBe('ok')
  })

  it('a peer that half-closes and keeps reading still gets the reply', async () => {
    const port = await listen()
    const py = startPython(
      `import socket, sys
s = socket.create_connection(('127.0.0.1', int(sys.argv[1])))
s.sendall(b'question')
s.shutdown(socket.SHUT_WR)
print('shut', flush=True)
got = b''
while True:
  d = s.recv(4096)
  if not d: break
  got += d
print(got.decode(), flush=True)`,
      [String(port)],
    )
    expect(await py.firstLine).toBe('shut')
    const id = (await waitFor(() => pageEvent((e) => e.kind === 'end'))).id
    expect(engine.list(OWNER).find((i) => i.id === id)!.state).toBe('peer-ended')
    engine.tcp.send(OWNER, { id, data: 'answer', encoding: 'utf-8' })
    engine.close(OWNER, id)
    expect(await py.exited).toBe(0)
    expect(py.output().trim().split('\n').at(-1)).toBe('answer')
  })

  it('a peer that connects and never sends does not hold up the threaded server', async () => {
    const port = await listen({ mode: 'threaded', reply: 'hello' })
    const idle = startPython(
      `import socket, sys, time
s = socket.create_connection(('127.0.0.1', int(sys.argv[1])))
print('in', flush=True)
s.recv(100)
print('eof' if s.recv(100) == b'' else 'more', flush=True)`,
      [String(port)],
    )
    expect(await idle.firstLine).toBe('in')
    const other = await runPython(
      `import socket, sys
s = socket.create_connection(('127.0.0.1', int(sys.argv[1])))
s.recv(100)
s.sendall(b'Tracy')
print(s.recv(100).decode(), flush=True)`,
      [String(port)],
    )
    expect(other.stdout).toContain('Hello, Tracy!')
    const idleConn = conns().find((c) => c.bytesIn === 0)!
    engine.close(OWNER, idleConn.id)
    expect(await idle.exited).toBe(0)
    expect(idle.output()).toContain('eof')
  })

  it('2,000 connections opened and dropped at once: all accounted for, the server goes on', async () => {
    const port = await listen()
    const py = await runPython(
      `import socket, struct, sys
socks = [socket.create_connection(('127.0.0.1', int(sys.argv[1]))) for _ in range(2000)]
print(len(socks), flush=True)
for i, s in enumerate(socks):
  if i % 2: s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack('ii', 1, 0))
  s.close()`,
      [String(port)],
      60_000,
    )
    expect(py.stdout.trim()).toBe('2000')
    // Half left with RST: closed. Half with FIN: the lab's side stays open, peer-ended
    // (CLOSE_WAIT: "your program should close now"), as a real server's would.
    const seen = (kind: string) => new Set(page.events.filter((e) => e.kind === kind).map((e) => e.id))
    await waitFor(() => seen('close').size + seen('end').size === 2000, 20_000)
    expect(seen('close').size).toBe(1000)
    expect(conns().map((c) => c.state)).toEqual(Array(1000).fill('peer-ended'))
    for (const c of conns()) engine.close(OWNER, c.id)
    await waitFor(() => conns().length === 0)
    const again = await runPython(
      `import socket, sys
socket.create_connection(('127.0.0.1', int(sys.argv[1]))).close(); print('ok')`,
      [String(port)],
    )
    expect(again.stdout.trim()).toBe('ok')
  }, 60_000)

  it('a port taken by another process: EADDRINUSE, and the engine goes on', async () => {
    const holder = startPython(
      `import socket, time
s = socket.socket(); s.bind(('127.0.0.1', 0)); s.listen()
print(s.getsockname()[1], flush=True)
time.sleep(30)`,
    )
    const port = Number(await holder.firstLine)
    try {
      const err = await listen({ port }).catch((e: unknown) => e)
      expect((err as NodeJS.ErrnoException).code).toBe('EADDRINUSE')
      expect(await listen()).toBeGreaterThan(0)
    } finally {
      holder.stop()
    }
  })

  it('a room member that never reads is disconnected past the bound, instead of growing memory', async () => {
    const port = await listen({ mode: 'room' })
    const sleeper = startPython(
      `import socket, sys, time
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
s.connect(('127.0.0.1', int(sys.argv[1])))
print('asleep', flush=True)
time.sleep(60)`,
      [String(port)],
    )
    expect(await sleeper.firstLine).toBe('asleep')
    const heap0 = process.memoryUsage().heapUsed
    try {
      // 40 MB of chat lines from another member: each is broadcast to the sleeper.
      const talker = await runPython(
        `import socket, sys
s = socket.create_connection(('127.0.0.1', int(sys.argv[1])))
line = b'y' * 1023 + b'\\n'
try:
  for _ in range(40 * 1024): s.sendall(line)
except OSError: pass
s.close()`,
        [String(port)],
        60_000,
      )
      expect(talker.code).toBe(0)
      const cut = await waitFor(() => pageEvent((e) => e.kind === 'error' && e.code === 'ENOBUFS'))
      expect((cut as Extract<LabEvent, { kind: 'error' }>).message).toContain('8 MiB')
      expect((process.memoryUsage().heapUsed - heap0) / MiB).toBeLessThan(LIMITS.maxOwedBytes / MiB + 32)
    } finally {
      sleeper.stop()
    }
  }, 60_000)
})
