/**
 * The Classroom panel's arithmetic, apart from Vue: each roster row's grading, the state of one
 * cell, the counts under the progress bar, which roster row a connecting client is.
 */
import type { CheckResult, Student, StudentResult } from '../../../shared/exercise'

export interface Row extends Student {
  key: string
  /** Connected from an address the roster does not list (a client exercise). */
  guest?: boolean
}
export interface Grading {
  /** queued: asked for, waiting for a free lane (16 students are checked at a time). */
  state: 'queued' | 'running' | 'done'
  results: CheckResult[]
  /** When the last result came (ms since the epoch). */
  at: number
}
export type Mark = 'pass' | 'fail' | 'running' | 'queued' | 'idle'
export const SYMBOL: Record<Mark, string> = { pass: '✓', fail: '✗', running: '⋯', queued: '…', idle: '–' }

/** A cell: its check's result if it came; running if the row is being graded; else not run. */
export function markOf(g: Grading | undefined, check: string): Mark {
  const r = g?.results.find((x) => x.check === check)
  if (r) return r.ok ? 'pass' : 'fail'
  return g?.state === 'running' || g?.state === 'queued' ? g.state : 'idle'
}

export interface Tally {
  students: number
  graded: number
  running: number
  queued: number
  passed: number
  failed: number
  /** Students whose every check passed. */
  allPassed: number
}
export function tally(rows: readonly Row[], grades: ReadonlyMap<string, Grading>, checks: number): Tally {
  const t: Tally = { students: rows.length, graded: 0, running: 0, queued: 0, passed: 0, failed: 0, allPassed: 0 }
  for (const r of rows) {
    const g = grades.get(r.key)
    if (!g) continue
    if (g.state === 'done') t.graded++
    else t[g.state]++
    const ok = g.results.filter((x) => x.ok).length
    t.passed += ok
    t.failed += g.results.length - ok
    if (g.state === 'done' && ok === checks) t.allPassed++
  }
  return t
}

/** Rows whose grading ended with a failed check (what "recheck the failed" grades again). */
export const failedRows = (rows: readonly Row[], grades: ReadonlyMap<string, Grading>): Row[] =>
  rows.filter((r) => grades.get(r.key)?.results.some((x) => !x.ok))

/**
 * The roster row a client from `host` is: the first with that address not yet taken by another
 * connection of this run, else the first with that address (the student ran it again).
 */
export function matchRow(rows: readonly Row[], host: string, taken: ReadonlySet<string>): Row | undefined {
  const same = rows.filter((r) => !r.guest && r.host === host)
  return same.find((r) => !taken.has(r.key)) ?? same[0]
}

/** Every row with what it has (a row never graded has no results), for the exports. */
export const resultsOf = (rows: readonly Row[], grades: ReadonlyMap<string, Grading>): StudentResult[] =>
  rows.map((r) => ({
    name: r.name,
    host: r.host,
    ...(r.port !== undefined ? { port: r.port } : {}),
    results: grades.get(r.key)?.results ?? [],
  }))
