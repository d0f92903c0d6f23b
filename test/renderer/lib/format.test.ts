import { describe, expect, it } from 'vitest'
import { setLocale, t } from '../../../src/renderer/src/i18n'
import { describeEvent, kindKey, markText } from '../../../src/renderer/src/lib/format'

describe('lifecycle marks', () => {
  it('are translated, and a UDP connect() is not called a handshake', () => {
    setLocale('en')
    expect(markText({ mark: 'connect' }, 'tcp-client')).toContain('three-way handshake')
    expect(markText({ mark: 'connect' }, 'udp')).toContain('no handshake')
    expect(markText({ mark: 'error', note: 'ECONNREFUSED' }, 'udp')).toBe('error ECONNREFUSED')
    expect(markText({ mark: 'close', note: 'reset' }, 'tcp-conn')).toContain('RST sent')
    setLocale('zh-CN')
    expect(markText({ mark: 'connect' }, 'udp')).toContain('没有握手')
    setLocale('en')
  })
})

describe('overflow rows', () => {
  it('say whether the folded events were reads or sends, in both languages', () => {
    setLocale('en')
    const folded = { kind: 'overflow', id: 'u1', t: 0, reads: 7, bytes: 448 } as const
    expect(describeEvent({ ...folded, of: 'data' })).toBe('7 more reads, 448 bytes (counted, not listed)')
    expect(describeEvent({ ...folded, of: 'sent' })).toBe('7 more sends, 448 bytes (counted, not listed)')
    setLocale('zh-CN')
    expect(describeEvent({ ...folded, of: 'sent' })).toContain('7 次发送')
    setLocale('en')
  })
})

describe('the log’s kind word', () => {
  const local = { address: '0.0.0.0', port: 9999, family: 'IPv4' as const }
  // Words a transport does not have, in both languages: UDP has no listen(), no accept(), no FIN.
  const notUdp = [/监听/, /listen/i, /接受/, /accept/i, /EOF/, /半关闭/, /half-close/i]

  it('a UDP bind is 绑定 / bound, never 监听 / listening; a TCP server’s is 监听 / listening', () => {
    for (const [l, udpWord, tcpWord] of [
      ['zh-CN', '绑定', '监听'],
      ['en', 'bound', 'listening'],
    ] as const) {
      setLocale(l)
      const udp = t(kindKey({ kind: 'listening', id: 'u1', t: 0, transport: 'udp', local }))
      expect(udp).toBe(udpWord)
      for (const bad of notUdp) expect(udp).not.toMatch(bad)
      expect(
        t(kindKey({ kind: 'listening', id: 's1', t: 0, transport: 'tcp', local, backlog: 5, mode: 'plain' })),
      ).toBe(tcpWord)
    }
    setLocale('en')
  })

  it('every kind a UDP socket emits has a word UDP has, in both languages', () => {
    const udpEvents = [
      { kind: 'listening', id: 'u1', t: 0, transport: 'udp', local },
      { kind: 'connect', id: 'u1', t: 0, local, remote: local },
      { kind: 'data', id: 'u1', t: 0, bytes: 1, preview: '', truncated: false, from: local },
      { kind: 'sent', id: 'u1', t: 0, bytes: 1, preview: '', truncated: false, to: local },
      { kind: 'overflow', id: 'u1', t: 0, of: 'data', reads: 1, bytes: 1 },
      { kind: 'close', id: 'u1', t: 0, hadError: false },
      { kind: 'error', id: 'u1', t: 0, code: 'ECONNREFUSED', message: '' },
    ] as const
    for (const l of ['zh-CN', 'en'] as const) {
      setLocale(l)
      for (const ev of udpEvents) for (const bad of notUdp) expect(t(kindKey(ev)), `${l} ${ev.kind}`).not.toMatch(bad)
    }
    setLocale('en')
  })
})

describe('UDP calls in the log', () => {
  it('a datagram is recvfrom() / sendto(), as the UDP card says; a TCP read is recv()', () => {
    const peer = { address: '127.0.0.1', port: 9999, family: 'IPv4' as const }
    for (const l of ['zh-CN', 'en'] as const) {
      setLocale(l)
      const from = describeEvent({ kind: 'data', id: 'u1', t: 0, bytes: 5, preview: '', truncated: false, from: peer })
      expect(from).toMatch(/^recvfrom 5 /)
      const to = describeEvent({ kind: 'sent', id: 'u1', t: 0, bytes: 5, preview: '', truncated: false, to: peer })
      expect(to).toMatch(/^sendto 5 .*→ 127\.0\.0\.1:9999$/)
      expect(describeEvent({ kind: 'data', id: 'c1', t: 0, bytes: 5, preview: '', truncated: false })).toMatch(
        /^recv 5 /,
      )
    }
    setLocale('en')
  })
})
