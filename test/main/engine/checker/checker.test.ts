/**
 * The checker against real students' programs: for each built-in exercise a correct Python
 * solution in the course's style passes every check, and each buggy one fails exactly the check
 * it targets.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { gradeClients, gradeServer, type CheckResult } from '../../../../src/main/engine/checker/checker'
import { builtInExercises } from '../../../../src/main/engine/checker/exercises'
import { startPython } from '../../../support/python'
import { SOLUTIONS, type Solution } from './solutions'

const exercises = new Map(builtInExercises().map((e) => [e.id, e]))
const stops: (() => void)[] = []
afterEach(() => {
  for (const s of stops.splice(0)) s()
})

async function grade(sol: Solution): Promise<CheckResult[]> {
  const ex = exercises.get(sol.exercise)!
  if (ex.side === 'server') {
    const py = startPython(sol.code, ['0'])
    stops.push(py.stop)
    const port = Number(await py.firstLine)
    return gradeServer(ex, { host: '127.0.0.1', port })
  }
  const g = await gradeClients(ex, { host: '127.0.0.1', port: 0, count: 1, waitMs: 15_000 })
  const py = startPython(sol.code, [String(g.port)])
  stops.push(py.stop)
  const [student] = await g.done
  return student?.results ?? []
}

/** A result reads in both languages: each says something, the Chinese in Chinese, and what the
 * English quotes (sent, expected, got) is quoted in the Chinese too. */
function expectBothLanguages(r: CheckResult): void {
  const { en } = r.detail
  const zh = r.detail['zh-CN']
  expect(en.trim(), `${r.check}: English detail`).not.toBe('')
  expect(zh, `${r.check}: Chinese detail "${zh}" for "${en}"`).toMatch(/[\u4e00-\u9fff]/)
  for (const q of en.match(/"(?:[^"\\]|\\.)*"/g) ?? [])
    expect(zh, `${r.check}: ${q} in the Chinese detail`).toContain(q)
  if (!r.ok) expect(r.hint['zh-CN'], `${r.check}: Chinese hint`).toMatch(/[\u4e00-\u9fff]/)
}

const failed = (rs: CheckResult[]) => rs.filter((r) => !r.ok).map((r) => r.check)

describe('the checker grades Python solutions in the course style', () => {
  for (const sol of SOLUTIONS) {
    const name = sol.fails
      ? `${sol.exercise}: "${sol.bug}" fails ${sol.fails} and only it`
      : `${sol.exercise}: the correct solution passes every check`
    it(name, { timeout: 30_000 }, async () => {
      const rs = await grade(sol)
      const ids = exercises.get(sol.exercise)!.checks.map((c) => c.id)
      expect(rs.map((r) => r.check)).toEqual(ids)
      expect(
        failed(rs),
        JSON.stringify(
          rs.filter((r) => !r.ok),
          null,
          1,
        ),
      ).toEqual(sol.fails ? [sol.fails] : [])
      // every failure carries its hint; every check keeps what was sent and received
      for (const r of rs) if (!r.ok) expect(r.hint.en.length).toBeGreaterThan(0)
      for (const r of rs) expectBothLanguages(r)
    })
  }

  it('every check of every built-in exercise is targeted by a buggy solution', () => {
    const targeted = new Set(SOLUTIONS.map((s) => `${s.exercise} ${s.fails}`))
    for (const ex of exercises.values())
      for (const c of ex.checks)
        if (!['connect'].includes(c.kind) && c.kind !== 'client-connects' && !c.kind.startsWith('http-host'))
          expect(targeted.has(`${ex.id} ${c.id}`) || c.kind === 'http-host', `${ex.id} ${c.id}`).toBe(true)
  })
})

describe('the checker when nobody comes', () => {
  it('a roster student whose client never connects fails every check, named, after the wait', async () => {
    const ex = exercises.get('threaded-hello-client')!
    const g = await gradeClients(ex, {
      host: '127.0.0.1',
      port: 0,
      count: 1,
      waitMs: 300,
      roster: [{ name: '小文', host: '127.0.0.1' }],
    })
    const [student] = await g.done
    expect(student!.name).toBe('小文')
    expect(student!.results.map((r) => `${r.check} ${r.ok} ${r.detail.en}`)).toEqual(
      ex.checks.map((c) => `${c.id} false never connected`),
    )
    for (const r of student!.results) expectBothLanguages(r)
  })
})
