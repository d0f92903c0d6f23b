import { describe, expect, it } from 'vitest'
import { answer, parseRule, parseRules, type Segment } from '../../src/shared/rules'

const text = (segs: Segment[] | undefined): string =>
  (segs ?? []).map((s) => ('text' in s ? s.text : `<${[...s.bytes].map((b) => b.toString(16)).join(' ')}>`)).join('')
const at = new Date(2026, 11, 1, 9, 5, 7)

describe('rules that answer', () => {
  it('text that the message contains, or a /regex/ whose groups $1… the reply uses; the first match wins', () => {
    const rules = parseRules(['ping=>pong', '/^GET (\\S+) HTTP\\/(1\\.\\d)/i=>$1 over $2', 'ping=>never']) as {
      rules: never[]
    }
    expect(text(answer(rules.rules, 'a ping!', { counter: 1, now: at }))).toBe('pong')
    expect(text(answer(rules.rules, 'get /a HTTP/1.1', { counter: 1, now: at }))).toBe('/a over 1.1')
    expect(answer(rules.rules, 'hello', { counter: 1, now: at })).toBeUndefined()
  })

  it('{{counter}}, {{time}} and {{hex:…}} bytes, in order', () => {
    const r = parseRule('x=>#{{counter}} at {{time}}{{hex:0d 0a}}')
    const segs = answer([r], 'x', { counter: 7, now: at })
    expect(text(segs)).toBe('#7 at 09:05:07<d a>')
    expect(segs!.at(-1)).toEqual({ bytes: Uint8Array.from([13, 10]) })
  })

  it('what does not parse says what is wrong, in both languages', () => {
    const bad = (src: string) => (parseRules([src]) as { error: { en: string; 'zh-CN': string } }).error
    expect(bad('no arrow').en).toBe('rule "no arrow": expected MATCH=>REPLY')
    expect(bad('=>x').en).toMatch(/MATCH before => is empty/)
    expect(bad('/(/=>x').en).toMatch(/not a regular expression/)
    expect(bad('a=>{{hex:4}}')['zh-CN']).toMatch(/不是成对的十六进制数字/)
    expect(bad('a=>{{name}}').en).toMatch(/unknown \{\{name\}\}/)
    expect(parseRules(Array(51).fill('a=>b'))).toHaveProperty('error')
  })
})
