/**
 * UDP with real datagrams: Python peers in the course's style (sendto / recvfrom), echo,
 * connected sockets and ICMP, numbered repeats, broadcast and multicast, and real loss.
 */
import dgram from 'node:dgram'
import { afterEach, describe, expect, it, vi } from 'vitest'
import fc from 'fast-check'
import { parseSnmpUdp } from '../../../../src/main/engine/inspector/proc-net'
import { countSequence, floodTest } from '../../../../src/main/engine/udp/udp-flood'
import { createHarness, joinOnLoopback } from '../../../support/engine-harness'
import { runPython, startPython } from '../../../support/python'

let h = createHarness()
afterEach(async () => {
  await h.engine.closeAll()
  h = createHarness()
})

const bind = (extra = {}) => h.engine.udp.bind('o', { host: '127.0.0.1', port: 0, ...extra })
const datagrams = (id: string) => h.events.filter((r) => r.ev.id === id && r.ev.kind === 'data')

describe('a bound socket’s events', () => {
  it('announces where it listens, counts each datagram in, and closes cleanly', async () => {
    const u = await bind()
    const listening = h.events.find((r) => r.ev.id === u.id && r.ev.kind === 'listening')!.ev
    expect(listening).toMatchObject({
      kind: 'listening',
      transport: 'udp',
      local: { address: '127.0.0.1', family: 'IPv4' },
    })
    expect(u).toMatchObject({
      kind: 'udp',
      state: 'bound',
      local: { port: (listening as { local: { port: number } }).local.port },
    })
    const peer = dgram.createSocket('udp4')
    try {
      for (const m of ['abc', 'de']) peer.send(m, u.local!.port, '127.0.0.1')
      await expect.poll(() => datagrams(u.id).length, { timeout: 5000 }).toBe(2)
    } finally {
      peer.close()
    }
    expect(datagrams(u.id).map((d) => d.ev)).toEqual([
      expect.objectContaining({ kind: 'data', bytes: 3, truncated: false }),
      expect.objectContaining({ kind: 'data', bytes: 2, truncated: false }),
    ])
    expect(h.engine.list('o').find((s) => s.id === u.id)!.bytesIn).toBe(5)
    h.engine.close('o', u.id)
    expect(await h.waitKind(u.id, 'close')).toMatchObject({ hadError: false })
  })

  it('an IPv6 socket says so', async (ctx) => {
    const u = await h.engine.udp.bind('o', { host: '::1', port: 0 }).catch((e: { code?: string }) => e)
    if ('code' in u && u.code === 'EADDRNOTAVAIL') ctx.skip('no IPv6 loopback on this machine (EADDRNOTAVAIL)')
    expect(u).toMatchObject({ local: { address: '::1', family: 'IPv6' } })
  })
})

describe('with Python peers (sendto / recvfrom)', () => {
  it('keeps each sendto() as one datagram, with the sender as recvfrom() reports it, in UTF-8, GBK and bytes', async () => {
    const u = await bind()
    const r = await runPython(
      `import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(('127.0.0.1', 0))
for m in ['你好'.encode('utf-8'), '明威'.encode('gbk'), bytes([0x48, 0x69, 0xff])]:
    s.sendto(m, ('127.0.0.1', int(sys.argv[1])))
print(s.getsockname()[1])`,
      [String(u.local!.port)],
    )
    const pyPort = Number(r.stdout.trim())
    await expect.poll(() => datagrams(u.id).length).toBe(3)
    const got = datagrams(u.id)
    expect(got.map((d) => d.payload!.length)).toEqual([6, 4, 3]) // boundaries kept, never merged
    expect(got[0]!.payload!.toString('utf8')).toBe('你好')
    expect(got[2]!.payload!.toString('hex')).toBe('4869ff')
    for (const d of got)
      expect((d.ev as { from: { port: number; address: string } }).from).toMatchObject({
        address: '127.0.0.1',
        port: pyPort,
      })
  })

  it('sends to a Python recvfrom(): GBK text and hex arrive as the bytes they stand for, one datagram each', async () => {
    const py = startPython(`import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(('127.0.0.1', 0))
print(s.getsockname()[1], flush=True)
for _ in range(2):
    data, addr = s.recvfrom(1024)
    print(data.hex(), addr[1], flush=True)`)
    const port = Number(await py.firstLine)
    const u = await bind()
    await h.engine.udp.send('o', { id: u.id, host: '127.0.0.1', port, data: '明威', encoding: 'gbk' })
    await h.engine.udp.send('o', { id: u.id, host: '127.0.0.1', port, data: '48 65 6c', encoding: 'hex' })
    expect(await py.exited).toBe(0)
    expect(py.output().trim().split('\n').slice(1)).toEqual([`c3f7cdfe ${u.local!.port}`, `48656c ${u.local!.port}`])
  })

  it('echo mode answers each datagram to its sender', async () => {
    const u = await bind({ echo: true })
    const r = await runPython(
      `import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.settimeout(3)
for m in [b'one', b'two']:
    s.sendto(m, ('127.0.0.1', int(sys.argv[1])))
    data, addr = s.recvfrom(1024)
    print(data.decode(), addr[1])`,
      [String(u.local!.port)],
    )
    expect(r.stdout).toBe(`one ${u.local!.port}\ntwo ${u.local!.port}\n`)
    expect(h.of(u.id, 'sent').every((e) => (e as { auto?: boolean }).auto)).toBe(true)
  })
})

