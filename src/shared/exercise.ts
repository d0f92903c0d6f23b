/**
 * Exercises as data: what a student writes (a server or a client), what it is checked for, and
 * the hint for each check, in both languages. One JSON file per exercise, validated here; every
 * error names the file, the field and what was expected.
 */

export type Text = { 'zh-CN': string; en: string }

/** The check kinds the checker implements (its engine has one function per kind). */
export const CHECK_KINDS = {
  server: [
    'connect',
    'greeting',
    'reply-each',
    'closes-after',
    'concurrent',
    'survives-reset',
    'next-client',
    'udp-echo',
    'udp-boundaries',
    'udp-large',
  ],
  client: [
    'client-connects',
    'client-sends-each',
    'client-sends',
    'client-closes',
    'http-request-line',
    'http-host',
    'http-header-end',
    'http-reads-to-close',
  ],
} as const
export type ServerCheckKind = (typeof CHECK_KINDS.server)[number]
export type ClientCheckKind = (typeof CHECK_KINDS.client)[number]

/** The reference peer the app plays when the student writes the client. */
export const REFERENCES = ['threaded-hello', 'http'] as const
export type Reference = (typeof REFERENCES)[number]

/**
 * A list parameter (names to send...): its values, plus `addRandom` made-up names per run so an
 * answer cannot be hard-coded.
 */
export interface ListParam {
  values: string[]
  addRandom?: number
}

export interface Check {
  id: string
  kind: ServerCheckKind | ClientCheckKind
  /** The rule's settings: `send`, `expect` ("*" is any non-empty reply), `clients`, `bytes`,
   * `withinMs`, `param` (which list parameter to walk)... each kind reads its own. */
  rule: Record<string, string | number | boolean>
  hint: Text
  /** The line of the course's code the hint is about (seed file and line), where it fits. */
  line?: string
}

export interface Exercise {
  id: string
  title: Text
  task: Text
  side: 'server' | 'client'
  transport: 'tcp' | 'udp'
  encoding: 'utf-8' | 'gbk'
  reference?: Reference
  params: { timeoutMs: number; lists: Record<string, ListParam> }
  checks: Check[]
}

export type ExerciseResult = { ok: true; exercise: Exercise } | { ok: false; errors: string[] }

type Obj = Record<string, unknown>
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v)
const ID = /^[a-z0-9][a-z0-9-]{0,63}$/

