/**
 * `socket-lab check`: grades students' socket programs against an exercise. Exit status 0 when
 * every check of every student passed, 1 when any failed (an unreachable student is a failure),
 * 2 on bad usage or an invalid exercise.
 */
import { readFile, writeFile } from 'node:fs/promises'
import { parseArgs } from 'node:util'
import type { Writable } from 'node:stream'
import { problemText, type Text } from '../shared/exercise'
import { gradeClients, gradeServers, type StudentResult } from '../main/engine/checker/checker'
import { parseRoster, resultsCsv, RosterError } from '../shared/roster'
import { builtInExercises, loadExercise } from '../main/engine/checker/exercises'
import { CHECKER_LIMITS } from '../shared/contract'
import { int, MAX_TIMER_MS } from './flags'
import { UsageError } from './usage-error'

export const CHECK_USAGE = `Usage: socket-lab check <options>
  --list [--json]                       the built-in exercises
  --validate FILE                       what is wrong with an exercise file
  --exercise ID|FILE --target HOST:PORT  grade one student's server
  --exercise ID|FILE --roster FILE.csv   grade a class (header name,host,port)
  --exercise ID|FILE --listen [HOST:]PORT [--count N] [--wait MS]
                                        play the reference server and grade each client
  [--csv OUT.csv] [--json]
Exit status: 0 all passed, 1 any check failed, 2 bad usage or an invalid exercise.`

type Lang = 'zh-CN' | 'en'
export interface CheckIo {
  stdout: Writable
  stderr: Writable
  lang: Lang
  /** Resolves when the user interrupts (Ctrl-C): a listening grader stops and reports. */
  interrupted?: Promise<void>
}

function endpoint(v: string, what: string, needHost: boolean): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]+))?:?(\d+)$/.exec(v)
  const host = m?.[1] ?? m?.[2]
  const port = Number(m?.[3])
  if (!m || !Number.isInteger(port) || port < 0 || port > 65535 || (needHost && !host))
    throw new UsageError(
      `${what} must be ${needHost ? 'HOST:PORT' : '[HOST:]PORT'} with a port from 0 to 65535 (got "${v}")`,
    )
  return { host: host ?? '0.0.0.0', port }
}

