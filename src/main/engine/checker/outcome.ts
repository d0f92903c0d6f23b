/** What a check found, and the context every server check runs in. */
import type { Check, Text } from '../../../shared/exercise'
import type { Enc, Line } from './probe'

export interface Outcome {
  ok: boolean
  detail: Text
  transcript: Line[]
}
export interface ServerCtx {
  host: string
  port: number
  enc: Enc
  timeoutMs: number
  lists: Record<string, string[]>
}

export const t = (en: string, zh: string): Text => ({ en, 'zh-CN': zh })
export const quote = (s: string): string => JSON.stringify(s.length > 80 ? `${s.slice(0, 80)}…` : s)
export const chomp = (s: string): string => s.replace(/\r?\n$/, '')
export const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

export type Kind = (check: Check, ctx: ServerCtx) => Promise<Outcome>

/** A check's outcome over what `p` (a probe, a session, or several probes' lines) kept. */
export const pass = (p: { lines: Line[] }, en: string, zh: string): Outcome => ({
  ok: true,
  detail: t(en, zh),
  transcript: p.lines,
})
export const fail = (p: { lines: Line[] }, en: string, zh: string): Outcome => ({
  ok: false,
  detail: t(en, zh),
  transcript: p.lines,
})
