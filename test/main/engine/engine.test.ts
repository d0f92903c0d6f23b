import net from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import type { LabEvent } from '../../../src/shared/contract'
import { createHarness, listenDefaults } from '../../support/engine-harness'

let h = createHarness()
afterEach(async () => {
  await h.engine.closeAll()
  expect(h.engine.size).toBe(0)
  h = createHarness()
})

async function serverAndClient(host = '127.0.0.1') {
  const server = await h.engine.tcp.listen('o', { host, port: 0, ...listenDefaults })
  const client = h.engine.tcp.connect('o', { host, port: server.local!.port, timeoutMs: 5000 })
  const connected = await h.waitKind(client.id, 'connect')
  const accepted = await h.waitKind(server.id, 'connection')
  return { server, client, connected, accepted, conn: accepted.conn }
}

describe('TCP server and client', () => {
  it('listens on port 0 and reports the port the OS chose', async () => {
    const s = await h.engine.tcp.listen('o', { host: '127.0.0.1', port: 0, ...listenDefaults })
    expect(s.kind).toBe('tcp-server')
    expect(s.local!.port).toBeGreaterThan(0)
    const ev = await h.waitKind(s.id, 'listening')
    expect(ev.local).toEqual(s.local)
    expect(ev.transport).toBe('tcp')
  })

  it('names each connection by its 4-tuple, the same seen from both ends', async () => {
    const { connected, accepted } = await serverAndClient()
    expect(accepted.remote).toEqual(connected.local)
    expect(accepted.local).toEqual(connected.remote)
  })

  it('reports one data event per read, with exact byte counts', async () => {
    const { client, conn } = await serverAndClient()
    const big = 'x'.repeat(1_000_000)
    h.engine.tcp.send('o', { id: client.id, data: big, encoding: 'utf-8' })
    const got = await h.waitBytes(conn, 1_000_000)
    expect(got.length).toBe(1_000_000)
    const reads = h.of(conn, 'data') as Extract<LabEvent, { kind: 'data' }>[]
    expect(reads.length).toBeGreaterThan(1)
    expect(reads.reduce((n, e) => n + e.bytes, 0)).toBe(1_000_000)
    expect(h.engine.list('o').find((s) => s.id === conn)!.bytesIn).toBe(1_000_000)
  })

  it('sends text in GBK and hex as the bytes they stand for', async () => {
    const { client, conn } = await serverAndClient()
    h.engine.tcp.send('o', { id: client.id, data: '你好', encoding: 'gbk' })
    expect([...(await h.waitBytes(conn, 4))]).toEqual([0xc4, 0xe3, 0xba, 0xc3])
    h.engine.tcp.send('o', { id: client.id, data: '48 65 6c 6c 6f', encoding: 'hex' })
    expect((await h.waitBytes(conn, 9)).subarray(4).toString()).toBe('Hello')
  })

  it('half-close: the peer reads EOF and can still answer', async () => {
    const { client, conn } = await serverAndClient()
    h.engine.tcp.shutdown('o', client.id)
    await h.waitKind(conn, 'end')
    h.engine.tcp.send('o', { id: conn, data: 'still here', encoding: 'utf-8' })
    expect((await h.waitBytes(client.id, 10)).toString()).toBe('still here')
    expect(() => h.engine.tcp.send('o', { id: client.id, data: 'x', encoding: 'utf-8' })).toThrow(/shut down/)
    h.engine.close('o', conn)
    await h.waitKind(client.id, 'end')
    await h.waitKind(client.id, 'close')
    await h.waitKind(conn, 'close')
  })

  it('reset sends RST: the peer sees ECONNRESET', async () => {
    const { client, conn } = await serverAndClient()
    h.engine.tcp.reset('o', client.id)
    const err = await h.waitKind(conn, 'error')
    expect(err.code).toBe('ECONNRESET')
    const closed = await h.waitKind(conn, 'close')
    expect(closed.hadError).toBe(true)
    expect(closed.reset).toBeUndefined() // the peer was reset; it did not reset
    expect((await h.waitKind(client.id, 'close')).reset).toBe(true)
  })

  it('close sends what is queued, then FIN', async () => {
    const { client, conn } = await serverAndClient()
    h.engine.tcp.send('o', { id: client.id, data: 'bye', encoding: 'utf-8' })
    h.engine.close('o', client.id)
    expect((await h.waitBytes(conn, 3)).toString()).toBe('bye')
    await h.waitKind(conn, 'end')
  })

  it('works over IPv6', async () => {
    const { connected } = await serverAndClient('::1')
    expect(connected.remote.family).toBe('IPv6')
    expect(connected.remote.address).toBe('::1')
  })

  it('keeps sockets apart per owner', async () => {
    const { client } = await serverAndClient()
    expect(() => h.engine.tcp.send('other', { id: client.id, data: 'x', encoding: 'utf-8' })).toThrow(/no open socket/)
    expect(h.engine.list('other')).toEqual([])
  })
})

