/** The checker's small words: how a detail quotes what was sent and received, and how a reply is matched. */
import { describe, expect, it } from 'vitest'
import { chomp, escape, fail, pass, quote, t } from '../../../../src/main/engine/checker/outcome'

describe('quote', () => {
  it('quotes as JSON, so that a quote or a line end inside reads as one', () => {
    expect(quote('Hello, "小文"!\r\n')).toBe('"Hello, \\"小文\\"!\\r\\n"')
    expect(quote('')).toBe('""')
  })

  it('keeps 80 characters whole and cuts a longer text at 80 with an ellipsis', () => {
    const eighty = 'x'.repeat(80)
    expect(quote(eighty)).toBe(`"${eighty}"`)
    expect(quote(`${eighty}yz`)).toBe(`"${eighty}…"`)
  })
})

describe('chomp', () => {
  it('takes one line end off the end (\\n or \\r\\n), no more, and nothing elsewhere', () => {
    expect(chomp('exit\n')).toBe('exit')
    expect(chomp('exit\r\n')).toBe('exit')
    expect(chomp('exit\n\n')).toBe('exit\n')
    expect(chomp('a\nb')).toBe('a\nb')
    expect(chomp('exit\r')).toBe('exit\r')
  })
})

describe('escape', () => {
  it('makes a name match itself, whatever regular-expression characters it holds', () => {
    const name = 'a.b*c+d?e^f$g{h}i(j)k|l[m]n\\o'
    expect(new RegExp(`^${escape(name)}$`).test(name)).toBe(true)
    expect(new RegExp(`^${escape('a.b')}$`).test('axb')).toBe(false)
  })
})

describe('pass and fail', () => {
  it('keep both languages and the lines seen so far', () => {
    const lines = [{ dir: '→' as const, text: 'hi' }]
    expect(pass({ lines }, 'ok', '好')).toEqual({ ok: true, detail: t('ok', '好'), transcript: lines })
    expect(fail({ lines }, 'no', '不')).toEqual({ ok: false, detail: { en: 'no', 'zh-CN': '不' }, transcript: lines })
  })
})
