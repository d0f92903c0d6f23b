import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { parseExercise, validateExercise } from '../../src/shared/exercise'
import { builtInExercises } from '../../src/main/engine/checker/exercises'

describe('exercise files', () => {
  it('the built-in exercises are valid and carry the contract ids', () => {
    const byId = new Map(builtInExercises().map((e) => [e.id, e.checks.map((c) => c.id)]))
    expect(byId.get('threaded-hello')).toEqual([
      'connect',
      'welcome',
      'hello',
      'exit-closes',
      'concurrent',
      'survives-reset',
    ])
    expect(byId.get('serial-bye')).toEqual(['connect', 'reply', 'bye-closes', 'next-client'])
    expect(byId.get('udp-echo')).toEqual(['echo', 'boundaries', 'large'])
    expect(byId.get('threaded-hello-client')).toEqual(['connect', 'sends-names', 'sends-exit', 'closes'])
    expect(byId.get('http-get-client')).toEqual(['request-line', 'host-header', 'header-end', 'reads-to-close'])
    for (const e of builtInExercises()) for (const c of e.checks) expect(c.hint['zh-CN'] && c.hint.en).toBeTruthy()
  })

  it('errors name the file, the field and what was expected', () => {
    const good = builtInExercises()[0]!
    const r = validateExercise(
      { ...good, checks: [{ ...good.checks[0], kind: 'udp-echo', rule: { param: 'nope' } }, good.checks[0]] },
      'mine.json',
    )
    expect(r.ok).toBe(false)
    if (r.ok) return
    expect(r.errors).toEqual([
      'mine.json: checks[0].rule.param: expected the name of a list in params.lists (no "nope")',
      'mine.json: checks[1].id: expected an id not used before ("connect" is)',
    ])
    expect(parseExercise('{', 'x.json')).toMatchObject({
      ok: false,
      errors: [expect.stringMatching(/^x\.json: \(file\): expected JSON/)],
    })
  })

  it('property: any JSON gives a valid exercise or errors that each name the file and a field', () => {
    const base = builtInExercises()[0]!
    const mutated = fc.record({
      key: fc.constantFrom('id', 'title', 'side', 'transport', 'encoding', 'params', 'checks', 'reference'),
      value: fc.jsonValue(),
    })
    fc.assert(
      fc.property(
        fc.oneof(
          fc.jsonValue(),
          mutated.map(({ key, value }) => ({ ...base, [key]: value })),
        ),
        (v) => {
          const r = validateExercise(v, 'f.json')
          if (r.ok) {
            expect(r.exercise.checks.length).toBeGreaterThan(0)
            expect(['server', 'client']).toContain(r.exercise.side)
          } else {
            expect(r.errors.length).toBeGreaterThan(0)
            for (const e of r.errors) expect(e).toMatch(/^f\.json: \S+: expected /)
          }
        },
      ),
      { numRuns: 500 },
    )
  })
})