describe('TCP is a byte stream', () => {
  it('N sends back-to-back arrive as fewer recv() chunks, every byte kept', async () => {
    const { client, conn } = await serverAndClient()
    const r = h.engine.tcp.send('o', { id: client.id, data: 'msg;', encoding: 'utf-8', repeat: 5 })
    expect(r.bytes).toBe(20)
    expect(h.of(client.id, 'sent')).toHaveLength(5) // five send() calls
    expect((await h.waitBytes(conn, 20)).toString()).toBe('msg;'.repeat(5))
    await new Promise((res) => setTimeout(res, 50))
    expect(h.of(conn, 'data')).toHaveLength(1) // ...one recv(): TCP kept the bytes, not the boundaries
  })

  it('one large send arrives as several recv() chunks', async () => {
    const { client, conn } = await serverAndClient()
    h.engine.tcp.send('o', { id: client.id, data: 'y'.repeat(512 * 1024), encoding: 'utf-8' })
    await h.waitBytes(conn, 512 * 1024)
    expect(h.of(client.id, 'sent')).toHaveLength(1)
    expect(h.of(conn, 'data').length).toBeGreaterThan(1)
  })
})

describe('room broadcasts to a member that does not read', () => {
  it('stops reading from it until it drains, with one drain listener, never a listener leak', async () => {
    const warnings: string[] = []
    const onWarning = (w: Error): void => void warnings.push(w.name)
    process.on('warning', onWarning)
    const server = await h.engine.tcp.listen('o', { ...listenDefaults, host: '127.0.0.1', port: 0, mode: 'room' })
    const port = server.local!.port
    const sleeper = net.connect(port, '127.0.0.1') // joins, never reads
    sleeper.pause()
    try {
      const talker = h.engine.tcp.connect('o', { host: '127.0.0.1', port, timeoutMs: 5000 })
      await h.waitKind(talker.id, 'connect')
      const line = 'z'.repeat(60_000)
      // ~6 MB for the sleeper: more than the kernel's buffers take, less than the 8 MiB bound
      // past which a non-reader is disconnected.
      for (let i = 0; i < 100; i++) h.engine.tcp.send('o', { id: talker.id, data: line, encoding: 'utf-8' })
      await new Promise((r) => setTimeout(r, 300))
      expect(warnings).toEqual([])
      const joined = (await h.waitFor(
        (e) => e.kind === 'connection' && e.remote.port === sleeper.localPort,
      )) as Extract<LabEvent, { kind: 'connection' }>
      // What the sleeper sends now is not read while the lab owes it bytes...
      sleeper.write('from the sleeper')
      await new Promise((r) => setTimeout(r, 300))
      expect(h.of(joined.conn, 'data')).toEqual([])
      expect(h.of(joined.conn, 'close')).toEqual([]) // (still a member, not disconnected)
      // ...and is, once the sleeper reads and what was owed drains.
      sleeper.resume()
      await h.waitKind(joined.conn, 'data', 10_000)
    } finally {
      process.off('warning', onWarning)
      sleeper.destroy()
    }
  })
})