describe('no connection', () => {
  // Windows: libuv discards the WSAECONNRESET Windows reports on a receive, so even a connected
  // socket hears nothing (the UI says so there); every other OS reports ECONNREFUSED.
  const windows = process.platform === 'win32'
  it('an unconnected socket sending where nobody listens hears nothing; a connected one gets ECONNREFUSED (not on Windows)', async () => {
    const nobody = await bind()
    const nobodyPort = nobody.local!.port
    h.engine.close('o', nobody.id) // a port where nobody listens now
    await h.waitKind(nobody.id, 'close')
    const loose = await bind()
    const toNobody = { id: loose.id, host: '127.0.0.1', port: nobodyPort, data: 'hello?', encoding: 'utf-8' } as const
    await h.engine.udp.send('o', toNobody)
    await h.engine.udp.send('o', toNobody) // a second try: still no word back
    const tied = await bind()
    const c = await h.engine.udp.connect('o', { id: tied.id, host: '127.0.0.1', port: nobodyPort })
    expect(c.remote).toMatchObject({ address: '127.0.0.1', port: nobodyPort })
    await h.engine.udp.send('o', { id: tied.id, data: 'hello?', encoding: 'utf-8' })
    if (windows) {
      await new Promise((r) => setTimeout(r, 500))
      expect(h.of(tied.id, 'error')).toEqual([])
    } else expect((await h.waitKind(tied.id, 'error')).code).toBe('ECONNREFUSED')
    expect(h.of(loose.id, 'error')).toEqual([])
    await expect(h.engine.udp.send('o', { id: loose.id, data: 'x', encoding: 'utf-8' })).rejects.toMatchObject({
      code: 'EDESTADDRREQ',
    })
  })
})

describe('repeats', () => {
  it('numbers datagrams with seq, back-to-back or with an interval', async () => {
    const rx = await bind()
    const tx = await bind()
    const port = rx.local!.port
    await h.engine.udp.send('o', {
      id: tx.id,
      host: '127.0.0.1',
      port,
      data: 'x',
      encoding: 'utf-8',
      repeat: 5,
      seq: true,
    })
    await expect.poll(() => datagrams(rx.id).length).toBe(5)
    expect(datagrams(rx.id).map((d) => d.payload!.toString())).toEqual(['#1 x', '#2 x', '#3 x', '#4 x', '#5 x'])
    const t0 = Date.now()
    await h.engine.udp.send('o', {
      id: tx.id,
      host: '127.0.0.1',
      port,
      data: 'y',
      encoding: 'utf-8',
      repeat: 3,
      intervalMs: 100,
    })
    await expect.poll(() => datagrams(rx.id).length).toBe(8)
    expect(Date.now() - t0).toBeGreaterThanOrEqual(190)
  })
})

