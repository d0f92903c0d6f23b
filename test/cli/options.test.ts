import { describe, expect, it } from 'vitest'
import { terminalLang } from '../../src/cli/options'

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