describe('room broadcasts', () => {
  it('writes the message to every member before recording any of the writes (the last member does not wait)', async () => {
    const server = await h.engine.tcp.listen('o', { ...listenDefaults, host: '127.0.0.1', port: 0, mode: 'room' })
    const members = [0, 1, 2].map(() => net.connect(server.local!.port, '127.0.0.1').on('data', () => undefined))
    try {
      for (const m of members) await new Promise((r) => m.once('connect', r))
      await h.waitFor(() => h.events.filter((r) => r.ev.kind === 'connection').length === 3)
      await new Promise((r) => setTimeout(r, 100)) // the welcomes and "joined" lines are out
      const recorded = (): number => h.events.filter((r) => r.ev.kind === 'sent' && r.ev.auto).length
      const seen: number[] = []
      const write = net.Socket.prototype.write
      net.Socket.prototype.write = function (this: net.Socket, ...args: Parameters<typeof write>) {
        seen.push(recorded())
        return write.apply(this, args)
      } as typeof write
      try {
        const before = recorded()
        members[0]!.write('hello room\n')
        await h.waitFor(() => recorded() === before + 2)
        // the talker's own write, then one to each of the two others, none recorded yet
        expect(seen).toEqual([before, before, before])
      } finally {
        net.Socket.prototype.write = write
      }
    } finally {
      for (const m of members) m.destroy()
    }
  })
})

describe('capture: the whole stream a client received', () => {
  it('is kept past the close, whole, for its owner only', async () => {
    const server = net.createServer((s) => s.end(Buffer.alloc(300_000, 7)))
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    const port = (server.address() as net.AddressInfo).port
    try {
      const c = h.engine.tcp.connect('o', { host: '127.0.0.1', port, timeoutMs: 5000, capture: true })
      await h.waitKind(c.id, 'end') // recv() returned b''
      h.engine.close('o', c.id)
      await h.waitKind(c.id, 'close')
      const got = h.engine.tcp.received('o', c.id)
      expect(got).toMatchObject({ bytes: 300_000, complete: true })
      expect(Buffer.from(got.data, 'base64').equals(Buffer.alloc(300_000, 7))).toBe(true)
      expect(() => h.engine.tcp.received('other', c.id)).toThrow(/no capture/)
      const plain = h.engine.tcp.connect('o', { host: '127.0.0.1', port, timeoutMs: 5000 })
      await h.waitKind(plain.id, 'end')
      expect(() => h.engine.tcp.received('o', plain.id)).toThrow(/no capture/)
    } finally {
      server.close()
    }
  })

  it('stops at its cap and says so', async () => {
    const { Captures } = await import('../../../src/main/engine/tcp/capture')
    const c = new Captures(2, 10)
    c.start('o', 'c1')
    c.add('c1', Buffer.from('0123456'))
    c.add('c1', Buffer.from('789abc'))
    expect(c.get('o', 'c1')).toMatchObject({ bytes: 10, complete: false })
    c.start('o', 'c2')
    c.start('o', 'c3') // only the newest two are kept
    expect(() => c.get('o', 'c1')).toThrow()
    c.dropOwner('o')
    expect(() => c.get('o', 'c3')).toThrow()
  })

  it("keeps a bulk reader's read as it was (a view of a buffer the next read fills again)", async () => {
    const { Captures } = await import('../../../src/main/engine/tcp/capture')
    const { reusedBuffer } = await import('../../../src/main/engine/tcp/bulk')
    const c = new Captures()
    c.start('o', 'c1')
    const buffer = reusedBuffer(16)
    c.add('c1', buffer.subarray(0, buffer.write('first')))
    c.add('c1', buffer.subarray(0, buffer.write('SECND')))
    expect(Buffer.from(c.get('o', 'c1').data, 'base64').toString()).toBe('firstSECND')
  })
})

