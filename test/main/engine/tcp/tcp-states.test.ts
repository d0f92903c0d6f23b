/**
 * A TCP socket's states as the list shows them (half-closed, peer-ended, closed), the
 * back-pressure of byte sending (the CLI's stdin), and the refusals of a socket in the wrong
 * state or of the wrong kind.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { SEND_AHEAD_BYTES } from '../../../../src/main/engine/tcp/flow'
import { createHarness, listenDefaults, sleepingPeer } from '../../../support/engine-harness'

let h = createHarness()
afterEach(async () => {
  await h.engine.closeAll()
  h = createHarness()
})

async function pair(extra = {}) {
  const server = await h.engine.tcp.listen('o', { host: '127.0.0.1', port: 0, ...listenDefaults, ...extra })
  const client = h.engine.tcp.connect('o', { host: '127.0.0.1', port: server.local!.port, timeoutMs: 5000 })
  await h.waitKind(client.id, 'connect')
  const { conn } = await h.waitKind(server.id, 'connection')
  return { server, client: client.id, conn }
}
const state = (id: string) => h.engine.list('o').find((s) => s.id === id)?.state

describe('states', () => {
  it('our FIN first: half-closed, then closed when the peer ends too; a second shutdown does nothing', async () => {
    const { client, conn } = await pair()
    h.engine.tcp.shutdown('o', client)
    expect(state(client)).toBe('half-closed')
    expect(h.of(client, 'shutdown')).toHaveLength(1)
    h.engine.tcp.shutdown('o', client)
    expect(h.of(client, 'shutdown')).toHaveLength(1)
    await h.waitKind(conn, 'end')
    expect(state(conn)).toBe('peer-ended')
    h.engine.tcp.shutdown('o', conn)
    expect(state(conn)).toBe('peer-ended') // the peer's FIN came first: that stays what it says
    await h.waitKind(client, 'end')
    expect(['closed', undefined]).toContain(state(client))
  })

  it('refuses to send before the connection is up (ENOTCONN), and on a listener or a UDP socket (EPROTOTYPE)', async () => {
    const server = await h.engine.tcp.listen('o', { host: '127.0.0.1', port: 0, ...listenDefaults })
    const c = h.engine.tcp.connect('o', { host: '127.0.0.1', port: server.local!.port, timeoutMs: 5000 })
    expect(() => h.engine.tcp.send('o', { id: c.id, data: 'x', encoding: 'utf-8' })).toThrow(
      expect.objectContaining({ code: 'ENOTCONN', message: 'the socket is not connected yet' }),
    )
    await h.waitKind(c.id, 'connect')
    const u = await h.engine.udp.bind('o', { host: '127.0.0.1', port: 0 })
    for (const id of [server.id, u.id])
      expect(() => h.engine.tcp.send('o', { id, data: 'x', encoding: 'utf-8' })).toThrow(
        expect.objectContaining({ code: 'EPROTOTYPE', message: 'not a TCP connection' }),
      )
  })

  it("marks the server's own replies as automatic and the user's sends as not", async () => {
    const { client, conn } = await pair({ mode: 'threaded', reply: 'echo' })
    h.engine.tcp.send('o', { id: client, data: 'ping', encoding: 'utf-8' })
    await h.waitBytes(client, 12) // Welcome! and the echo
    expect(h.of(conn, 'sent')).toEqual([
      expect.objectContaining({ bytes: 8, auto: true }),
      expect.objectContaining({ bytes: 4, auto: true }),
    ])
    expect(h.of(client, 'sent')).toEqual([expect.not.objectContaining({ auto: true })])
  })
})

describe('sendBytes and flushed (the CLI sending a file or its stdin)', () => {
  it('takes a small chunk at once, holds the sender back past the send-ahead bound until the peer reads', async () => {
    const { port, peers, close } = await sleepingPeer()
    try {
      const c = h.engine.tcp.connect('o', { host: '127.0.0.1', port, timeoutMs: 5000 })
      await h.waitKind(c.id, 'connect')
      let small = false
      await h.engine.tcp.sendBytes('o', c.id, Buffer.alloc(1000)).then(() => (small = true))
      expect(small).toBe(true)
      let big = false
      // more than the kernel's buffers on loopback take, and the send-ahead bound past that
      const bigBytes = 8 * SEND_AHEAD_BYTES
      const taken = h.engine.tcp.sendBytes('o', c.id, Buffer.alloc(bigBytes)).then(() => (big = true))
      let flushed = false
      const out = h.engine.tcp.flushed('o', c.id).then(() => (flushed = true))
      await new Promise((r) => setTimeout(r, 300))
      expect([big, flushed]).toEqual([false, false]) // the peer reads nothing: the sender waits
      let got = 0
      await expect.poll(() => peers.length).toBe(1)
      peers[0]!.on('data', (d) => (got += d.length))
      peers[0]!.resume()
      await taken
      await out
      expect(big && flushed).toBe(true)
      await expect.poll(() => got, { timeout: 5000 }).toBe(bigBytes + 1000)
      // with nothing queued, flushed is at once
      await h.engine.tcp.flushed('o', c.id)
      h.engine.tcp.shutdown('o', c.id)
      await expect(h.engine.tcp.sendBytes('o', c.id, Buffer.from('late'))).rejects.toMatchObject({ code: 'EPIPE' })
    } finally {
      close()
    }
  })

  it('lets a waiting sender go when the connection is lost', async () => {
    const { port, peers, close } = await sleepingPeer()
    try {
      const c = h.engine.tcp.connect('o', { host: '127.0.0.1', port, timeoutMs: 5000 })
      await h.waitKind(c.id, 'connect')
      const taken = h.engine.tcp.sendBytes('o', c.id, Buffer.alloc(8 * SEND_AHEAD_BYTES))
      const out = h.engine.tcp.flushed('o', c.id)
      await expect.poll(() => peers.length).toBe(1)
      peers[0]!.resetAndDestroy()
      await taken
      await out
      await h.waitKind(c.id, 'close')
    } finally {
      close()
    }
  })
})
