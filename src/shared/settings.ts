/**
 * The settings that persist between runs: language, theme, the last host and port of each demo,
 * and the event log's size. Read through `parseSettings`, which never throws: each field that is
 * missing or wrong falls back to its default, and the caller learns what was wrong.
 */
import { validateExercise, type Exercise, type Student, type StudentResult } from './exercise'
import { isIPv4, isIPv6 } from './ip'
import { parseRules } from './rules'

export const SETTINGS_VERSION = 1
export type Theme = 'system' | 'light' | 'dark'
export type Demo = 'chat' | 'udp' | 'backlog'
export interface Recent {
  host: string
  port: number
}
export interface Settings {
  version: typeof SETTINGS_VERSION
  /** null: follow the system language. */
  locale: 'zh-CN' | 'en' | null
  theme: Theme
  logCapacity: number
  /** How large the whole page is drawn (a projector in the back of the room wants 1.4). */
  scale: number
  /** The event log folded to a one-line ticker, so the demo has the screen. */
  logFolded: boolean
  recent: Record<Demo, Recent>
  /** The chat server's rules that answer (`MATCH=>REPLY`, src/shared/rules.ts). */
  rules: string[]
  /** The Classroom panel's last exercise (a built-in id, or the teacher's own, kept whole) and roster. */
  classroom: Classroom
}
export interface Classroom {
  exercise: string
  custom?: Exercise
  roster: Student[]
  /**
   * Each exercise's graded students (by exercise id), kept across a switch of exercise, an edited
   * roster and a reload: a class's marks are never lost to a click or a crash.
   */
  results?: Record<string, SavedResult[]>
}
/** One student's finished grading of one exercise. */
export interface SavedResult extends StudentResult {
  /** When it was graded (ms since the epoch). */
  at: number
  /** Connected from an address the roster does not list (a client exercise). */
  guest?: boolean
}
export const MAX_ROSTER = 200
/** How many exercises' results are kept (the oldest graded ones go first). */
export const MAX_SAVED_EXERCISES = 20

/** The page's scale: steps of A-/A+ and the projector's preset. */
export const SCALE = { min: 0.8, max: 2, step: 0.1, projector: 1.4 } as const

/** A change from the page: any of the fields, `recent` per demo. */
export type SettingsPatch = Partial<Omit<Settings, 'version' | 'recent'>> & { recent?: Partial<Record<Demo, Recent>> }

export const DEFAULT_SETTINGS: Settings = {
  version: SETTINGS_VERSION,
  locale: null,
  theme: 'system',
  logCapacity: 10_000,
  scale: 1,
  logFolded: false,
  recent: {
    chat: { host: '127.0.0.1', port: 8001 },
    udp: { host: '127.0.0.1', port: 0 },
    backlog: { host: '127.0.0.1', port: 8002 },
  },
  classroom: { exercise: 'threaded-hello', roster: [] },
  rules: [],
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)
const isHost = (v: unknown): v is string =>
  typeof v === 'string' && v.length <= 253 && (isIPv4(v) || isIPv6(v) || /^[a-z0-9.-]+$/i.test(v))
const isPort = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 65535

const isStudent = (v: unknown): boolean =>
  isObject(v) &&
  typeof v.name === 'string' &&
  v.name.length > 0 &&
  v.name.length <= 200 &&
  isHost(v.host) &&
  (v.port === undefined || (isPort(v.port) && v.port > 0))
const EXERCISE_ID = /^[a-z0-9][a-z0-9-]{0,63}$/
const isString = (v: unknown, max: number): boolean => typeof v === 'string' && v.length <= max
const isText = (v: unknown): boolean => isObject(v) && isString(v.en, 4000) && isString(v['zh-CN'], 4000)
const isCheckResult = (v: unknown): boolean =>
  isObject(v) &&
  isString(v.check, 64) &&
  typeof v.ok === 'boolean' &&
  isText(v.detail) &&
  isText(v.hint) &&
  (v.line === undefined || isString(v.line, 1000)) &&
  (v.skipped === undefined || v.skipped === true) &&
  Array.isArray(v.transcript) &&
  v.transcript.length <= 200 &&
  v.transcript.every((l) => isObject(l) && (l.dir === '→' || l.dir === '←' || l.dir === '·') && isString(l.text, 4000))
const isSavedResult = (v: unknown): boolean =>
  isStudent(v) &&
  isObject(v) &&
  Number.isFinite(v.at) &&
  (v.guest === undefined || typeof v.guest === 'boolean') &&
  Array.isArray(v.results) &&
  v.results.length <= 32 &&
  v.results.every(isCheckResult)
const isResults = (v: unknown): boolean =>
  isObject(v) &&
  Object.keys(v).length <= MAX_SAVED_EXERCISES &&
  Object.entries(v).every(
    ([id, list]) =>
      EXERCISE_ID.test(id) && Array.isArray(list) && list.length <= 2 * MAX_ROSTER && list.every(isSavedResult),
  )
const isClassroom = (v: unknown): boolean =>
  isObject(v) &&
  typeof v.exercise === 'string' &&
  EXERCISE_ID.test(v.exercise) &&
  (v.custom === undefined || validateExercise(v.custom, 'custom').ok) &&
  Array.isArray(v.roster) &&
  v.roster.length <= MAX_ROSTER &&
  v.roster.every(isStudent) &&
  (v.results === undefined || isResults(v.results))

export interface Parsed {
  settings: Settings
  /** Fields that were present but wrong (they were replaced by defaults). */
  rejected: string[]
}

export function parseSettings(raw: unknown): Parsed {
  const s = structuredClone(DEFAULT_SETTINGS)
  const rejected: string[] = []
  if (!isObject(raw)) return { settings: s, rejected: ['(not an object)'] }
  if (raw.version !== SETTINGS_VERSION) rejected.push('version')
  const take = <K extends keyof Settings>(key: K, ok: (v: unknown) => boolean): void => {
    if (!(key in raw)) return
    if (ok(raw[key])) s[key] = raw[key] as Settings[K]
    else rejected.push(key)
  }
  take('locale', (v) => v === null || v === 'zh-CN' || v === 'en')
  take('theme', (v) => v === 'system' || v === 'light' || v === 'dark')
  take('logCapacity', (v) => Number.isInteger(v) && (v as number) >= 100 && (v as number) <= 1_000_000)
  take('scale', (v) => typeof v === 'number' && v >= SCALE.min && v <= SCALE.max)
  take('logFolded', (v) => typeof v === 'boolean')
  take('classroom', isClassroom)
  take(
    'rules',
    (v) =>
      Array.isArray(v) &&
      v.every((x) => typeof x === 'string' && x.length <= 500) &&
      'rules' in parseRules(v as string[]),
  )
  if ('recent' in raw) {
    const r = raw.recent
    if (!isObject(r)) rejected.push('recent')
    else
      for (const demo of Object.keys(s.recent) as Demo[]) {
        const v = r[demo]
        if (v === undefined) continue
        if (isObject(v) && isHost(v.host) && isPort(v.port)) s.recent[demo] = { host: v.host, port: v.port }
        else rejected.push(`recent.${demo}`)
      }
  }
  return { settings: s, rejected }
}

/** A change from the page: only known fields, each checked the same way. */
export function mergeSettings(current: Settings, patch: unknown): Parsed {
  if (!isObject(patch)) return { settings: current, rejected: ['(not an object)'] }
  const merged = {
    ...current,
    ...patch,
    version: SETTINGS_VERSION,
    recent: { ...current.recent, ...(isObject(patch.recent) ? patch.recent : {}) },
  }
  return parseSettings(merged)
}
