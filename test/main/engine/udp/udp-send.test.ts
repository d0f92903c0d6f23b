/**
 * What a UDP socket tells about each datagram it sends (to where, how many bytes, by whom), the
 * rules of a connected socket, repeats that stop when they should, a shared multicast port, and
 * the loss experiment's arithmetic at its edges.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { countSequence, floodTest } from '../../../../src/main/engine/udp/udp-flood'
import { FLOOD_DEFAULTS } from '../../../../src/shared/contract'
import { createHarness, joinOnLoopback, listenDefaults } from '../../../support/engine-harness'

let h = createHarness()
afterEach(async () => {
  await h.engine.closeAll()
  h = createHarness()
})

const bind = (extra = {}) => h.engine.udp.bind('o', { host: '127.0.0.1', port: 0, ...extra })
const datagrams = (id: string) => h.events.filter((r) => r.ev.id === id && r.ev.kind === 'data')
const sent = (id: string) => h.of(id, 'sent') as Extract<ReturnType<typeof h.of>[number], { kind: 'sent' }>[]
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms))

describe('sending', () => {
  it('tells each datagram sent, to where, its size, and counts the bytes out', async () => {
    const rx = await bind()
    const tx = await bind()
    const port = rx.local!.port
    expect(
      await h.engine.udp.send('o', { id: tx.id, host: '127.0.0.1', port, data: '你好', encoding: 'utf-8' }),
    ).toEqual({
      bytes: 6,
    })
    expect(
      await h.engine.udp.send('o', { id: tx.id, host: '127.0.0.1', port, data: 'x', encoding: 'utf-8', seq: true }),
    ).toEqual({
      bytes: 4, // "#1 x"
    })
    await expect.poll(() => datagrams(rx.id).length).toBe(2)
    expect(sent(tx.id)).toEqual([
      expect.objectContaining({ bytes: 6, truncated: false, to: { address: '127.0.0.1', port, family: 'IPv4' } }),
      expect.objectContaining({ bytes: 4, to: { address: '127.0.0.1', port, family: 'IPv4' } }),
    ])
    for (const e of sent(tx.id)) expect(e).not.toHaveProperty('auto')
    expect(h.engine.list('o').find((s) => s.id === tx.id)!.bytesOut).toBe(10)
    // what arrived says who sent it
    expect(datagrams(rx.id)[0]!.ev).toMatchObject({
      from: { address: '127.0.0.1', port: tx.local!.port, family: 'IPv4' },
    })
    expect(datagrams(rx.id).map((d) => d.payload!.toString())).toEqual(['你好', '#1 x'])
  })

  it('a connected socket announces its peer, sends there without an address, and refuses one (EISCONN)', async () => {
    const rx = await bind()
    const tx = await bind()
    const port = rx.local!.port
    await h.engine.udp.connect('o', { id: tx.id, host: '127.0.0.1', port })
    expect(await h.waitKind(tx.id, 'connect')).toMatchObject({
      local: { address: '127.0.0.1', port: tx.local!.port },
      remote: { address: '127.0.0.1', port },
    })
    await h.engine.udp.send('o', { id: tx.id, data: 'tied', encoding: 'utf-8' })
    await expect.poll(() => datagrams(rx.id).length).toBe(1)
    expect(sent(tx.id)[0]).toMatchObject({ to: { address: '127.0.0.1', port } })
    await expect(
      h.engine.udp.send('o', { id: tx.id, host: '127.0.0.1', port, data: 'x', encoding: 'utf-8' }),
    ).rejects.toMatchObject({ code: 'EISCONN' })
  })

  it('says so when asked to send on a TCP socket (EPROTOTYPE)', async () => {
    const server = await h.engine.tcp.listen('o', { host: '127.0.0.1', port: 0, ...listenDefaults })
    await expect(
      h.engine.udp.send('o', { id: server.id, host: '127.0.0.1', port: 9, data: 'x', encoding: 'utf-8' }),
    ).rejects.toMatchObject({ code: 'EPROTOTYPE', message: 'not a UDP socket' })
  })
})

describe('repeats', () => {
  it('sends exactly `repeat` datagrams with an interval, then stops', async () => {
    const rx = await bind()
    const tx = await bind()
    const base = { id: tx.id, host: '127.0.0.1', port: rx.local!.port, encoding: 'utf-8' } as const
    await h.engine.udp.send('o', { ...base, data: 'a', repeat: 3, intervalMs: 30, seq: true })
    await expect.poll(() => datagrams(rx.id).length).toBe(3)
    await pause(150)
    expect(datagrams(rx.id).map((d) => d.payload!.toString())).toEqual(['#1 a', '#2 a', '#3 a'])
    // one is one: no repeat means a single datagram, with or without an interval
    await h.engine.udp.send('o', { ...base, data: 'b', repeat: 1, intervalMs: 30 })
    await h.engine.udp.send('o', { ...base, data: 'c', repeat: 1 })
    await pause(150)
    expect(
      datagrams(rx.id)
        .map((d) => d.payload!.toString())
        .slice(3),
    ).toEqual(['b', 'c'])
  })

  it('stops a timed repeat when the socket closes', async () => {
    const rx = await bind()
    const tx = await bind()
    await h.engine.udp.send('o', {
      id: tx.id,
      host: '127.0.0.1',
      port: rx.local!.port,
      data: 'tick',
      encoding: 'utf-8',
      repeat: 1000,
      intervalMs: 20,
    })
    await expect.poll(() => datagrams(rx.id).length).toBeGreaterThanOrEqual(2)
    h.engine.close('o', tx.id)
    await h.waitKind(tx.id, 'close')
    const n = datagrams(rx.id).length
    await pause(200)
    expect(datagrams(rx.id).length).toBe(n)
    expect(h.of(tx.id, 'error')).toEqual([])
  })
})

describe('a multicast group on one port', () => {
  it('lets every receiver of the group bind the same port (SO_REUSEADDR), and each hears the group; a plain socket cannot share it', async (ctx) => {
    const a = await joinOnLoopback(h.engine, ctx, '239.1.2.4')
    const port = a.local!.port
    // the second member binds as the first did; here any error fails the test
    const b = await h.engine.udp.bind('o', {
      host: '0.0.0.0',
      port,
      multicast: '239.1.2.4',
      multicastIface: '127.0.0.1',
    })
    await expect(h.engine.udp.bind('o', { host: '0.0.0.0', port })).rejects.toMatchObject({ code: 'EADDRINUSE' })
    const tx = await bind({ multicastIface: '127.0.0.1' })
    await h.engine.udp.send('o', { id: tx.id, host: '239.1.2.4', port, data: 'all', encoding: 'utf-8' })
    await expect.poll(() => [datagrams(a.id).length, datagrams(b.id).length]).toEqual([1, 1])
  })

  it('a member hears its own sends to the group (multicast loopback)', async (ctx) => {
    const a = await joinOnLoopback(h.engine, ctx, '239.1.2.5')
    await h.engine.udp.send('o', { id: a.id, host: '239.1.2.5', port: a.local!.port, data: 'me', encoding: 'utf-8' })
    await expect.poll(() => datagrams(a.id).length).toBe(1)
  })
})

describe('the loss arithmetic at its edges', () => {
  it('ignores numbers outside 1..sent, and a repeat of the highest is a duplicate, not a reordering', () => {
    expect(countSequence([0, 1, 2, 2, 3, 4, 99], 3)).toEqual({ lost: 0, reordered: 0, duplicates: 1, missing: [] })
  })

  it('joins neighbouring gaps into one range and lists at most 20 ranges, while counting every loss', () => {
    expect(countSequence([1, 5], 6).missing).toEqual([
      [2, 4],
      [6, 6],
    ])
    const odd = Array.from({ length: 50 }, (_, i) => 2 * i + 1) // 1, 3, ... 99: every even one lost
    const c = countSequence(odd, 100)
    expect(c.lost).toBe(50)
    expect(c.missing).toHaveLength(20)
    expect(c.missing.at(-1)).toEqual([40, 40])
  })

  it('does not count refused sends as lost', () => {
    expect(countSequence([1, 3], 4, new Set([2]))).toEqual({ lost: 1, reordered: 0, duplicates: 0, missing: [[4, 4]] })
  })

  it('reports the buffer the OS gave, waits for the stragglers, and times only the sending', async () => {
    const t0 = performance.now()
    const r = await floodTest({ count: 50, size: 100, burst: 7, recvBufferBytes: 1024 * 1024 }, 200)
    const wall = performance.now() - t0
    expect(r).toMatchObject({
      sent: 50,
      received: 50,
      lost: 0,
      duplicates: 0,
      reordered: 0,
      missing: [],
      sendErrors: 0,
    })
    expect(r.recvBufferBytes).toBeGreaterThanOrEqual(1024 * 1024)
    expect(r.ms).toBeGreaterThanOrEqual(0)
    expect(r.ms).toBeLessThanOrEqual(wall - 200)
    if (process.platform === 'linux') expect(r.rcvbufErrors).toEqual(expect.any(Number))
  })
})

describe('the loss experiment’s first run', () => {
  // Linux: 16 KiB asked is 32 KiB, about 14 datagrams of 1000 bytes, a burst of 18. Elsewhere the
  // buffer's arithmetic differs (macOS does not double it; Windows' buffer is not the kernel's).
  it.skipIf(process.platform !== 'linux')(
    'loses some datagrams, not nearly all: a few percent to a few tens',
    async () => {
      const r = await floodTest(FLOOD_DEFAULTS)
      const pct = (100 * r.lost) / r.sent
      expect(r.sent).toBe(FLOOD_DEFAULTS.count)
      expect(pct).toBeGreaterThan(2)
      expect(pct).toBeLessThan(50)
    },
  )
})
