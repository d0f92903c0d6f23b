/** The registry of open sockets: address families, the close hooks, and how each kind of socket is closed. */
import dgram from 'node:dgram'
import { afterEach, describe, expect, it } from 'vitest'
import type { LabEvent } from '../../../src/shared/contract'
import { SocketRegistry, family } from '../../../src/main/engine/registry'
import { createHarness, listenDefaults, sleepingPeer } from '../../support/engine-harness'

let h = createHarness()
afterEach(async () => {
  await h.engine.closeAll()
  h = createHarness()
})

describe('family', () => {
  it('reads the family as Node gives it, a name or a number', () => {
    expect([family('IPv6'), family(6), family('IPv4'), family(4), family(undefined)]).toEqual([
      'IPv6',
      'IPv6',
      'IPv4',
      'IPv4',
      'IPv4',
    ])
  })
})

describe('finish', () => {
  it('tells the hooks first, then the close event once, and forgets the socket', () => {
    const log: string[] = []
    const reg = new SocketRegistry((_o, ev: LabEvent) => log.push(`${ev.kind} ${ev.id}`))
    reg.onFinish((e) => log.push(`hook ${e.info.id} ${e.info.state}`))
    const sock = dgram.createSocket('udp4')
    try {
      const e = reg.add('o', 'u', { kind: 'udp', state: 'bound' }, { udp: sock })
      reg.finish(e, false)
      expect(e.info.state).toBe('closed')
      reg.finish(e, false)
      expect(log).toEqual(['hook u1 bound', 'close u1', 'hook u1 closed'])
      expect(() => reg.find('o', 'u1')).toThrow(/no open socket with id u1/)
    } finally {
      sock.close()
    }
  })
})

describe('closing', () => {
  it('on quit, a connection with megabytes queued for a peer that never reads closes at once, queue dropped', async () => {
    const peer = await sleepingPeer()
    try {
      const c = h.engine.tcp.connect('o', { host: '127.0.0.1', port: peer.port, timeoutMs: 5000 })
      await h.waitKind(c.id, 'connect')
      h.engine.tcp.send('o', { id: c.id, data: 'x'.repeat(32 * 1024 * 1024), encoding: 'utf-8' })
      const t0 = Date.now()
      await h.engine.closeAll()
      expect(Date.now() - t0).toBeLessThan(2000)
      expect(h.engine.size).toBe(0)
    } finally {
      peer.close()
    }
  })

  it('a connection still connecting closes at once', async () => {
    const peer = await sleepingPeer()
    try {
      const c = h.engine.tcp.connect('o', { host: '127.0.0.1', port: peer.port, timeoutMs: 5000 })
      h.engine.close('o', c.id)
      expect(await h.waitKind(c.id, 'close')).toMatchObject({ hadError: false })
      expect(h.of(c.id, 'connect')).toEqual([])
    } finally {
      peer.close()
    }
  })

  it('a listener reports its close at once, while a connection it accepted goes on', async () => {
    const s = await h.engine.tcp.listen('o', { host: '127.0.0.1', port: 0, ...listenDefaults })
    const c = h.engine.tcp.connect('o', { host: '127.0.0.1', port: s.local!.port, timeoutMs: 5000 })
    await h.waitKind(c.id, 'connect')
    const { conn } = await h.waitKind(s.id, 'connection')
    h.engine.close('o', s.id)
    await h.waitKind(s.id, 'close', 500)
    h.engine.tcp.send('o', { id: c.id, data: 'still', encoding: 'utf-8' })
    expect((await h.waitBytes(conn, 5)).toString()).toBe('still')
  })
})
