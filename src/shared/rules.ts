/**
 * Rules that answer, shared by the CLI (`--rule`) and the chat panel's server: `MATCH=>REPLY`.
 * MATCH is text the message contains, or `/regex/flags`; REPLY may use `$1`… (the regex's
 * captures; `$0` the whole match), `{{counter}}` (replies so far, from 1), `{{time}}` (HH:MM:SS)
 * and `{{hex:48 65}}` (bytes as they are). The first rule that matches answers. A message is one
 * read, as the course's `conn.recv(1024)` gets it: what TCP delivers in one piece, not a line.
 */
import type { Text } from './exercise'

export interface Rule {
  source: string
  match: { text: string } | { regex: RegExp }
  reply: string
}
/** A reply: text (to encode in the server's encoding) and raw bytes, in order. */
export type Segment = { text: string } | { bytes: Uint8Array }

export class RuleError extends Error {
  constructor(readonly text: Text) {
    super(text.en)
  }
}

export const MAX_RULES = 50

/** "0d 0a", "0d0a" -> bytes; undefined unless pairs of hex digits (spaces between allowed). */
function hexBytes(s: string): Uint8Array | undefined {
  const h = s.replace(/\s+/g, '')
  if (h.length % 2 !== 0 || !/^[0-9a-f]*$/i.test(h)) return undefined
  return Uint8Array.from({ length: h.length / 2 }, (_, i) => parseInt(h.slice(i * 2, i * 2 + 2), 16))
}

export function parseRule(source: string): Rule {
  const at = source.indexOf('=>')
  const bad = (en: string, zh: string): never => {
    throw new RuleError({ en: `rule "${source}": ${en}`, 'zh-CN': `规则 "${source}"：${zh}` })
  }
  if (at < 0) bad('expected MATCH=>REPLY', '应为 MATCH=>REPLY')
  const m = source.slice(0, at)
  const reply = source.slice(at + 2)
  if (!m) bad('the MATCH before => is empty', '=> 前的 MATCH 是空的')
  let match: Rule['match'] = { text: m }
  const re = /^\/(.+)\/([a-z]*)$/s.exec(m)
  if (re) {
    try {
      match = { regex: new RegExp(re[1]!, re[2]!.replace(/g/g, '')) }
    } catch (e) {
      bad(`not a regular expression (${(e as Error).message})`, `不是正则表达式（${(e as Error).message}）`)
    }
  }
  for (const h of reply.matchAll(/\{\{hex:([^}]*)\}\}/g))
    if (!hexBytes(h[1]!)) bad(`{{hex:${h[1]}}} is not pairs of hex digits`, `{{hex:${h[1]}}} 不是成对的十六进制数字`)
  const unknown = /\{\{(?!hex:|counter\}\}|time\}\})([^}]*)\}\}/.exec(reply)
  if (unknown)
    bad(
      `unknown {{${unknown[1]}}} (counter, time, hex:… are known)`,
      `未知的 {{${unknown[1]}}}（可用 counter、time、hex:…）`,
    )
  return { source, match, reply }
}

/** Every rule, or the first problem (in both languages). */
export function parseRules(sources: readonly string[]): { rules: Rule[] } | { error: Text } {
  if (sources.length > MAX_RULES)
    return { error: { en: `at most ${MAX_RULES} rules`, 'zh-CN': `最多 ${MAX_RULES} 条规则` } }
  try {
    return { rules: sources.map(parseRule) }
  } catch (e) {
    if (e instanceof RuleError) return { error: e.text }
    throw e
  }
}

const pad = (n: number): string => String(n).padStart(2, '0')

/** The reply of the first rule that matches `message`, or undefined. */
export function answer(
  rules: readonly Rule[],
  message: string,
  ctx: { counter: number; now: Date },
): Segment[] | undefined {
  for (const r of rules) {
    let groups: string[]
    if ('text' in r.match) {
      if (!message.includes(r.match.text)) continue
      groups = [r.match.text]
    } else {
      const m = r.match.regex.exec(message)
      if (!m) continue
      groups = [...m].map((g) => g ?? '')
    }
    const out: Segment[] = []
    const t = ctx.now
    const text = (s: string): void => {
      if (s) out.push({ text: s.replace(/\$(\d)/g, (_, d: string) => groups[Number(d)] ?? '') })
    }
    let last = 0
    for (const m of r.reply.matchAll(/\{\{(hex:[^}]*|counter|time)\}\}/g)) {
      text(r.reply.slice(last, m.index))
      const k = m[1]!
      if (k === 'counter') out.push({ text: String(ctx.counter) })
      else if (k === 'time') out.push({ text: `${pad(t.getHours())}:${pad(t.getMinutes())}:${pad(t.getSeconds())}` })
      else out.push({ bytes: hexBytes(k.slice(4))! })
      last = m.index + m[0].length
    }
    text(r.reply.slice(last))
    return out
  }
  return undefined
}
