import { describe, expect, it } from 'vitest'
import { en } from '../../src/shared/i18n/en'
import { zhCN } from '../../src/shared/i18n/zh-CN'
import { matchLocale, setLocale, t } from '../../src/renderer/src/i18n'
import { explain } from '../../src/renderer/src/lib/errors'

function keys(o: object, prefix = ''): string[] {
  return Object.entries(o).flatMap(([k, v]) =>
    typeof v === 'string' ? [prefix + k] : keys(v as object, `${prefix}${k}.`),
  )
}

describe('i18n', () => {
  it('zh-CN has exactly the English keys, none left empty or untranslated where text is prose', () => {
    expect(keys(zhCN).sort()).toEqual(keys(en).sort())
    for (const k of keys(zhCN)) {
      const v = k.split('.').reduce<unknown>((o, p) => (o as Record<string, unknown>)[p], zhCN) as string
      expect(v.length, k).toBeGreaterThan(0)
    }
  })

  it('explains every OS error a learner meets, in both languages', () => {
    const codes = [
      'ECONNREFUSED',
      'ETIMEDOUT',
      'EADDRINUSE',
      'EACCES',
      'ENOTFOUND',
      'ECONNRESET',
      'EPIPE',
      'EMSGSIZE',
      'ENOBUFS',
    ]
    for (const locale of ['en', 'zh-CN'] as const) {
      setLocale(locale)
      const unknown = explain({ code: 'EWHATEVER', message: '' })
      for (const code of codes) expect(explain({ code, message: '' }), `${locale} ${code}`).not.toBe(unknown)
    }
    setLocale('zh-CN')
    expect(explain({ code: 'EACCES', message: '' })).toContain('1024')
    setLocale('en')
  })

  it('follows the system locale', () => {
    expect(matchLocale(['zh-TW'])).toBe('zh-CN')
    expect(matchLocale(['zh-CN', 'en'])).toBe('zh-CN')
    expect(matchLocale(['en-GB'])).toBe('en')
    expect(matchLocale(['fr-FR'])).toBe('en')
  })

  it('switches and interpolates', () => {
    setLocale('en')
    expect(t('common.bytes', { n: 5 })).toBe('5 bytes')
    setLocale('zh-CN')
    expect(t('common.bytes', { n: 5 })).toBe('5 字节')
    expect(document.documentElement.lang).toBe('zh-CN')
    setLocale('en')
  })
})
