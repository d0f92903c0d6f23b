import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { setApi } from '../../../src/renderer/src/api'
import { setLocale } from '../../../src/renderer/src/i18n'
import { SELF, useClassroomStore } from '../../../src/renderer/src/stores/classroom'
import { useLabStore } from '../../../src/renderer/src/stores/lab'
import { useSettingsStore } from '../../../src/renderer/src/stores/settings'
import type { CheckResult, GradeEvent } from '../../../src/shared/contract'
import { DEFAULT_SETTINGS } from '../../../src/shared/settings'
import { createFakeApi, FAKE_EXERCISES, manualFrames } from '../../support/fake-api'

let fake: ReturnType<typeof createFakeApi>
let frames: ReturnType<typeof manualFrames>
beforeEach(() => {
  fake = createFakeApi()
  setApi(fake.api)
  setActivePinia(createPinia())
  setLocale('en')
  frames = manualFrames()
  useLabStore().start(frames.scheduler)
})

const res = (check: string, ok: boolean): CheckResult => ({
  check,
  ok,
  detail: { en: ok ? 'ok' : 'no', 'zh-CN': ok ? '好' : '不' },
  hint: { en: 'h', 'zh-CN': '提' },
  transcript: [{ dir: '→', text: 'Ann' }],
})
let t = 0
const grade = (run: string, key: string, results: CheckResult[], done: boolean, host = '127.0.0.1'): GradeEvent => ({
  kind: 'grade',
  id: run,
  t: ++t,
  key,
  name: key,
  host,
  results,
  done,
})
function push(...evs: GradeEvent[]): void {
  fake.emit(evs)
  frames.run()
}
const CHECKS = FAKE_EXERCISES[0]!.checks.map((c) => c.id)
const allPass = CHECKS.map((c) => res(c, true))

async function loaded() {
  const room = useClassroomStore()
  await room.load()
  return room
}