export async function runCheck(argv: string[], io: CheckIo): Promise<number> {
  const out = (s: string): void => void io.stdout.write(s + '\n')
  const say = (x: Text): string => x[io.lang]
  try {
    const { values: o } = parseArgs({
      args: argv,
      strict: true,
      options: {
        list: { type: 'boolean', default: false },
        validate: { type: 'string' },
        exercise: { type: 'string' },
        target: { type: 'string' },
        listen: { type: 'string' },
        roster: { type: 'string' },
        count: { type: 'string' },
        wait: { type: 'string' },
        csv: { type: 'string' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    })
    if (o.help) return (out(CHECK_USAGE), 0)
    if (o.list) {
      for (const e of builtInExercises())
        out(
          o.json
            ? JSON.stringify({ event: 'exercise', id: e.id, title: say(e.title), side: e.side })
            : `${e.id.padEnd(24)} ${e.side.padEnd(7)} ${say(e.title)}`,
        )
      return 0
    }
    if (o.validate) {
      const r = await loadExercise(o.validate)
      if (!r.ok) return (io.stderr.write(r.problems.map((p) => problemText(p, io.lang)).join('\n') + '\n'), 2)
      out(
        o.json
          ? JSON.stringify({ event: 'valid', id: r.exercise.id })
          : `${o.validate}: valid (${r.exercise.id}, ${r.exercise.checks.length} checks)`,
      )
      return 0
    }
    if (!o.exercise) throw new UsageError('--exercise is needed (or --list, --validate)')
    const loaded = await loadExercise(o.exercise)
    if (!loaded.ok) return (io.stderr.write(loaded.problems.map((p) => problemText(p, io.lang)).join('\n') + '\n'), 2)
    const ex = loaded.exercise
    const roster = o.roster ? parseRoster(await readFile(o.roster, 'utf8'), o.roster) : undefined

    const report = (r: StudentResult): void => {
      for (const c of r.results) {
        if (o.json)
          out(
            JSON.stringify({
              event: 'check',
              student: r.name,
              check: c.check,
              ok: c.ok,
              ...(c.skipped ? { skipped: true } : {}),
              detail: say(c.detail),
              hint: c.ok || c.skipped ? undefined : say(c.hint),
              transcript: c.transcript,
            }),
          )
      }
      if (o.json) return
      out(`${r.name} (${r.host}${r.port !== undefined ? `:${r.port}` : ''}) — ${ex.id}`)
      for (const c of r.results) {
        out(`  ${c.ok ? '✓' : c.skipped ? '–' : '✗'} ${c.check}: ${say(c.detail)}`)
        if (!c.ok && !c.skipped)
          out(`      ${io.lang === 'zh-CN' ? '提示' : 'hint'}: ${say(c.hint)}${c.line ? `  [${c.line}]` : ''}`)
      }
    }

    let results: StudentResult[]
    if (ex.side === 'server') {
      if (o.listen) throw new UsageError(`${ex.id} is a server exercise: give --target or --roster, not --listen`)
      const students = roster
        ? roster.map((s) => {
            if (s.port === undefined)
              throw new UsageError(`${o.roster}: ${s.name} has no port (a server exercise needs one)`)
            return { ...s, port: s.port }
          })
        : o.target
          ? [{ name: o.target, ...endpoint(o.target, '--target', true) }]
          : []
      if (!students.length) throw new UsageError(`${ex.id} grades a server: give --target HOST:PORT or --roster FILE`)
      results = await gradeServers(ex, students, report)
    } else {
      if (!o.listen) throw new UsageError(`${ex.id} is a client exercise: give --listen [HOST:]PORT`)
      const at = endpoint(o.listen, '--listen', false)
      const count = int(o.count, 'count', roster?.length ?? 1, 1, CHECKER_LIMITS.maxStudents)
      const waitMs = int(o.wait, 'wait', 120_000, 1, MAX_TIMER_MS)
      const g = await gradeClients(ex, { ...at, count, waitMs, ...(roster ? { roster } : {}) }, report)
      if (o.json) out(JSON.stringify({ event: 'listening', host: at.host, port: g.port, exercise: ex.id }))
      else
        out(
          `${io.lang === 'zh-CN' ? '正在等待学生的客户端连接' : 'waiting for students’ clients on'} ${at.host}:${g.port}`,
        )
      void io.interrupted?.then(() => g.close())
      results = await g.done
    }

    const checks = results.flatMap((r) => r.results)
    const passed = checks.filter((c) => c.ok).length
    const allOk = results.length > 0 && passed === checks.length
    const at = Date.now()
    if (o.csv)
      await writeFile(
        o.csv,
        resultsCsv(
          ex,
          results.map((r) => ({ ...r, at })),
        ),
      )
    if (o.json)
      out(
        JSON.stringify({
          event: 'summary',
          exercise: ex.id,
          students: results.length,
          checks: checks.length,
          passed,
          failed: checks.length - passed,
          ok: allOk,
        }),
      )
    else
      out(
        io.lang === 'zh-CN'
          ? `共 ${results.length} 名学生，${checks.length} 项检查，通过 ${passed} 项`
          : `${results.length} student(s), ${passed} of ${checks.length} checks passed`,
      )
    return allOk ? 0 : 1
  } catch (e) {
    if (e instanceof RosterError) {
      io.stderr.write(`socket-lab check: ${e.text[io.lang]}\n`)
      return 2
    }
    if (e instanceof UsageError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.stderr.write(`socket-lab check: ${(e as Error).message}\n\n${CHECK_USAGE}\n`)
      return 2
    }
    if ((e as NodeJS.ErrnoException).code === 'EADDRINUSE' || (e as NodeJS.ErrnoException).code === 'EACCES') {
      io.stderr.write(`socket-lab check: cannot listen: ${(e as Error).message}\n`)
      return 2
    }
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      io.stderr.write(`socket-lab check: ${(e as Error).message}\n`)
      return 2
    }
    throw e
  }
}
