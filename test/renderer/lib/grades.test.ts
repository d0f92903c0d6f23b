import { describe, expect, it } from 'vitest'
import {
  failedRows,
  markOf,
  matchRow,
  tally,
  transcriptNote,
  type Grading,
  type Row,
} from '../../../src/renderer/src/lib/grades'
import { setLocale, t } from '../../../src/renderer/src/i18n'
import type { CheckResult } from '../../../src/shared/exercise'

const r = (check: string, ok: boolean): CheckResult => ({
  check,
  ok,
  detail: { en: '', 'zh-CN': '' },
  hint: { en: '', 'zh-CN': '' },
  transcript: [],
})
const rows: Row[] = [
  { key: 'a', name: 'Ann', host: '10.0.0.5', port: 1 },
  { key: 'b', name: 'Bo', host: '10.0.0.5', port: 2 },
  { key: 'c', name: 'Cy', host: '10.0.0.7', port: 3 },
]

describe('grades', () => {
  it('a cell: its result, else running or queued while the row is, else not run', () => {
    const g: Grading = { state: 'running', results: [r('connect', true), r('welcome', false)], at: 0 }
    expect(['connect', 'welcome', 'hello'].map((c) => markOf(g, c))).toEqual(['pass', 'fail', 'running'])
    expect(markOf({ ...g, state: 'queued' }, 'hello')).toBe('queued')
    expect(markOf({ ...g, state: 'done' }, 'hello')).toBe('idle')
    expect(markOf(undefined, 'connect')).toBe('idle')
  })

  it('an absent student: "connect" failed, the rest not checked (not counted as failed)', () => {
    const skipped = (check: string): CheckResult => ({ ...r(check, false), skipped: true })
    const g: Grading = { state: 'done', results: [r('connect', false), skipped('welcome'), skipped('hello')], at: 0 }
    expect(['connect', 'welcome', 'hello'].map((c) => markOf(g, c))).toEqual(['fail', 'skipped', 'skipped'])
    const t = tally([rows[0]!], new Map([['a', g]]), 3)
    expect(t).toMatchObject({ passed: 0, failed: 1 })
  })

  it('a checker’s notes in the page’s language; what was sent and error codes as they are', () => {
    setLocale('zh-CN')
    expect(transcriptNote('#2 connected', t)).toBe('#2 已连接')
    expect(transcriptNote('EOF', t)).toContain('FIN')
    expect(transcriptNote('A RST', t)).toBe('A 发送 RST（重置）') // the reset check's first client
    expect(transcriptNote('RST', t)).toBe('发送 RST（重置）')
    expect(transcriptNote('connect: no answer in 2000 ms', t)).toBe('connect：2000 毫秒内没有回应')
    expect(transcriptNote('ECONNREFUSED', t)).toBe('ECONNREFUSED')
    setLocale('en')
    expect(transcriptNote('#1 connected', t)).toBe('#1 connected')
  })

  it('tallies students and checks; only a finished row with every check passed counts as all passed', () => {
    const grades = new Map<string, Grading>([
      ['a', { state: 'done', results: [r('x', true), r('y', true)], at: 0 }],
      ['b', { state: 'running', results: [r('x', true), r('y', true)], at: 0 }],
      ['c', { state: 'done', results: [r('x', true), r('y', false)], at: 0 }],
    ])
    expect(tally(rows, grades, 2)).toEqual({
      students: 3,
      graded: 2,
      running: 1,
      queued: 0,
      passed: 5,
      failed: 1,
      allPassed: 1,
    })
    expect(failedRows(rows, grades).map((x) => x.name)).toEqual(['Cy'])
  })

  it('matches clients to rows by address: two students on one machine each get their own row, a rerun the first', () => {
    expect(matchRow(rows, '10.0.0.5', new Set())?.name).toBe('Ann')
    expect(matchRow(rows, '10.0.0.5', new Set(['a']))?.name).toBe('Bo')
    expect(matchRow(rows, '10.0.0.5', new Set(['a', 'b']))?.name).toBe('Ann')
    expect(matchRow(rows, '10.0.0.9', new Set())).toBeUndefined()
    expect(matchRow([{ ...rows[2]!, guest: true }], '10.0.0.7', new Set())).toBeUndefined()
  })
})
