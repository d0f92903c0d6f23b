/** Whether a server's reply answers what was sent, by an exercise's rule. */
import { describe, expect, it } from 'vitest'
import { answers } from '../../../../src/main/engine/checker/server-checks'

describe('answers', () => {
  it('by a pattern with {item}: the item matched literally, whatever characters it holds', () => {
    const rule = { pattern: '^Hello, ?{item}!$' }
    expect(answers(rule, '小文', 'Hello, 小文!')).toBe(true)
    expect(answers(rule, '小文', 'Hello,小文!\r\n')).toBe(true) // one line end is not part of the answer
    expect(answers(rule, 'a.b', 'Hello, axb!')).toBe(false)
    expect(answers(rule, 'a.b', 'Hello, a.b!')).toBe(true)
    expect(answers(rule, 'Tracy', 'Hello, Tracy')).toBe(false)
  })

  it('by an exact text with {item}, or any non-blank text for "*" or no rule', () => {
    expect(answers({ expect: '收到：{item}' }, 'hi', '收到：hi\n')).toBe(true)
    expect(answers({ expect: '收到：{item}' }, 'hi', '收到：hi!')).toBe(false)
    expect(answers({ expect: 'pong' }, 'ping', 'pong')).toBe(true)
    for (const rule of [{ expect: '*' }, {}] as Record<string, string>[]) {
      expect(answers(rule, 'x', 'anything')).toBe(true)
      expect(answers(rule, 'x', ' \r\n')).toBe(false)
      expect(answers(rule, 'x', '')).toBe(false)
    }
  })

  it('leaves out a greeting that came late, in the same read, at the start only', () => {
    const rule = { greeting: 'Welcome!', pattern: '^Hello, {item}!$' }
    expect(answers(rule, 'Sarah', 'Welcome!Hello, Sarah!')).toBe(true)
    expect(answers(rule, 'Sarah', 'Hello, Sarah!Welcome!')).toBe(false)
    expect(answers({ greeting: 'Welcome!' }, 'x', 'Welcome!')).toBe(false) // a greeting alone answers nothing
    expect(answers({ greeting: 7 as unknown as string, expect: '7ok' }, 'x', '7ok')).toBe(true) // not text: not a greeting
  })
})
