/**
 * The checker: grades students' programs against an exercise. A student's server is connected
 * to (16 students at a time); a student's client connects to the app, which plays the reference
 * server and grades each session. Every step is time-limited: an unreachable, refusing or silent
 * program gets a result per check, never a hang.
 */
import { createServer, type Server } from 'node:net'
import {
  resolveLists,
  type Check,
  type CheckResult,
  type Exercise,
  type Student,
  type StudentResult,
  type Text,
} from '../../../shared/exercise'
import { CLIENT_CHECKS, serveSession, type Session } from './client-checks'
import type { Outcome, ServerCtx } from './outcome'
import { TCP_CHECKS } from './server-checks'
import { UDP_CHECKS } from './udp-checks'

const SERVER_CHECKS = { ...TCP_CHECKS, ...UDP_CHECKS }

export type { CheckResult, Student, StudentResult }
export const MAX_AT_ONCE = 16

function result(c: Check, o: Outcome): CheckResult {
  return {
    check: c.id,
    ok: o.ok,
    detail: o.detail,
    hint: c.hint,
    ...(c.line ? { line: c.line } : {}),
    transcript: o.transcript,
  }
}

const failAll = (ex: Exercise, from: number, detail: Text): CheckResult[] =>
  ex.checks.slice(from).map((c) => result(c, { ok: false, detail, transcript: [] }))
/** The checks after a failed connect: not checked (their hints would be about something else). */
const notChecked = (ex: Exercise, from: number, detail: Text): CheckResult[] =>
  failAll(ex, from, detail).map((r) => ({ ...r, skipped: true }))

export interface GradeOptions {
  /** The list values to use (the Classroom panel shows them); new random ones when not given. */
  lists?: Record<string, string[]>
  /** Hears the results so far after each check. */
  progress?: (sofar: CheckResult[]) => void
}

/** Grades one student's server, check by check. If it cannot be connected to, the rest fail at once. */
export async function gradeServer(
  ex: Exercise,
  target: { host: string; port: number },
  opts: GradeOptions = {},
): Promise<CheckResult[]> {
  const lists = opts.lists ?? resolveLists(ex)
  const ctx: ServerCtx = { ...target, enc: ex.encoding, timeoutMs: ex.params.timeoutMs, lists }
  const out: CheckResult[] = []
  for (const [i, c] of ex.checks.entries()) {
    let o: Outcome
    try {
      o = await SERVER_CHECKS[c.kind as keyof typeof SERVER_CHECKS](c, ctx)
    } catch (e) {
      o = { ok: false, detail: { en: String(e), 'zh-CN': String(e) }, transcript: [] }
    }
    out.push(result(c, o))
    opts.progress?.([...out])
    if (c.kind === 'connect' && !o.ok) {
      out.push(...notChecked(ex, i + 1, { en: 'not checked: could not connect', 'zh-CN': '未检查：连不上' }))
      break
    }
  }
  return out
}

/** Runs `work` over `items`, at most `n` at a time, in order of the items' results. */
export async function pool<T, R>(items: T[], n: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length)
  let next = 0
  const lanes = Array.from({ length: Math.min(n, items.length) }, async () => {
    while (next < items.length) {
      const i = next++
      out[i] = await work(items[i]!)
    }
  })
  await Promise.all(lanes)
  return out
}

/** Grades many students' servers, at most MAX_AT_ONCE at a time; `each` hears each as it ends. */
export function gradeServers(
  ex: Exercise,
  students: (Student & { port: number })[],
  each?: (r: StudentResult) => void,
): Promise<StudentResult[]> {
  return pool(students, MAX_AT_ONCE, async (s) => {
    const r = { ...s, results: await gradeServer(ex, s) }
    each?.(r)
    return r
  })
}

/** Judges one client session. */
export function judgeSession(ex: Exercise, s: Session): CheckResult[] {
  return ex.checks.map((c) => result(c, CLIENT_CHECKS[c.kind as keyof typeof CLIENT_CHECKS](c, s)))
}

export interface ClientGrading {
  port: number
  /** Resolves when `count` clients (or every roster student) were graded, or on close(). */
  done: Promise<StudentResult[]>
  close(): Promise<void>
}

/**
 * Serves as the reference peer on host:port and grades each client that connects: named by the
 * roster (matched by address) or by its address and port. Ends after `count` sessions, or when
 * `waitMs` passes: roster students who never connected fail every check.
 */
export async function gradeClients(
  ex: Exercise,
  opts: {
    host: string
    port: number
    /** Ends after this many sessions, or after waitMs; without them, runs until close(). */
    count?: number
    waitMs?: number
    roster?: Student[]
    bodyBytes?: number
    /** Hears each client as it connects (its session is being graded). */
    started?: (s: Student, from: number) => void
  },
  each?: (r: StudentResult, from: number) => void,
): Promise<ClientGrading> {
  const results: StudentResult[] = []
  const sessions = new Set<Promise<void>>()
  const graded = new Set<string>()
  let finish!: () => void
  const ended = new Promise<void>((r) => (finish = r))
  const server: Server = createServer({ allowHalfOpen: true, noDelay: true }, (sock) => {
    const host = (sock.remoteAddress ?? '').replace(/^::ffff:/, '')
    const who = opts.roster?.find((s) => s.host === host && !graded.has(s.name))
    const student: Student = who ?? { name: `${host}:${sock.remotePort}`, host }
    graded.add(student.name)
    const from = sock.remotePort ?? 0
    opts.started?.(student, from)
    const p = serveSession(sock, ex.reference!, ex.encoding, ex.params.timeoutMs, opts.bodyBytes).then((s) => {
      const r = { ...student, results: judgeSession(ex, s) }
      results.push(r)
      each?.(r, from)
      sessions.delete(p)
      if (opts.count !== undefined && results.length >= opts.count) finish()
    })
    sessions.add(p)
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(opts.port, opts.host, () => resolve())
  })
  const timer = opts.waitMs === undefined ? undefined : setTimeout(finish, opts.waitMs)
  const done = ended.then(async () => {
    clearTimeout(timer)
    server.close()
    await Promise.all([...sessions])
    for (const s of opts.roster ?? [])
      if (!graded.has(s.name)) {
        const r = { ...s, results: failAll(ex, 0, { en: 'never connected', 'zh-CN': '没有连接' }) }
        results.push(r)
        each?.(r, 0)
      }
    return results
  })
  const addr = server.address()
  return {
    port: typeof addr === 'object' && addr ? addr.port : opts.port,
    done,
    close: async () => {
      finish()
      await done
    },
  }
}
