/**
 * The checker as the app runs it (what the Classroom panel calls): a run's events, per owner,
 * against real students' programs in Python; a client run's reference server closed by stop()
 * and by its owner going away.
 */
import { connect } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { SocketEngine } from '../../../../src/main/engine/engine'
import { builtInExercises } from '../../../../src/main/engine/checker/exercises'
import type { LabEvent } from '../../../../src/shared/contract'
import { resolveLists } from '../../../../src/shared/exercise'
import { startPython } from '../../../support/python'
import { until } from '../../../support/until'
import { SOLUTIONS } from './solutions'

const ex = (id: string) => builtInExercises().find((e) => e.id === id)!
const events: [string, LabEvent][] = []
const engine = new SocketEngine((owner, ev) => void events.push([owner, ev]))
const stops: (() => void)[] = []
afterEach(async () => {
  for (const s of stops.splice(0)) s()
  await engine.closeAll()
  events.length = 0
})
const of = (run: string) => events.filter(([, e]) => e.id === run).map(([o, e]) => ({ owner: o, ...e }))

describe('checker runs', () => {
  it('a server run: queued students graded, each check reported as it ends, then done, then the run’s end', async () => {
    const code = SOLUTIONS.find((s) => s.exercise === 'threaded-hello' && !s.bug)!.code
    const py = startPython(code, ['0'])
    stops.push(py.stop)
    const port = Number(await py.firstLine)
    const hello = ex('threaded-hello')
    const lists = { names: ['Zed'] }
    const { run } = engine.checker.servers('w1', {
      exercise: hello,
      lists,
      students: [{ key: 'r1', name: 'Ann', host: '127.0.0.1', port }],
    })
    await until(() => of(run).some((e) => e.kind === 'grade-end'), 20_000)
    const evs = of(run)
    expect(evs.every((e) => e.owner === 'w1')).toBe(true)
    const grades = evs.filter((e) => e.kind === 'grade')
    // first "running" with nothing yet, then one more result each time, the last one done
    expect(grades.map((g) => g.results.length)).toEqual([0, 1, 2, 3, 4, 5, 6, 6])
    expect(grades.map((g) => g.done)).toEqual([false, false, false, false, false, false, false, true])
    expect(grades.at(-1)!.results.every((r) => r.ok)).toBe(true)
    // the list values the page chose were the ones sent
    const hi = grades.at(-1)!.results.find((r) => r.check === 'hello')!
    expect(hi.transcript.some((l) => l.dir === '→' && l.text === 'Zed')).toBe(true)
    expect(evs.at(-1)!.kind).toBe('grade-end')
    // each event names the student as the roster does
    for (const g of grades) expect(g).toMatchObject({ key: 'r1', name: 'Ann', host: '127.0.0.1', port })
    // run ids are the checker's own, one per run
    expect(run).toMatch(/^k\d+$/)
    expect(engine.checker.servers('w1', { exercise: hello, lists, students: [] }).run).not.toBe(run)
  }, 30_000)

  it('a stopped server run grades no student that was still queued', async () => {
    const students = Array.from({ length: 20 }, (_, i) => ({ key: `r${i}`, name: `S${i}`, host: '127.0.0.1', port: 1 }))
    const { run } = engine.checker.servers('w1', { exercise: ex('threaded-hello'), lists: {}, students })
    await engine.checker.stop('w1', run)
    await until(() => of(run).some((e) => e.kind === 'grade-end'), 20_000)
    const started = new Set(of(run).flatMap((e) => (e.kind === 'grade' ? [e.key] : [])))
    expect(started.size).toBe(16) // the first MAX_AT_ONCE were already under way
    expect(started.has('r19')).toBe(false)
  }, 30_000)

  it('a client run: the reference server grades each client until stopped; a stopped run’s port is closed', async () => {
    const { run, port } = await engine.checker.clients('w1', {
      exercise: ex('threaded-hello-client'),
      host: '127.0.0.1',
      port: 0,
    })
    const code = SOLUTIONS.find((s) => s.exercise === 'threaded-hello-client' && !s.bug)!.code
    for (let i = 0; i < 2; i++) {
      const py = startPython(code, [String(port)])
      stops.push(py.stop)
      await py.exited
    }
    await until(() => of(run).filter((e) => e.kind === 'grade' && e.done).length === 2, 10_000)
    const grades = of(run).filter((e) => e.kind === 'grade') as Extract<LabEvent, { kind: 'grade' }>[]
    const done = grades.filter((e) => e.done)
    expect(new Set(done.map((d) => d.key)).size).toBe(2) // two connections, two keys (host:port)
    // each client is announced as it connects, with nothing graded yet, under the same key
    for (const d of done) {
      const first = grades.find((g) => g.key === d.key)!
      expect(first).toMatchObject({ done: false, results: [], name: d.name, host: '127.0.0.1' })
      expect(d.key).toMatch(/^127\.0\.0\.1:\d+$/)
    }
    expect(done.every((d) => d.host === '127.0.0.1' && d.results.every((r) => r.ok))).toBe(true)
    await engine.checker.stop('w2', run) // another owner cannot stop it
    expect(await canConnect(port!)).toBe(true)
    await engine.checker.stop('w1', run)
    await until(() => of(run).some((e) => e.kind === 'grade-end'), 5000)
    expect(await canConnect(port!)).toBe(false)
  }, 30_000)

  it('an owner that goes away stops its runs', async () => {
    const { run, port } = await engine.checker.clients('w3', {
      exercise: ex('threaded-hello-client'),
      host: '127.0.0.1',
      port: 0,
    })
    const other = await engine.checker.clients('w4', {
      exercise: ex('threaded-hello-client'),
      host: '127.0.0.1',
      port: 0,
    })
    await engine.closeOwner('w3')
    expect(of(run).at(-1)?.kind).toBe('grade-end')
    expect(await canConnect(port!)).toBe(false)
    expect(await canConnect(other.port!)).toBe(true) // another owner's run goes on
  })

  it('resolveLists keeps the values and adds made-up names that differ per run', () => {
    const a = resolveLists(ex('threaded-hello'))
    const b = resolveLists(ex('threaded-hello'))
    expect(a['names']!.slice(0, 2)).toEqual(['Michael', '小文'])
    expect(a['names']![2]).toMatch(/^[A-Z][a-z]{2}\d{3}$/)
    expect(a['names']![2]).not.toBe(b['names']![2])
  })
})

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1')
    s.once('connect', () => (s.destroy(), resolve(true)))
    s.once('error', () => resolve(false))
  })
}