/** Validates parsed JSON as an exercise; `file` names it in the errors. */
export function validateExercise(value: unknown, file: string): ExerciseResult {
  const errors: string[] = []
  const err = (field: string, expected: string): void => void errors.push(`${file}: ${field}: expected ${expected}`)
  const str = (o: Obj, k: string, path: string, pattern?: RegExp): string => {
    const v = o[k]
    if (typeof v !== 'string' || v === '') err(path, 'a non-empty string')
    else if (pattern && !pattern.test(v)) err(path, `a string matching ${pattern}`)
    return typeof v === 'string' ? v : ''
  }
  const text = (o: Obj, k: string, path: string): Text => {
    const v = o[k]
    if (!isObj(v)) {
      err(path, 'an object with "zh-CN" and "en" texts')
      return { 'zh-CN': '', en: '' }
    }
    return { 'zh-CN': str(v, 'zh-CN', `${path}.zh-CN`), en: str(v, 'en', `${path}.en`) }
  }
  const oneOf = <T extends string>(o: Obj, k: string, path: string, allowed: readonly T[]): T => {
    const v = o[k]
    if (typeof v !== 'string' || !allowed.includes(v as T)) err(path, `one of ${allowed.join(', ')}`)
    return v as T
  }

  if (!isObj(value)) {
    err('(top)', 'an object')
    return { ok: false, errors }
  }
  const id = str(value, 'id', 'id', ID)
  const title = text(value, 'title', 'title')
  const task = text(value, 'task', 'task')
  const side = oneOf(value, 'side', 'side', ['server', 'client'] as const)
  const transport = oneOf(value, 'transport', 'transport', ['tcp', 'udp'] as const)
  const encoding = oneOf(value, 'encoding', 'encoding', ['utf-8', 'gbk'] as const)
  let reference: Reference | undefined
  if (side === 'client') reference = oneOf(value, 'reference', 'reference', REFERENCES)
  else if (value['reference'] !== undefined)
    err('reference', 'no reference: the app plays one only for client exercises')

  const params = { timeoutMs: 2000, lists: {} as Record<string, ListParam> }
  const p = value['params'] ?? {}
  if (!isObj(p)) err('params', 'an object')
  else {
    if (p['timeoutMs'] !== undefined) {
      const t = p['timeoutMs']
      if (typeof t !== 'number' || !Number.isInteger(t) || t < 100 || t > 60_000)
        err('params.timeoutMs', 'a whole number of ms from 100 to 60000')
      else params.timeoutMs = t
    }
    const lists = p['lists'] ?? {}
    if (!isObj(lists)) err('params.lists', 'an object of lists')
    else
      for (const [name, l] of Object.entries(lists)) {
        const path = `params.lists.${name}`
        if (!isObj(l) || !Array.isArray(l['values']) || !l['values'].every((x) => typeof x === 'string' && x)) {
          err(`${path}.values`, 'a list of non-empty strings')
          continue
        }
        const add = l['addRandom']
        if (add !== undefined && (typeof add !== 'number' || !Number.isInteger(add) || add < 0 || add > 10))
          err(`${path}.addRandom`, 'a whole number from 0 to 10')
        if (l['values'].length + (typeof add === 'number' ? add : 0) === 0) err(path, 'at least one value')
        params.lists[name] = { values: l['values'] as string[], ...(typeof add === 'number' ? { addRandom: add } : {}) }
      }
  }

  const checks: Check[] = []
  const raw = value['checks']
  if (!Array.isArray(raw) || raw.length === 0) err('checks', 'a non-empty list of checks')
  else
    raw.forEach((c, i) => {
      const path = `checks[${i}]`
      if (!isObj(c)) return err(path, 'an object')
      const cid = str(c, 'id', `${path}.id`, ID)
      if (checks.some((x) => x.id === cid)) err(`${path}.id`, `an id not used before ("${cid}" is)`)
      const kinds: readonly string[] = side === 'client' ? CHECK_KINDS.client : CHECK_KINDS.server
      const kind = oneOf(c, 'kind', `${path}.kind`, kinds) as Check['kind']
      const rule = c['rule'] ?? {}
      if (!isObj(rule) || !Object.values(rule).every((v) => ['string', 'number', 'boolean'].includes(typeof v)))
        err(`${path}.rule`, 'an object of strings, numbers and booleans')
      else if (typeof rule['param'] === 'string' && !params.lists[rule['param']])
        err(`${path}.rule.param`, `the name of a list in params.lists (no "${rule['param']}")`)
      const hint = text(c, 'hint', `${path}.hint`)
      const line = c['line']
      if (line !== undefined && typeof line !== 'string') err(`${path}.line`, 'a string')
      checks.push({
        id: cid,
        kind,
        rule: isObj(rule) ? (rule as Check['rule']) : {},
        hint,
        ...(line ? { line: line as string } : {}),
      })
    })
  if (errors.length) return { ok: false, errors }
  return {
    ok: true,
    exercise: { id, title, task, side, transport, encoding, ...(reference ? { reference } : {}), params, checks },
  }
}

/** Parses and validates an exercise file's text. */
export function parseExercise(json: string, file: string): ExerciseResult {
  try {
    return validateExercise(JSON.parse(json), file)
  } catch (e) {
    return { ok: false, errors: [`${file}: (file): expected JSON (${(e as Error).message})`] }
  }
}