describe('TCP errors keep their OS codes', () => {
  it('EADDRINUSE for a port already bound', async () => {
    const s = await h.engine.tcp.listen('o', { host: '127.0.0.1', port: 0, ...listenDefaults })
    await expect(
      h.engine.tcp.listen('o', { host: '127.0.0.1', port: s.local!.port, ...listenDefaults }),
    ).rejects.toMatchObject({
      code: 'EADDRINUSE',
    })
  })

  it('ECONNREFUSED where nobody listens', async () => {
    const probe = net.createServer()
    const port = await new Promise<number>((r) =>
      probe.listen(0, '127.0.0.1', () => r((probe.address() as net.AddressInfo).port)),
    )
    await new Promise((r) => probe.close(r))
    const c = h.engine.tcp.connect('o', { host: '127.0.0.1', port, timeoutMs: 5000 })
    expect((await h.waitKind(c.id, 'error')).code).toBe('ECONNREFUSED')
    await h.waitKind(c.id, 'close')
  })

  it('ENOTFOUND for a name that does not resolve', async () => {
    const c = h.engine.tcp.connect('o', { host: 'no-such-host.invalid', port: 80, timeoutMs: 5000 })
    expect(['ENOTFOUND', 'EAI_AGAIN']).toContain((await h.waitKind(c.id, 'error')).code)
  })

  it('EPIPE for a send after our own half-close', async () => {
    const { client } = await serverAndClient()
    h.engine.tcp.shutdown('o', client.id)
    expect(() => h.engine.tcp.send('o', { id: client.id, data: 'late', encoding: 'utf-8' })).toThrow(
      expect.objectContaining({ code: 'EPIPE' }),
    )
  })

  it('reports which address a host name resolved to', async () => {
    const server = await h.engine.tcp.listen('o', { ...listenDefaults, host: '::', port: 0 })
    const c = h.engine.tcp.connect('o', { host: 'localhost', port: server.local!.port, timeoutMs: 5000 })
    const ev = await h.waitKind(c.id, 'lookup')
    expect(ev.host).toBe('localhost')
    expect(['127.0.0.1', '::1']).toContain(ev.address)
    expect(ev.family).toBe(ev.address === '::1' ? 'IPv6' : 'IPv4')
    await h.waitKind(c.id, 'connect')
  })

  it('EADDRNOTAVAIL for an address not on this machine', async () => {
    await expect(h.engine.tcp.listen('o', { host: '192.0.2.1', port: 0, ...listenDefaults })).rejects.toMatchObject({
      code: 'EADDRNOTAVAIL',
    })
  })
})

describe('UDP', () => {
  it('keeps datagram boundaries and reports the sender as recvfrom() does', async () => {
    const a = await h.engine.udp.bind('o', { host: '127.0.0.1', port: 0, broadcast: false })
    const b = await h.engine.udp.bind('o', { host: '127.0.0.1', port: 0, broadcast: false })
    for (const m of ['one', 'two', 'three']) {
      await h.engine.udp.send('o', { id: a.id, host: '127.0.0.1', port: b.local!.port, data: m, encoding: 'utf-8' })
    }
    await h.waitBytes(b.id, 11)
    const got = h.events.filter((r) => r.ev.id === b.id && r.ev.kind === 'data')
    expect(got.map((r) => r.payload!.toString())).toEqual(['one', 'two', 'three'])
    for (const r of got) expect((r.ev as Extract<LabEvent, { kind: 'data' }>).from).toEqual(a.local)
  })

  it('works over IPv6 and reports EMSGSIZE for an oversized datagram', async () => {
    const a = await h.engine.udp.bind('o', { host: '::1', port: 0, broadcast: false })
    await h.engine.udp.send('o', { id: a.id, host: '::1', port: a.local!.port, data: 'self', encoding: 'utf-8' })
    expect((await h.waitBytes(a.id, 4)).toString()).toBe('self')
    const v4 = await h.engine.udp.bind('o', { host: '127.0.0.1', port: 0, broadcast: false })
    await expect(
      h.engine.udp.send('o', {
        id: v4.id,
        host: '127.0.0.1',
        port: v4.local!.port,
        data: 'x'.repeat(70_000),
        encoding: 'utf-8',
      }),
    ).rejects.toMatchObject({ code: 'EMSGSIZE' })
  })

  it('sets broadcast when asked', async () => {
    const u = await h.engine.udp.bind('o', { host: '0.0.0.0', port: 0, broadcast: true })
    expect(u.state).toBe('bound')
  })
})

describe('the registry', () => {
  it('closes every socket of an owner, and everything on shutdown', async () => {
    await serverAndClient()
    const other = await h.engine.udp.bind('p', { host: '127.0.0.1', port: 0, broadcast: false })
    expect(h.engine.size).toBe(4)
    await h.engine.closeOwner('o')
    expect(h.engine.list('o')).toEqual([])
    expect(h.engine.list('p').map((s) => s.id)).toEqual([other.id])
    await h.engine.closeAll()
    expect(h.engine.size).toBe(0)
  })

  it('gives every event a monotonic timestamp', async () => {
    await serverAndClient()
    const ts = h.events.map((r) => r.ev.t)
    for (let i = 1; i < ts.length; i++) expect(ts[i]!).toBeGreaterThanOrEqual(ts[i - 1]!)
  })
})