describe('broadcast and multicast', () => {
  it('a datagram to 255.255.255.255 reaches a socket bound to 0.0.0.0 on this machine', async (ctx) => {
    const rx = await h.engine.udp.bind('o', { host: '0.0.0.0', port: 0 })
    const tx = await h.engine.udp.bind('o', { host: '0.0.0.0', port: 0, broadcast: true })
    try {
      await h.engine.udp.send('o', {
        id: tx.id,
        host: '255.255.255.255',
        port: rx.local!.port,
        data: 'who is here?',
        encoding: 'utf-8',
      })
    } catch (e) {
      // Only a machine with no route for a broadcast (no interface but loopback) is "not possible
      // here"; any other error is the test failing (a missing setBroadcast gives EACCES).
      if ((e as NodeJS.ErrnoException).code !== 'ENETUNREACH') throw e
      ctx.skip(`broadcast not possible here: ${(e as Error).message}`)
    }
    await expect.poll(() => datagrams(rx.id).length).toBe(1)
    // without the broadcast option the OS refuses, as Python's sendto would
    const plain = await h.engine.udp.bind('o', { host: '0.0.0.0', port: 0 })
    await expect(
      h.engine.udp.send('o', {
        id: plain.id,
        host: '255.255.255.255',
        port: rx.local!.port,
        data: 'x',
        encoding: 'utf-8',
      }),
    ).rejects.toMatchObject({ code: 'EACCES' })
  })

  it('a member of a multicast group on loopback receives what is sent to the group', async (ctx) => {
    const rx = await joinOnLoopback(h.engine, ctx, '239.1.2.3')
    // sends leave by loopback too, not by the interface the routing table would pick (macOS
    // picks by route; a machine with a default route sends the group out on its LAN)
    const tx = await bind({ multicastIface: '127.0.0.1' })
    await h.engine.udp.send('o', {
      id: tx.id,
      host: '239.1.2.3',
      port: rx.local!.port,
      data: 'to the group',
      encoding: 'utf-8',
    })
    await expect.poll(() => datagrams(rx.id).length).toBe(1)
  })
})

describe('loss made real', () => {
  it('a small receive buffer that is read only between bursts loses datagrams; the gaps are the drops', async () => {
    const r = await floodTest({ count: 20_000, size: 1000, burst: 5000, recvBufferBytes: 16_384 })
    expect(r.sent).toBe(20_000)
    expect(r.lost).toBeGreaterThan(0)
    expect(r.received + r.lost).toBe(r.sent)
    expect(r.duplicates).toBe(0)
    if (process.platform === 'linux') expect(r.rcvbufErrors).toBeGreaterThanOrEqual(r.lost) // machine-wide counter
  })

  it('a send the OS refuses (EMSGSIZE, as macOS does over 9,216 bytes) is neither sent nor lost', async () => {
    // every third send refused, as the OS would for a datagram it will not carry
    const real = dgram.Socket.prototype.send
    let n = 0
    const spy = vi.spyOn(dgram.Socket.prototype, 'send').mockImplementation(function (
      this: dgram.Socket,
      ...args: unknown[]
    ) {
      const cb = args.at(-1) as (err: Error | null) => void
      if (++n % 3 === 0) {
        const err = Object.assign(new Error('send EMSGSIZE'), { code: 'EMSGSIZE' })
        process.nextTick(() => cb(err))
        return
      }
      return (real as (...a: unknown[]) => void).apply(this, args)
    } as typeof real)
    try {
      const r = await floodTest({ count: 300, size: 100, burst: 10, recvBufferBytes: 1024 * 1024 })
      expect(r.sendErrors).toBe(100)
      expect(r.sendError).toBe('EMSGSIZE')
      expect(r.sent).toBe(200)
      expect(r.lost).toBe(0) // a roomy buffer drops nothing; the refused are not losses
      expect(r.received).toBe(200)
    } finally {
      spy.mockRestore()
    }
  })

  it('counts gaps, reorderings and duplicates exactly', () => {
    expect(countSequence([1, 2, 5, 4, 4, 7], 8)).toEqual({
      lost: 3,
      reordered: 2,
      duplicates: 1,
      missing: [
        [3, 3],
        [6, 6],
        [8, 8],
      ],
    })
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 200 })), (arrived) => {
        const c = countSequence(arrived, 200)
        return c.lost === 200 - new Set(arrived).size && c.duplicates === arrived.length - new Set(arrived).size
      }),
    )
    expect(parseSnmpUdp('Udp: InDatagrams NoPorts RcvbufErrors\nUdp: 10 2 7\n')).toEqual({
      InDatagrams: 10,
      NoPorts: 2,
      RcvbufErrors: 7,
    })
  })
})
