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
  /** What the list is, for the page ("名字" / "names"); its key otherwise. */
  label?: Text
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
  /** The check's name for a column header ("欢迎消息" / "welcome"); its id otherwise. */
  title?: Text
}

export interface Exercise {
  id: string
  title: Text
  task: Text
  side: 'server' | 'client'
  transport: 'tcp' | 'udp'
  encoding: 'utf-8' | 'gbk'
  reference?: Reference
  /** The port the task names (a student's server listens on it; the reference server too). */
  port?: number
  /** The course's code to start from, line by line, with the part to write left out: one list
   * for both languages, or one per language (its comments in that language). */
  skeleton?: string[] | { 'zh-CN': string[]; en: string[] }
  params: { timeoutMs: number; lists: Record<string, ListParam> }
  checks: Check[]
}

/** One thing wrong with an exercise file: where, and what was expected, in both languages. */
export interface ExerciseProblem {
  file: string
  field: string
  expected: Text
}
export type ExerciseResult =
  { ok: true; exercise: Exercise } | { ok: false; errors: string[]; problems: ExerciseProblem[] }

/** A problem as one line of text: `FILE: field: expected …` (en) or `FILE：field：应为…` (zh-CN). */
export function problemText(p: ExerciseProblem, lang: keyof Text): string {
  return lang === 'en'
    ? `${p.file}: ${p.field}: expected ${p.expected.en}`
    : `${p.file}：${p.field}：应为${p.expected['zh-CN']}`
}

// --- the checker's results, shared by the engine, the CLI and the Classroom panel ----------------

export interface Line {
  /** '→' what the checker sent, '←' what it received, '·' what happened. */
  dir: '→' | '←' | '·'
  text: string
}
export interface CheckResult {
  check: string
  ok: boolean
  detail: Text
  hint: Text
  line?: string
  /** What was sent and received, for the detail view. */
  transcript: Line[]
  /** Not checked: an earlier check (connecting) failed, so this one could not run. Counted as
   * not passed, shown as "not checked" without this check's hint. */
  skipped?: true
}
export interface Student {
  name: string
  host: string
  port?: number
}
export interface StudentResult extends Student {
  results: CheckResult[]
}

/** The exercise's lists for one run: its values and the made-up names it asks for. */
export function resolveLists(ex: Exercise, random = Math.random): Record<string, string[]> {
  const made = (): string => {
    const letters = 'abcdefghijklmnopqrstuvwxyz'
    const pick = (): string => letters[Math.floor(random() * letters.length)]!
    return `${pick().toUpperCase()}${pick()}${pick()}${Math.floor(random() * 900 + 100)}`
  }
  return Object.fromEntries(
    Object.entries(ex.params.lists).map(([k, l]) => [
      k,
      [...l.values, ...Array.from({ length: l.addRandom ?? 0 }, made)],
    ]),
  )
}

type Obj = Record<string, unknown>
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v)
const ID = /^[a-z0-9][a-z0-9-]{0,63}$/

