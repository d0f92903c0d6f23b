/**
 * The settings that persist between runs: language, theme, the last host and port of each demo,
 * and the event log's size. Read through `parseSettings`, which never throws: each field that is
 * missing or wrong falls back to its default, and the caller learns what was wrong.
 */
import { validateExercise, type Exercise, type Student } from './exercise'
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
}
export const MAX_ROSTER = 200

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
const isClassroom = (v: unknown): boolean =>
  isObject(v) &&
  typeof v.exercise === 'string' &&
  /^[a-z0-9][a-z0-9-]{0,63}$/.test(v.exercise) &&
  (v.custom === undefined || validateExercise(v.custom, 'custom').ok) &&
  Array.isArray(v.roster) &&
  v.roster.length <= MAX_ROSTER &&
  v.roster.every(isStudent)

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
