import { describe, expect, it } from 'vitest'
import { Readable } from 'node:stream'
import { gbkToUtf8, terminalLang } from '../../src/cli/options'

describe('the CLI’s language', () => {
  it('follows LC_ALL, LC_MESSAGES or LANG where set', () => {
    expect(terminalLang({ LANG: 'zh_CN.UTF-8' }, () => 'en-US')).toBe('zh-CN')
    expect(terminalLang({ LC_ALL: 'C', LANG: 'zh_CN.UTF-8' }, () => 'zh-CN')).toBe('en')
    expect(terminalLang({ LC_MESSAGES: 'zh_TW' }, () => 'en-US')).toBe('zh-CN')
  })
  it('on Windows, which sets none of them, the system locale: Chinese Windows gets Chinese', () => {
    expect(terminalLang({}, () => 'zh-CN')).toBe('zh-CN')
    expect(terminalLang({}, () => 'de-DE')).toBe('en')
  })
})

describe('gbkToUtf8 (stdin from cmd on Chinese Windows)', () => {
  it('keeps a character split across two chunks whole', async () => {
    // "你好" in GBK, cut inside the second character, then the end
    const chunks = [Buffer.from([0xc4, 0xe3, 0xba]), Buffer.from([0xc3, 0x21])]
    const out: Buffer[] = []
    for await (const c of Readable.from(chunks).pipe(gbkToUtf8())) out.push(c as Buffer)
    expect(Buffer.concat(out).toString('utf8')).toBe('你好!')
  })
})
