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
    const at = (o: object, k: string) =>
      k.split('.').reduce<unknown>((x, p) => (x as Record<string, unknown>)[p], o) as string
    // The same in both languages by design: names of calls, commands, units, the course's own words.
    const SAME = new Set([
      'chat.peerClient',
      'chat.backlog',
      'chat.code.comments.welcome',
      'udp.sendto',
      'udp.recvfrom',
      'inspector.paste.formats.windows',
      'inspector.paste.formats.bsd',
      'inspector.paste.formats.proc',
      'inspector.addresses.mac',
      'tags.udp',
      // protocol names, the layers' and filters' titles
      'packets.fields.ip_ttl',
      'tls.label',
      'packets.filters.arp',
      'packets.filters.icmp',
      'packets.layers.arp',
      'packets.layers.icmp',
      'packets.layers.ip',
      'packets.layers.tcp',
      'packets.layers.udp',
    ])
    const untranslated = keys(zhCN).filter((k) => at(zhCN, k) === at(en, k) && !SAME.has(k))
    expect(untranslated).toEqual([])
    for (const k of keys(zhCN)) expect(at(zhCN, k).length, k).toBeGreaterThan(0)
    // Prose in the Chinese catalog is Chinese: every value with three English words in a row also has Chinese.
    const englishProse = keys(zhCN).filter(
      (k) => /[a-z]+ [a-z]+ [a-z]{3,}/i.test(at(zhCN, k)) && !/[\u4e00-\u9fff]/.test(at(zhCN, k)),
    )
    expect(englishProse).toEqual([])
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
    expect(explain({ code: 'EACCES', message: '', detail: 'EACCES-low-port' })).toContain('1024')
    expect(explain({ code: 'EACCES', message: '', detail: 'EACCES-win' })).toContain('excludedportrange')
    // the detail goes before the transport's meaning and the code's general one
    expect(explain({ code: 'EMSGSIZE', message: '', detail: 'EMSGSIZE-mac' }, 'udp')).toContain('9,216')
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
