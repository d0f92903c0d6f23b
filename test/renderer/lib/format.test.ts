import { describe, expect, it } from 'vitest'
import { setLocale } from '../../../src/renderer/src/i18n'
import { markText } from '../../../src/renderer/src/lib/format'

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
