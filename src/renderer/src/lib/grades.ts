/**
 * The Classroom panel's arithmetic, apart from Vue: each roster row's grading, the state of one
 * cell, the counts under the progress bar, which roster row a connecting client is.
 */
import type { CheckResult, Student, StudentResult } from '../../../shared/exercise'
import type { MessageKey } from '../i18n'

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
export type Mark = 'pass' | 'fail' | 'skipped' | 'running' | 'queued' | 'idle'
export const SYMBOL: Record<Mark, string> = { pass: '✓', fail: '✗', skipped: '–', running: '⋯', queued: '…', idle: '–' }

/** A cell: its check's result if it came; running if the row is being graded; else not run. */
export function markOf(g: Grading | undefined, check: string): Mark {
  const r = g?.results.find((x) => x.check === check)
  if (r) return r.ok ? 'pass' : r.skipped ? 'skipped' : 'fail'
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
    t.failed += g.results.filter((x) => !x.ok && !x.skipped).length
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
export const resultsOf = (
  rows: readonly Row[],
  grades: ReadonlyMap<string, Grading>,
): (StudentResult & { at?: number })[] =>
  rows.map((r) => {
    const g = grades.get(r.key)
    return {
      name: r.name,
      host: r.host,
      ...(r.port !== undefined ? { port: r.port } : {}),
      results: g?.results ?? [],
      ...(g ? { at: g.at } : {}),
    }
  })

/**
 * A checker's note in a transcript ("#1 connected", "EOF", "RST"), in the page's language: the
 * checker writes them as data, in English; the rest (error codes, what was sent) is shown as it is.
 */
export function transcriptNote(
  text: string,
  t: (key: MessageKey, p?: Record<string, string | number>) => string,
): string {
  const m = /^(#\d+ |[A-Z] )?(connected|EOF|RST|connect: no answer in (\d+) ms)$/.exec(text)
  if (m) {
    const who = m[1] ?? ''
    if (m[3]) return who + t('classroom.notes.noAnswer', { ms: m[3] })
    return who + t(`classroom.notes.${m[2] as 'connected' | 'EOF' | 'RST'}`)
  }
  if (text === 'server: close') return t('classroom.notes.serverClose')
  if (text === 'client: FIN') return t('classroom.notes.clientFin')
  return text
}