describe('classroom store', () => {
  it('loads the built-in exercises and the saved exercise and roster; new values keep the list and add made-up names', async () => {
    const s = useSettingsStore()
    fake.answerNext('settingsGet', {
      ok: true,
      data: {
        settings: {
          ...DEFAULT_SETTINGS,
          classroom: { exercise: 'threaded-hello-client', roster: [{ name: 'Ann', host: '10.0.0.5' }] },
        },
      },
    })
    await s.load()
    const room = await loaded()
    expect(room.exercise?.id).toBe('threaded-hello-client')
    expect(room.roster.map((r) => r.name)).toEqual(['Ann'])
    room.choose('threaded-hello')
    const names = room.lists['names']!
    expect(names.slice(0, 2)).toEqual(['Michael', '小文'])
    expect(names).toHaveLength(3)
    room.newValues()
    expect(room.lists['names']![2]).not.toBe(names[2])
    // the choice is saved with the settings
    expect(fake.calls.filter((c) => c.method === 'settingsSet').at(-1)?.req).toMatchObject({
      classroom: { exercise: 'threaded-hello', roster: [{ name: 'Ann', host: '10.0.0.5' }] },
    })
  })

  it('reads a typed roster (header optional) and says, in both languages, what line is wrong', async () => {
    const room = await loaded()
    expect(room.setRoster('Ann,10.0.0.5,9999\n"Li, Wei",10.0.0.6,9999')).toBe(true)
    expect(room.roster.map((r) => [r.name, r.host, r.port])).toEqual([
      ['Ann', '10.0.0.5', 9999],
      ['Li, Wei', '10.0.0.6', 9999],
    ])
    expect(room.setRoster('Bo,10.0.0.7,99999')).toBe(false)
    expect(room.rosterProblem?.en).toMatch(/line 2: port "99999"/)
    expect(room.rosterProblem?.['zh-CN']).toMatch(/第 2 行/)
    expect(room.roster).toHaveLength(2) // the last good roster stays
    expect(room.rosterText()).toBe('name,host,port\nAnn,10.0.0.5,9999\n"Li, Wei",10.0.0.6,9999\n')
  })

  it('check all: queued, then running, then each verdict as it comes; recheck grades only the failed', async () => {
    const room = await loaded()
    room.setRoster('Ann,10.0.0.5,9999\nBo,10.0.0.6,9999')
    await room.checkAll()
    const req = fake.calls.find((c) => c.method === 'checkServers')!.req as { students: { key: string }[] }
    expect(req.students).toHaveLength(2)
    const [ann, bo] = req.students.map((s) => s.key) as [string, string]
    expect(room.summary).toMatchObject({ students: 2, queued: 2, running: 0, graded: 0 })
    push(grade('k1', ann, [], false))
    expect(room.summary).toMatchObject({ queued: 1, running: 1 })
    push(grade('k1', ann, allPass.slice(0, 2), false))
    expect(room.summary).toMatchObject({ running: 1, passed: 2 })
    push(grade('k1', ann, allPass, true), grade('k1', bo, [res('connect', true), res('welcome', false)], true))
    expect(room.summary).toMatchObject({ graded: 2, running: 0, passed: 7, failed: 1, allPassed: 1 })
    expect(room.classRun).toBeDefined()
    push({ kind: 'grade-end', id: 'k1', t: ++t })
    expect(room.classRun).toBeUndefined()
    await room.recheckFailed()
    const again = fake.calls.filter((c) => c.method === 'checkServers').at(-1)!.req as { students: { name: string }[] }
    expect(again.students.map((s) => s.name)).toEqual(['Bo'])
    // a run this page did not start is not its business
    push(grade('k99', ann, [], false))
    expect(room.grades.get(ann)?.state).toBe('done')
  })

  it('a client run: a connection is matched to the roster by address, an unknown address is a guest who can be named', async () => {
    const room = await loaded()
    room.choose('threaded-hello-client')
    room.setRoster('Ann,10.0.0.5,')
    await room.listen('0.0.0.0', 0)
    expect(room.classRun).toMatchObject({ port: 40000, host: '0.0.0.0' })
    const run = room.classRun!.run
    push(grade(run, '10.0.0.5:50001', [], false, '10.0.0.5'), grade(run, '10.0.0.9:50002', [], false, '10.0.0.9'))
    expect(room.rows.map((r) => [r.name, !!r.guest])).toEqual([
      ['Ann', false],
      ['10.0.0.9', true],
    ])
    push(grade(run, '10.0.0.9:50002', [res('connect', true)], true, '10.0.0.9'))
    const guest = room.guests[0]!
    room.nameGuest(guest.key, 'Bo')
    expect(room.guests).toEqual([])
    expect(room.roster.map((r) => r.name)).toEqual(['Ann', 'Bo'])
    expect(room.grades.get(guest.key)?.results).toHaveLength(1) // the grading follows the name
    // Bo runs his client again: the same row
    push(grade(run, '10.0.0.9:50003', [res('connect', false)], true, '10.0.0.9'))
    expect(room.rows).toHaveLength(2)
    expect(room.grades.get(guest.key)?.results[0]?.ok).toBe(false)
    await room.stop()
    expect(fake.calls.at(-1)).toEqual({ method: 'checkStop', req: { run } })
  })

  it('self-check: one target, its results kept apart from the class', async () => {
    const room = await loaded()
    await room.selfCheck('127.0.0.1', 9999)
    const req = fake.calls.find((c) => c.method === 'checkServers')!.req as { students: unknown[] }
    expect(req.students).toEqual([{ key: SELF, name: SELF, host: '127.0.0.1', port: 9999 }])
    push(grade('k1', 'anything', allPass, true))
    expect(room.grades.get(SELF)?.state).toBe('done')
    expect(room.summary.students).toBe(0)
  })

  it('an exercise file: its problems are kept for the UI language; a valid one is chosen and saved', async () => {
    const room = await loaded()
    await room.openFile('C:\\teacher\\mine.json', '{"id": "Bad Id"}')
    expect(room.problems.length).toBeGreaterThan(1)
    expect(room.problems[0]!.file).toBe('mine.json')
    expect(room.problems.find((p) => p.field === 'id')?.expected['zh-CN']).toMatch(/符合/)
    const own = { ...FAKE_EXERCISES[0]!, id: 'my-hello' }
    await room.openFile('mine.json', JSON.stringify(own))
    expect(room.problems).toEqual([])
    expect(room.exercise?.id).toBe('my-hello')
    expect(room.exercises.map((e) => e.id)).toContain('my-hello')
  })

  it('exports the results as CSV in the CLI’s columns, a row never graded left blank', async () => {
    const room = await loaded()
    room.setRoster('Ann,10.0.0.5,9999\nBo,10.0.0.6,9999')
    await room.checkAll()
    const ann = room.roster[0]!.key
    push(grade('k1', ann, allPass, true))
    await room.exportResults('csv')
    const save = fake.calls.find((c) => c.method === 'fileSave')!.req as { name: string; data: string }
    // the date and time in the name; a BOM first, for Excel on a Chinese Windows
    expect(save.name).toMatch(/^threaded-hello-results-\d{4}-\d\d-\d\d-\d{4}\.csv$/)
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(
      Uint8Array.from(atob(save.data), (c) => c.charCodeAt(0)),
    )
    expect(text.startsWith('\uFEFF')).toBe(true)
    const lines = text.slice(1).split('\n')
    expect(lines[1]).toMatch(/,6,6,\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/)
    expect(lines.map((l) => l.replace(/,\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/, ','))).toEqual([
      `name,host,port,${CHECKS.join(',')},passed,max,checked_at`,
      `Ann,10.0.0.5,9999,${CHECKS.map(() => 'pass').join(',')},6,6,`,
      `Bo,10.0.0.6,9999,${CHECKS.map(() => '').join(',')},0,6,`,
      '',
    ])
  })
})

