/**
 * A class's marks kept per exercise (saved with the settings): the shown exercise's gradings
 * turned into what is saved, and back into gradings for a roster, matched by who the students
 * are (name, address, port), never by row keys, which change with every roster.
 */
import type { Student } from '../../../shared/exercise'
import { MAX_SAVED_EXERCISES, type SavedResult } from '../../../shared/settings'
import type { Grading, Row } from './grades'

export type Saved = Record<string, SavedResult[]>

/** A student as the marks know them. */
export const identity = (s: Pick<Student, 'name' | 'host' | 'port'>): string => `${s.name}\n${s.host}\n${s.port ?? ''}`

/** `saved` with exercise `id`'s entry replaced by the rows' gradings (a student being graded keeps
 * what has come); the most recently graded exercises kept when there are too many. */
export function withCurrent(
  saved: Saved,
  id: string,
  rows: readonly Row[],
  grades: ReadonlyMap<string, Grading>,
): Saved {
  const list: SavedResult[] = []
  for (const r of rows) {
    const g = grades.get(r.key)
    if (!g?.results.length) continue
    list.push({
      name: r.name,
      host: r.host,
      ...(r.port !== undefined ? { port: r.port } : {}),
      ...(r.guest ? { guest: true } : {}),
      at: g.at,
      results: g.results,
    })
  }
  const newest = (l: SavedResult[]): number => Math.max(0, ...l.map((x) => x.at))
  const rest = Object.entries(saved)
    .filter(([k]) => k !== id)
    .sort(([, a], [, b]) => newest(b) - newest(a))
  return Object.fromEntries([...(list.length ? [[id, list] as const] : []), ...rest].slice(0, MAX_SAVED_EXERCISES))
}

/** The gradings of exercise `id` for `roster`, and the guest rows a client exercise had. */
export function gradingsOf(
  saved: Saved,
  id: string,
  roster: readonly Row[],
  key: () => string,
): { grades: Map<string, Grading>; guests: Row[] } {
  const grades = new Map<string, Grading>()
  const guests: Row[] = []
  const byIdentity = new Map(roster.map((r) => [identity(r), r]))
  for (const s of saved[id] ?? []) {
    let row = byIdentity.get(identity(s))
    if (!row && s.guest) {
      row = { key: key(), name: s.name, host: s.host, guest: true }
      guests.push(row)
    }
    if (row) grades.set(row.key, { state: 'done', results: s.results, at: s.at })
  }
  return { grades, guests }
}
