/**
 * The class of 30 graded across a LAN of network namespaces (test/support/lan.ts): 30 students'
 * servers on 30 hosts, `socket-lab check --roster` run in the teacher's host. Prints the wall time
 * and the checker's CPU time (user + system, from bash's `time`). Linux as root only.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createLan, follow, lanUnavailable } from '../test/support/lan'
import { SOLUTIONS } from '../test/main/engine/checker/solutions'

export async function lanCheckerBench(students: number): Promise<{ wallS: number; cpuS: number } | undefined> {
  const why = lanUnavailable()
  if (why) {
    console.log(`checker across a LAN: not measured here (${why})`)
    return undefined
  }
  const lan = createLan(students)
  const dir = mkdtempSync(join(tmpdir(), 'bench-lan-'))
  try {
    const code = SOLUTIONS.find((s) => s.exercise === 'threaded-hello' && !s.bug)!.code.replace(
      "s.bind(('127.0.0.1',",
      "s.bind(('0.0.0.0',",
    )
    const servers = lan.students.map((h) => follow(lan.python(h, code, ['9999'])))
    for (const s of servers)
      for (let i = 0; i < 250 && s.out.length === 0; i++) await new Promise((r) => setTimeout(r, 20))
    const roster = join(dir, 'roster.csv')
    writeFileSync(roster, ['name,host,port', ...lan.students.map((h) => `${h.name},${h.ip},9999`)].join('\n') + '\n')
    const cmd = `TIMEFORMAT='%R %U %S'; time ${process.execPath} --import tsx src/cli/index.ts check --exercise threaded-hello --roster ${roster} --json > /dev/null`
    const r = lan.run(lan.teacher, 'bash', ['-c', cmd], 120_000)
    const [wall, user, sys] = r.stderr.trim().split('\n').at(-1)!.split(' ').map(Number) as [number, number, number]
    console.log(
      `checker across a LAN: ${students} students' servers on ${students} hosts (network namespaces), ` +
        `socket-lab check in the teacher's host: ${wall.toFixed(2)} s wall, ${(user + sys).toFixed(2)} s CPU` +
        ` (exit ${r.status}; the CLI's start included)`,
    )
    if (r.status !== 0) process.exitCode = 1
    return { wallS: wall, cpuS: user + sys }
  } finally {
    lan.close()
    rmSync(dir, { recursive: true, force: true })
  }
}
