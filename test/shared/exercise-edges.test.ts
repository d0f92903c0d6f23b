/**
 * An exercise file, field by field at its edges: each limit accepted where it is and refused one
 * past it, each problem named by its field in both languages, and what a valid file gives back.
 */
import { describe, expect, it } from 'vitest'
import { problemText, resolveLists, validateExercise, type Exercise } from '../../src/shared/exercise'
import { builtInExercises } from '../../src/main/engine/checker/exercises'

const byId = (id: string): Exercise => builtInExercises().find((e) => e.id === id)!
const server = byId('threaded-hello')
const client = byId('threaded-hello-client')

/** The fields named as wrong when `change` is made to a copy of `base` (none: it is valid). */
function wrong(change: Record<string, unknown>, base: Exercise = server): string[] {
  const r = validateExercise({ ...structuredClone(base), ...change }, 'f.json')
  return r.ok ? [] : r.problems.map((p) => p.field)
}
const params = (p: Record<string, unknown>) => ({ params: { ...server.params, ...p } })
const lists = (names: unknown) => params({ lists: { names } })

describe('an exercise file at its edges', () => {
  it('a valid one comes back whole: the optional fields only when given', () => {
    const r = validateExercise(structuredClone(server), 'f.json')
    expect(r).toEqual({ ok: true, exercise: server })
    const bare: Partial<Exercise> = structuredClone(server)
    delete bare.port
    delete bare.skeleton
    const b = validateExercise(bare, 'f.json')
    expect(b.ok && 'port' in b.exercise).toBe(false)
    expect(b.ok && 'skeleton' in b.exercise).toBe(false)
    expect(b.ok && 'reference' in b.exercise).toBe(false)
  })

  it('the id, the texts and the kinds', () => {
    expect(wrong({ id: 'a' })).toEqual([])
    expect(wrong({ id: 'a'.repeat(64) })).toEqual([])
    for (const id of ['', 'a'.repeat(65), '-a', 'A', 'a b', 3]) expect(wrong({ id })).toEqual(['id'])
    for (const title of ['x', null, []]) expect(wrong({ title })).toEqual(['title'])
    expect(wrong({ title: { en: 'x' } })).toEqual(['title.zh-CN'])
    expect(wrong({ title: { 'zh-CN': 'x', en: '' } })).toEqual(['title.en'])
    for (const side of ['both', undefined]) expect(wrong({ side })).toEqual(['side'])
    expect(wrong({ transport: 'sctp' })).toEqual(['transport'])
    expect(wrong({ encoding: 'latin1' })).toEqual(['encoding'])
    const top = validateExercise([], 'f.json')
    expect(top.ok ? [] : top.problems.map((p) => p.field)).toEqual(['(top)'])
  })

  it('the reference server: only for a client exercise, one of those the app can play', () => {
    expect(wrong({}, client)).toEqual([])
    expect(wrong({ reference: 'http' }, client)).toEqual([])
    expect(wrong({ reference: 'ftp' }, client)).toEqual(['reference'])
    expect(wrong({ reference: 'http' })).toEqual(['reference'])
  })

  it('the port: 1 to 65535, whole', () => {
    for (const port of [1, 65535]) expect(wrong({ port })).toEqual([])
    for (const port of [0, 65536, 80.5, '80']) expect(wrong({ port })).toEqual(['port'])
  })

  it('the skeleton: lines of code', () => {
    expect(wrong({ skeleton: [] })).toEqual([])
    for (const skeleton of ['code', [1], [null]]) expect(wrong({ skeleton })).toEqual(['skeleton'])
  })

  it('params: a timeout of 100 to 60000 ms, lists of non-empty strings with 0 to 10 made-up names, at least one value', () => {
    for (const timeoutMs of [100, 60_000]) expect(wrong(params({ timeoutMs }))).toEqual([])
    for (const timeoutMs of [99, 60_001, 150.5, '200'])
      expect(wrong(params({ timeoutMs }))).toEqual(['params.timeoutMs'])
    expect(wrong({ params: 'x' })).toContain('params')
    expect(wrong(params({ lists: 'x' }))).toContain('params.lists')
    expect(wrong(lists({ values: ['a'], addRandom: 0 }))).toEqual([])
    expect(wrong(lists({ values: [], addRandom: 10 }))).toEqual([])
    for (const addRandom of [11, 1.5, '2'])
      expect(wrong(lists({ values: ['a'], addRandom }))).toEqual(['params.lists.names.addRandom'])
    // one value and -1 made-up names: refused, and so is the total of none
    expect(wrong(lists({ values: ['a'], addRandom: -1 }))).toEqual([
      'params.lists.names.addRandom',
      'params.lists.names',
    ])
    for (const values of [['a', ''], 'a', [1]]) expect(wrong(lists({ values }))).toContain('params.lists.names.values')
    expect(wrong(lists({ values: [] }))).toEqual(['params.lists.names'])
    expect(wrong(lists({ values: [], addRandom: 0 }))).toEqual(['params.lists.names'])
  })

  it('checks: a non-empty list of objects with unique ids, rules of plain values, a list the rule names, a line of text', () => {
    const c0 = server.checks[0]!
    expect(wrong({ checks: [] })).toEqual(['checks'])
    expect(wrong({ checks: 'x' })).toEqual(['checks'])
    expect(wrong({ checks: [5] })).toEqual(['checks[0]'])
    expect(wrong({ checks: [c0, c0] })).toEqual(['checks[1].id'])
    expect(wrong({ checks: [{ ...c0, rule: { a: 'x', b: 1, c: true } }] })).toEqual([])
    expect(wrong({ checks: [{ ...c0, rule: { a: [] } }] })).toEqual(['checks[0].rule'])
    expect(wrong({ checks: [{ ...c0, rule: 'x' }] })).toEqual(['checks[0].rule'])
    expect(wrong({ checks: [{ ...c0, rule: undefined }] })).toEqual([]) // no rule: an empty one
    expect(wrong({ checks: [{ ...c0, rule: { param: 'names' } }] })).toEqual([])
    expect(wrong({ checks: [{ ...c0, line: 3 }] })).toEqual(['checks[0].line'])
    const noLine = structuredClone(c0)
    delete noLine.line
    const r = validateExercise({ ...structuredClone(server), checks: [noLine] }, 'f.json')
    expect(r.ok && 'line' in r.exercise.checks[0]!).toBe(false)
  })
})

