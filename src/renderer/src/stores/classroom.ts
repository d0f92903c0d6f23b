/**
 * The Classroom panel: the exercise (built in, or the teacher's own file), the roster, and the
 * live grading of the class — students' servers checked from here, or students' clients graded
 * as they connect to the reference server — plus one student's self-check. Grades arrive as the
 * checker's events (lab.onGrade); the exercise and roster persist with the settings.
 */
import { defineStore } from 'pinia'
import { computed, reactive, ref, shallowRef, watch } from 'vue'
import type { GradeEvent, LabError } from '../../../shared/contract'
import { bytesToBase64 } from '../../../shared/codec'
import { resolveLists, type Exercise, type ExerciseProblem, type Student, type Text } from '../../../shared/exercise'
import { localTime, parseRoster, resultsCsv, resultsJson, RosterError, rosterCsv } from '../../../shared/roster'
import { gradingsOf, identity, withCurrent, type Saved } from '../lib/saved-grades'
import { getApi } from '../api'
import { failedRows, matchRow, resultsOf, tally, type Grading, type Row } from '../lib/grades'
import { useLabStore } from './lab'
import { useSettingsStore } from './settings'

export const SELF = 'self'

type Purpose = { for: 'class' } | { for: 'self' }

export const useClassroomStore = defineStore('classroom', () => {
  const api = getApi()
  const lab = useLabStore()
  const settings = useSettingsStore()
  const builtIn = shallowRef<Exercise[]>([])
  const custom = shallowRef<Exercise>()
  const exerciseId = ref('threaded-hello')
  const exercise = computed(() =>
    custom.value?.id === exerciseId.value ? custom.value : builtIn.value.find((e) => e.id === exerciseId.value),
  )
  const exercises = computed(() => [...builtIn.value, ...(custom.value ? [custom.value] : [])])
  /** What was wrong with the last exercise file opened, or the last roster read. */
  const problems = ref<ExerciseProblem[]>([])
  const rosterProblem = ref<Text>()
  const error = ref<LabError>()
  const lists = ref<Record<string, string[]>>({})
  const roster = ref<Row[]>([])
  const guests = ref<Row[]>([])
  const rows = computed(() => [...roster.value, ...guests.value])
  const grades = reactive(new Map<string, Grading>())
  /** The runs this page started: what each is for. */
  const runs = new Map<string, Purpose>()
  /** The class run in progress (a client exercise's: its reference server's port). */
  const classRun = ref<{ run: string; port?: number; host?: string }>()
  const selfRun = ref<{ run: string; port?: number }>()
  /** Which roster row each connection of a client run was matched to. */
  const matched = new Map<string, string>()
  let keySeq = 0
  const key = (): string => `r${++keySeq}`
  /**
   * Every exercise's graded students, by exercise id: what the settings keep, so that switching
   * the exercise and back, editing the roster or reloading the page loses no mark. The shown
   * exercise's are in `grades` (by row); they are copied here whenever a student's grading ends.
   */
  let saved: Saved = {}

  const summary = computed(() => tally(rows.value, grades, exercise.value?.checks.length ?? 0))

  async function load(): Promise<void> {
    const r = await api.checkExercises()
    if (!r.ok) return void (error.value = r)
    builtIn.value = r.data
    const saved = settings.settings.classroom
    if (saved.custom) custom.value = saved.custom
    if (exercises.value.some((e) => e.id === saved.exercise)) exerciseId.value = saved.exercise
    roster.value = saved.roster.map((s) => ({ ...s, key: key() }))
    restoreFrom(saved.results ?? {})
    newValues()
  }
  lab.onGrade(onGrade)

  const save = (): Promise<void> => {
    clearTimeout(saveTimer)
    saveTimer = undefined
    keepCurrent()
    return settings.update({
      classroom: {
        exercise: exerciseId.value,
        ...(custom.value ? { custom: custom.value } : {}),
        roster: roster.value.map(({ name, host, port }) =>
          port === undefined ? { name, host } : { name, host, port },
        ),
        results: saved,
      },
    })
  }
  /** Grades come student by student: saved once they pause for a moment, not per event. */
  let saveTimer: ReturnType<typeof setTimeout> | undefined
  const saveSoon = (): void => {
    clearTimeout(saveTimer)
    saveTimer = setTimeout(() => void save(), 400)
  }

  /** The shown exercise's graded rows into `saved`. */
  function keepCurrent(): void {
    if (exerciseId.value) saved = withCurrent(saved, exerciseId.value, rows.value, grades)
  }

  /** `grades` (and the guests a client exercise had) from what was kept for the shown exercise. */
  function restoreFrom(all: Saved): void {
    saved = JSON.parse(JSON.stringify(all)) as Saved // plain data, never the settings store's proxies
    const r = gradingsOf(saved, exerciseId.value, roster.value, key)
    grades.clear()
    for (const [k, g] of r.grades) grades.set(k, g)
    guests.value = r.guests
  }

  function choose(id: string): void {
    if (id === exerciseId.value) return
    keepCurrent()
    exerciseId.value = id
    restoreFrom(saved)
    newValues()
    void save()
  }

  /** The teacher's own exercise file: validated by the engine; shown, or its problems are. */
  async function openFile(file: string, text: string): Promise<void> {
    const r = await api.checkParse({ text, file: file.replace(/^.*[\\/]/, '').slice(0, 200) || 'exercise.json' })
    if (!r.ok) return void (error.value = r)
    if (!r.data.ok) return void (problems.value = r.data.problems)
    problems.value = []
    custom.value = r.data.exercise
    exerciseId.value = ''
    choose(r.data.exercise.id)
  }

  function newValues(): void {
    lists.value = exercise.value ? resolveLists(exercise.value) : {}
  }

  /**
   * The roster from CSV text (the header may be left out when typing). Students who stay keep
   * their grades. When graded students would leave the roster, nothing is applied and their names
   * come back, for the page to ask; `force` applies it anyway (their marks are then dropped).
   * True: applied; false: the text is not a roster (rosterProblem says why).
   */
  function setRoster(text: string, file = 'roster', force = false): boolean | string[] {
    const withHead = /^\s*\uFEFF?name\s*,/i.test(text) ? text : `name,host,port\n${text}`
    try {
      const students: Student[] = parseRoster(withHead, file)
      rosterProblem.value = undefined
      const staying = new Set(students.map(identity))
      const lost = roster.value.filter((r) => grades.get(r.key)?.results.length && !staying.has(identity(r)))
      if (lost.length && !force) return lost.map((r) => r.name)
      keepCurrent()
      roster.value = students.map((s) => ({ ...s, key: key() }))
      restoreFrom(saved)
      void save()
      return true
    } catch (e) {
      if (!(e instanceof RosterError)) throw e
      rosterProblem.value = e.text
      return false
    }
  }
  const rosterText = (): string => rosterCsv(roster.value)

  /** A guest (an address the roster lacks) named: it joins the roster, its grading kept. */
  function nameGuest(k: string, name: string): void {
    const g = guests.value.find((x) => x.key === k)
    if (!g || !name.trim()) return
    guests.value = guests.value.filter((x) => x !== g)
    roster.value = [...roster.value, { key: g.key, name: name.trim(), host: g.host }]
    void save()
  }

  async function gradeServers(targets: Row[], purpose: Purpose): Promise<void> {
    const ex = exercise.value
    if (!ex) return
    const students = targets.filter((s) => s.port !== undefined)
    for (const s of students) grades.set(s.key, { state: 'queued', results: [], at: Date.now() })
    if (!students.length) return
    const r = await api.checkServers({
      exercise: ex,
      lists: lists.value,
      students: students.map((s) => ({ key: s.key, name: s.name, host: s.host, port: s.port! })),
    })
    if (!r.ok) {
      error.value = r
      for (const s of students) grades.delete(s.key)
      return
    }
    error.value = undefined
    runs.set(r.data.run, purpose)
    if (purpose.for === 'class') classRun.value = { run: r.data.run }
  }

  const checkAll = (): Promise<void> => gradeServers(roster.value, { for: 'class' })
  const checkOne = (k: string): Promise<void> =>
    gradeServers(
      roster.value.filter((r) => r.key === k),
      { for: 'class' },
    )
  const recheckFailed = (): Promise<void> => gradeServers(failedRows(roster.value, grades), { for: 'class' })

  /** A client exercise: the reference server on host:port, grading each student who connects. */
  async function listen(host: string, port: number, purpose: Purpose = { for: 'class' }): Promise<void> {
    const ex = exercise.value
    if (!ex) return
    const r = await api.checkClients({ exercise: ex, host, port })
    if (!r.ok) return void (error.value = r)
    error.value = undefined
    runs.set(r.data.run, purpose)
    const at = { run: r.data.run, port: r.data.port!, host }
    if (purpose.for === 'class') classRun.value = at
    else selfRun.value = at
  }

  async function stop(which: 'class' | 'self' = 'class'): Promise<void> {
    const at = which === 'class' ? classRun.value : selfRun.value
    if (at) await api.checkStop({ run: at.run })
  }

  /** One student's own check: their server at host:port, or their client against a reference on 127.0.0.1. */
  async function selfCheck(host: string, port: number): Promise<void> {
    const ex = exercise.value
    if (!ex) return
    grades.delete(SELF)
    if (ex.side === 'server') await gradeServers([{ key: SELF, name: SELF, host, port }], { for: 'self' })
    else if (!selfRun.value) await listen(host, port, { for: 'self' })
  }

  function onGrade(ev: GradeEvent): void {
    const purpose = runs.get(ev.id)
    if (!purpose) return
    if (ev.kind === 'grade-end') {
      runs.delete(ev.id)
      if (classRun.value?.run === ev.id) classRun.value = undefined
      if (selfRun.value?.run === ev.id) selfRun.value = undefined
      return
    }
    let k = purpose.for === 'self' ? SELF : ev.key
    if (purpose.for === 'class' && exercise.value?.side === 'client') k = rowForClient(ev.key, ev.host)
    grades.set(k, { state: ev.done ? 'done' : 'running', results: ev.results, at: Date.now() })
    if (ev.done && purpose.for === 'class') saveSoon()
  }

  /** A connection of a client run: its roster row by address, or a guest row for the address. */
  function rowForClient(conn: string, host: string): string {
    const known = matched.get(conn)
    if (known) return known
    const taken = new Set(matched.values())
    const row = matchRow(roster.value, host, taken) ?? guests.value.find((g) => g.host === host)
    const k = row?.key ?? key()
    if (!row) guests.value = [...guests.value, { key: k, name: host, host, guest: true }]
    matched.set(conn, k)
    return k
  }

  /** The results as a file: CSV in the CLI's columns, or JSON with what each check saw. */
  async function exportResults(format: 'csv' | 'json'): Promise<void> {
    const ex = exercise.value
    if (!ex) return
    const results = resultsOf(rows.value, grades)
    const now = new Date()
    // for Excel on a Chinese Windows: a BOM, else the names read as GBK; the date in the name
    const text = format === 'csv' ? resultsCsv(ex, results, { bom: true }) : resultsJson(ex, results, now)
    const stamp = localTime(now)
      .replace(/[: ]/g, (c) => (c === ' ' ? '-' : ''))
      .slice(0, 15)
    await saveText(`${ex.id}-results-${stamp}.${format}`, text)
  }
  const exportRoster = (): Promise<void> => saveText('roster.csv', rosterText())

  /** A download in the preview, the save dialog in the app. */
  async function saveText(name: string, text: string): Promise<void> {
    const r = await lab.saveFile(name, bytesToBase64(new TextEncoder().encode(text)))
    error.value = r.ok ? undefined : r
  }

  // A new exercise starts a clean sheet: the matches of the last run no longer apply.
  watch(exerciseId, () => matched.clear())

  return {
    exercises,
    exercise,
    exerciseId,
    problems,
    rosterProblem,
    error,
    lists,
    roster,
    guests,
    rows,
    grades,
    classRun,
    selfRun,
    summary,
    load,
    choose,
    openFile,
    newValues,
    setRoster,
    rosterText,
    nameGuest,
    checkAll,
    checkOne,
    recheckFailed,
    listen,
    stop,
    selfCheck,
    exportResults,
    exportRoster,
  }
})
