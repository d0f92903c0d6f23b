import { describe, expect, it } from 'vitest'
import { setLocale } from '../../../src/renderer/src/i18n'
import { describeEvent, markText } from '../../../src/renderer/src/lib/format'

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