describe('problemText', () => {
  it('says where and what, in English or Chinese', () => {
    const p = { file: 'f.json', field: 'port', expected: { en: 'a whole number', 'zh-CN': '整数' } }
    expect(problemText(p, 'en')).toBe('f.json: port: expected a whole number')
    expect(problemText(p, 'zh-CN')).toBe('f.json：port：应为整数')
    const r = validateExercise({ ...structuredClone(server), port: 0 }, 'f.json')
    expect(r.ok ? '' : problemText(r.problems[0]!, 'zh-CN')).toBe('f.json：port：应为1 到 65535 的整数')
  })
})

describe('resolveLists', () => {
  it('keeps the values and adds the made-up names asked for: a capital, two letters, three digits', () => {
    let i = 0
    const seq = [0, 0.5, 0.99, 0.25]
    const random = (): number => seq[i++ % seq.length]!
    const r = resolveLists(
      { ...server, params: { ...server.params, lists: { names: { values: ['Ann'], addRandom: 2 } } } },
      random,
    )
    expect(r['names']).toHaveLength(3)
    expect(r['names']![0]).toBe('Ann')
    expect(r['names']![1]).toBe('Anz325')
    for (const n of r['names']!.slice(1)) expect(n).toMatch(/^[A-Z][a-z]{2}[1-9]\d\d$/)
    expect(resolveLists({ ...server, params: { ...server.params, lists: { x: { values: ['a'] } } } })).toEqual({
      x: ['a'],
    })
  })
})
