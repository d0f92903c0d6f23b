/**
 * A class list and its results as CSV, one format for the CLI (`--roster`, `--csv`) and the
 * Classroom panel (import, export): a header `name,host,port`, one student a line; results add
 * one column per check (pass / fail / empty when not run) and the count passed.
 */
import type { Exercise, Student, StudentResult, Text } from './exercise'

/** A roster line that cannot be read: the file, the line, what is wrong, in both languages. */
export class RosterError extends Error {
  constructor(readonly text: Text) {
    super(text.en)
  }
}

const cell = (s: string): string => (/[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s)

/** One CSV line's cells (quoted cells may hold commas and doubled quotes). */
function cells(line: string): string[] {
  const out: string[] = []
  let cur = ''
  let quoted = false
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!
    if (quoted && ch === '"' && line[i + 1] === '"') {
      cur += '"'
      i++
    } else if (ch === '"') quoted = !quoted
    else if (ch === ',' && !quoted) {
      out.push(cur.trim())
      cur = ''
    } else cur += ch
  }
  out.push(cur.trim())
  return out
}

/** Reads a roster; `file` names it in the errors. A port may be empty (client exercises). */
export function parseRoster(text: string, file: string): Student[] {
  const rows = text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .filter((l) => l.trim())
  const head = cells(rows.shift() ?? '').map((h) => h.toLowerCase())
  if (head.slice(0, 3).join(',') !== 'name,host,port')
    throw new RosterError({
      en: `${file}: the first line must be name,host,port`,
      'zh-CN': `${file}：第一行必须是 name,host,port`,
    })
  return rows.map((l, i) => {
    const [name = '', host = '', port = ''] = cells(l)
    const at = i + 2
    if (!name || !host)
      throw new RosterError({
        en: `${file}: line ${at}: a name and a host are needed`,
        'zh-CN': `${file}：第 ${at} 行：需要姓名和主机`,
      })
    if (port && (!/^\d+$/.test(port) || Number(port) < 1 || Number(port) > 65535))
      throw new RosterError({
        en: `${file}: line ${at}: port "${port}" is not a number from 1 to 65535`,
        'zh-CN': `${file}：第 ${at} 行：端口 "${port}" 不是 1 到 65535 的整数`,
      })
    return port ? { name, host, port: Number(port) } : { name, host }
  })
}

/** The roster as CSV (what parseRoster reads back). */
export function rosterCsv(students: Student[]): string {
  const rows = students.map((s) => [s.name, s.host, s.port === undefined ? '' : String(s.port)])
  return [['name', 'host', 'port'], ...rows].map((r) => r.map(cell).join(',')).join('\n') + '\n'
}

/** A time as a spreadsheet reads it: local `YYYY-MM-DD HH:MM:SS`. */
export function localTime(d: Date): string {
  const p = (n: number): string => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`
}

/**
 * The results as CSV: the roster's columns, one per check (pass / fail / not checked / blank),
 * how many passed, out of how many (`max`), and when each student was checked (`checked_at`,
 * local time). `bom`: a UTF-8 byte order mark first, without which Excel on a Chinese Windows
 * reads the names as GBK (mojibake).
 */
export function resultsCsv(
  ex: Exercise,
  results: (StudentResult & { at?: number })[],
  opts: { bom?: boolean } = {},
): string {
  const head = ['name', 'host', 'port', ...ex.checks.map((c) => c.id), 'passed', 'max', 'checked_at']
  const rows = results.map((r) => {
    const mark = (id: string): string => {
      const x = r.results.find((c) => c.check === id)
      return x ? (x.ok ? 'pass' : x.skipped ? 'not checked' : 'fail') : ''
    }
    return [
      r.name,
      r.host,
      r.port === undefined ? '' : String(r.port),
      ...ex.checks.map((c) => mark(c.id)),
      String(r.results.filter((x) => x.ok).length),
      String(ex.checks.length),
      r.at !== undefined && r.results.length ? localTime(new Date(r.at)) : '',
    ]
  })
  return (opts.bom ? '\uFEFF' : '') + [head, ...rows].map((r) => r.map(cell).join(',')).join('\n') + '\n'
}

/** The results as JSON: the exercise, when, and each student's checks with what they saw. */
export function resultsJson(ex: Exercise, results: StudentResult[], at: Date): string {
  return (
    JSON.stringify(
      {
        exercise: ex.id,
        title: ex.title,
        at: at.toISOString(),
        students: results.map((r) => ({ ...r, passed: r.results.filter((x) => x.ok).length })),
      },
      null,
      2,
    ) + '\n'
  )
}
