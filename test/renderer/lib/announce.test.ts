import { describe, expect, it } from 'vitest'
import type { SocketEvent } from '../../../src/shared/contract'
import { ANNOUNCE_MS, Announcer, type Phrases } from '../../../src/renderer/src/lib/announce'

const phrases: Phrases = {
  one: (s) => `${s.name} ${s.kind}${s.addr ? ` ${s.addr}` : ''}${s.code ? ` ${s.code}` : ''}`,
  summary: (c, r, s) => `summary ${JSON.stringify(c)} reads ${r} sends ${s}`,
}
const ep = { address: '127.0.0.1', port: 8001, family: 'IPv4' as const }
const listening: SocketEvent = { kind: 'listening', id: 's1', t: 0, transport: 'tcp', local: ep }
const data: SocketEvent = { kind: 'data', id: 'a1', t: 0, bytes: 5, preview: '', truncated: false }
const conn = (i: number): SocketEvent => ({
  kind: 'connection',
  id: 's1',
  t: i,
  conn: `a${i}`,
  local: ep,
  remote: { ...ep, port: 50000 + i },
})

describe('Announcer', () => {
  it('reads a few lifecycle events one by one, with who and where', () => {
    const a = new Announcer(phrases)
    a.note(listening, { name: 'S1', info: { id: '' } })
    a.note({ kind: 'error', id: 'c1', t: 0, code: 'ECONNREFUSED', message: '' }, { name: 'C1', info: { id: '' } })
    expect(a.take(0)).toBe('S1 listening 127.0.0.1:8001. C1 error ECONNREFUSED')
    expect(a.take(10_000)).toBeUndefined() // nothing new
  })

  it('a flood becomes one summary with counts, at most once every few seconds', () => {
    const a = new Announcer(phrases)
    for (let i = 0; i < 50; i++) a.note(conn(i), { name: 'S1', info: { id: '' } })
    for (let i = 0; i < 1000; i++) a.note(data, { name: 'A1', info: { id: '' } })
    a.note({ kind: 'sent', id: 'a1', t: 0, bytes: 1, preview: '', truncated: false }, { name: 'A1', info: { id: '' } })
    expect(a.take(0)).toBe('summary {"connection":50} reads 1000 sends 1')
    for (let i = 0; i < 10; i++) a.note(data, { name: 'A1', info: { id: '' } })
    expect(a.take(ANNOUNCE_MS - 1)).toBeUndefined() // too soon: kept, not lost
    expect(a.take(ANNOUNCE_MS)).toBe('summary {} reads 10 sends 0')
  })

  it('a couple of reads beside one event are counted in the same sentence', () => {
    const a = new Announcer(phrases)
    a.note(conn(1), { name: 'S1', info: { id: '' } })
    a.note(data, { name: 'A1', info: { id: '' } })
    expect(a.take(0)).toBe('S1 connection 127.0.0.1:50001. summary {} reads 1 sends 0')
  })
})