/** Validates parsed JSON as an exercise; `file` names it in the errors. */
export function validateExercise(value: unknown, file: string): ExerciseResult {
  const problems: ExerciseProblem[] = []
  const err = (field: string, en: string, zh: string): void =>
    void problems.push({ file, field, expected: { en, 'zh-CN': zh } })
  const failed = (): ExerciseResult => ({ ok: false, problems, errors: problems.map((p) => problemText(p, 'en')) })
  const str = (o: Obj, k: string, path: string, pattern?: RegExp): string => {
    const v = o[k]
    if (typeof v !== 'string' || v === '') err(path, 'a non-empty string', '非空字符串')
    else if (pattern && !pattern.test(v)) err(path, `a string matching ${pattern}`, `符合 ${pattern} 的字符串`)
    return typeof v === 'string' ? v : ''
  }
  const text = (o: Obj, k: string, path: string): Text => {
    const v = o[k]
    if (!isObj(v)) {
      err(path, 'an object with "zh-CN" and "en" texts', '含 "zh-CN" 和 "en" 两种文字的对象')
      return { 'zh-CN': '', en: '' }
    }
    return { 'zh-CN': str(v, 'zh-CN', `${path}.zh-CN`), en: str(v, 'en', `${path}.en`) }
  }
  const oneOf = <T extends string>(o: Obj, k: string, path: string, allowed: readonly T[]): T => {
    const v = o[k]
    if (typeof v !== 'string' || !allowed.includes(v as T))
      err(path, `one of ${allowed.join(', ')}`, `以下之一：${allowed.join('、')}`)
    return v as T
  }

  if (!isObj(value)) {
    err('(top)', 'an object', '一个对象')
    return failed()
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
    err(
      'reference',
      'no reference: the app plays one only for client exercises',
      '没有 reference：只有客户端练习才由本应用扮演参考服务器',
    )
  const port = value['port']
  if (port !== undefined && (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535))
    err('port', 'a whole number from 1 to 65535', '1 到 65535 的整数')
  const skeleton = value['skeleton']
  const lines = (v: unknown): v is string[] => Array.isArray(v) && v.every((l) => typeof l === 'string')
  const skeletonOk =
    skeleton === undefined || lines(skeleton) || (isObj(skeleton) && lines(skeleton['zh-CN']) && lines(skeleton['en']))
  if (!skeletonOk)
    err(
      'skeleton',
      'a list of strings (the lines of code), or one such list under "zh-CN" and one under "en"',
      '字符串列表（代码的各行），或者 "zh-CN" 和 "en" 下各一个这样的列表',
    )

  const params = { timeoutMs: 2000, lists: {} as Record<string, ListParam> }
  const p = value['params'] ?? {}
  if (!isObj(p)) err('params', 'an object', '一个对象')
  else {
    if (p['timeoutMs'] !== undefined) {
      const t = p['timeoutMs']
      if (typeof t !== 'number' || !Number.isInteger(t) || t < 100 || t > 60_000)
        err('params.timeoutMs', 'a whole number of ms from 100 to 60000', '100 到 60000 之间的整数（毫秒）')
      else params.timeoutMs = t
    }
    const lists = p['lists'] ?? {}
    if (!isObj(lists)) err('params.lists', 'an object of lists', '由列表组成的对象')
    else
      for (const [name, l] of Object.entries(lists)) {
        const path = `params.lists.${name}`
        if (!isObj(l) || !Array.isArray(l['values']) || !l['values'].every((x) => typeof x === 'string' && x)) {
          err(`${path}.values`, 'a list of non-empty strings', '非空字符串的列表')
          continue
        }
        const add = l['addRandom']
        if (add !== undefined && (typeof add !== 'number' || !Number.isInteger(add) || add < 0 || add > 10))
          err(`${path}.addRandom`, 'a whole number from 0 to 10', '0 到 10 的整数')
        if (l['values'].length + (typeof add === 'number' ? add : 0) === 0)
          err(path, 'at least one value', '至少一个值')
        const label = l['label'] === undefined ? undefined : text(l, 'label', `${path}.label`)
        params.lists[name] = {
          values: l['values'] as string[],
          ...(typeof add === 'number' ? { addRandom: add } : {}),
          ...(label ? { label } : {}),
        }
      }
  }

  const checks: Check[] = []
  const raw = value['checks']
  if (!Array.isArray(raw) || raw.length === 0) err('checks', 'a non-empty list of checks', '非空的检查列表')
  else
    raw.forEach((c, i) => {
      const path = `checks[${i}]`
      if (!isObj(c)) return err(path, 'an object', '一个对象')
      const cid = str(c, 'id', `${path}.id`, ID)
      if (checks.some((x) => x.id === cid))
        err(`${path}.id`, `an id not used before ("${cid}" is)`, `未用过的 id（"${cid}" 已用过）`)
      const kinds: readonly string[] = side === 'client' ? CHECK_KINDS.client : CHECK_KINDS.server
      const kind = oneOf(c, 'kind', `${path}.kind`, kinds) as Check['kind']
      const rule = c['rule'] ?? {}
      if (!isObj(rule) || !Object.values(rule).every((v) => ['string', 'number', 'boolean'].includes(typeof v)))
        err(`${path}.rule`, 'an object of strings, numbers and booleans', '由字符串、数字和布尔值组成的对象')
      else if (typeof rule['param'] === 'string' && !params.lists[rule['param']])
        err(
          `${path}.rule.param`,
          `the name of a list in params.lists (no "${rule['param']}")`,
          `params.lists 中某个列表的名字（没有 "${rule['param']}"）`,
        )
      const hint = text(c, 'hint', `${path}.hint`)
      const line = c['line']
      if (line !== undefined && typeof line !== 'string') err(`${path}.line`, 'a string', '字符串')
      const ctitle = c['title'] === undefined ? undefined : text(c, 'title', `${path}.title`)
      checks.push({
        id: cid,
        kind,
        rule: isObj(rule) ? (rule as Check['rule']) : {},
        hint,
        ...(line ? { line: line as string } : {}),
        ...(ctitle ? { title: ctitle } : {}),
      })
    })
  if (problems.length) return failed()
  return {
    ok: true,
    exercise: {
      id,
      title,
      task,
      side,
      transport,
      encoding,
      ...(reference ? { reference } : {}),
      ...(typeof port === 'number' ? { port } : {}),
      ...(skeleton !== undefined ? { skeleton: skeleton as NonNullable<Exercise['skeleton']> } : {}),
      params,
      checks,
    },
  }
}

/** Parses and validates an exercise file's text. */
export function parseExercise(json: string, file: string): ExerciseResult {
  try {
    return validateExercise(JSON.parse(json), file)
  } catch (e) {
    const m = (e as Error).message
    const problems = [{ file, field: '(file)', expected: { en: `JSON (${m})`, 'zh-CN': `JSON 格式（${m}）` } }]
    return { ok: false, problems, errors: problems.map((p) => problemText(p, 'en')) }
  }
}