describe('a class’s marks are never lost', () => {
  const lastSaved = () =>
    (
      fake.calls.filter((c) => c.method === 'settingsSet').at(-1)?.req as {
        classroom?: { results?: Record<string, unknown[]> }
      }
    )?.classroom
  const marks = (room: ReturnType<typeof useClassroomStore>) =>
    room.roster.map((r) => {
      const g = room.grades.get(r.key)
      return `${r.name}:${g?.results.length ? g.results.filter((x) => x.ok).length : '-'}`
    })

  it('keeps each exercise’s grades across a switch to another exercise and back', async () => {
    const room = await loaded()
    room.setRoster('Ann,10.0.0.5,9999\nBo,10.0.0.6,9999')
    await room.checkAll()
    push(grade('k1', room.roster[0]!.key, allPass, true))
    expect(marks(room)).toEqual(['Ann:6', 'Bo:-'])
    room.choose('threaded-hello-client')
    expect(marks(room)).toEqual(['Ann:-', 'Bo:-'])
    room.choose('threaded-hello')
    expect(marks(room)).toEqual(['Ann:6', 'Bo:-'])
    expect(room.grades.get(room.roster[0]!.key)?.state).toBe('done')
  })

  it('an edited roster keeps the marks of the students who stay; dropping a graded one is asked first', async () => {
    const room = await loaded()
    room.setRoster('Ann,10.0.0.5,9999\nBo,10.0.0.6,9999')
    await room.checkAll()
    push(
      grade('k1', room.roster[0]!.key, allPass, true),
      grade('k1', room.roster[1]!.key, [res('connect', false)], true),
    )
    // a late student added: nobody's marks go
    expect(room.setRoster('Ann,10.0.0.5,9999\nBo,10.0.0.6,9999\nCy,10.0.0.7,9999')).toBe(true)
    expect(marks(room)).toEqual(['Ann:6', 'Bo:0', 'Cy:-'])
    // Bo left out: nothing applied, his name comes back for the page to ask
    expect(room.setRoster('Ann,10.0.0.5,9999\nCy,10.0.0.7,9999')).toEqual(['Bo'])
    expect(room.roster.map((r) => r.name)).toEqual(['Ann', 'Bo', 'Cy'])
    expect(room.setRoster('Ann,10.0.0.5,9999\nCy,10.0.0.7,9999', 'roster', true)).toBe(true)
    expect(marks(room)).toEqual(['Ann:6', 'Cy:-'])
  })

  it('saves the marks with the settings once grading pauses, and a reload brings them back', async () => {
    vi.useFakeTimers()
    try {
      const room = await loaded()
      room.setRoster('Ann,10.0.0.5,9999')
      await room.checkAll()
      push(grade('k1', room.roster[0]!.key, allPass, true))
      await vi.advanceTimersByTimeAsync(500)
      const saved = lastSaved()!.results!
      expect(Object.keys(saved)).toEqual(['threaded-hello'])
      expect(saved['threaded-hello']).toMatchObject([{ name: 'Ann', host: '10.0.0.5', port: 9999, results: allPass }])
      // the saved settings pass the main process's check (they would be refused otherwise)
      const { mergeSettings } = await import('../../../src/shared/settings')
      expect(mergeSettings(DEFAULT_SETTINGS, { classroom: lastSaved() }).rejected).toEqual([])
      // a reload: a new page reads the same settings
      setActivePinia(createPinia())
      const s = useSettingsStore()
      fake.answerNext('settingsGet', {
        ok: true,
        data: { settings: { ...DEFAULT_SETTINGS, classroom: lastSaved() as never } },
      })
      await s.load()
      const again = await loaded()
      expect(marks(again)).toEqual(['Ann:6'])
    } finally {
      vi.useRealTimers()
    }
  })
})
