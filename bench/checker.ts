/**
 * `npm run bench:checker`: a class of 30 correct threaded-hello servers (Python, the course's
 * style, 30 processes) graded in one run, 16 at a time. The target: under 30 s on this machine;
 * printed as the time and its ratio to the target. Exit 1 if a student failed or it was slower.
 */
import { gradeServers } from '../src/main/engine/checker/checker'
import { builtInExercises } from '../src/main/engine/checker/exercises'
import { startPython } from '../test/support/python'
import { SOLUTIONS } from '../test/main/engine/checker/solutions'

const STUDENTS = 30
const TARGET_S = 30

async function main(): Promise<void> {
  const ex = builtInExercises().find((e) => e.id === 'threaded-hello')!
  const code = SOLUTIONS.find((s) => s.exercise === 'threaded-hello' && !s.bug)!.code
  const servers = Array.from({ length: STUDENTS }, () => startPython(code, ['0']))
  try {
    const ports = await Promise.all(servers.map(async (s) => Number(await s.firstLine)))
    const students = ports.map((port, i) => ({ name: `s${i + 1}`, host: '127.0.0.1', port }))
    const each: number[] = []
    let last = performance.now()
    const t0 = performance.now()
    const results = await gradeServers(ex, students, () => {
      const now = performance.now()
      each.push(now - last)
      last = now
    })
    const s = (performance.now() - t0) / 1000
    const passed = results.filter((r) => r.results.every((c) => c.ok)).length
    const slowest = Math.max(0, ...each) / 1000
    console.log(`checker: ${passed}/${STUDENTS} students passed every check, graded in ${s.toFixed(2)} s`)
    console.log(
      `checker: target under ${TARGET_S} s: ratio ${(TARGET_S / s).toFixed(1)}x (slowest gap ${slowest.toFixed(2)} s)`,
    )
    if (passed !== STUDENTS || s >= TARGET_S) process.exitCode = 1
  } finally {
    for (const p of servers) p.stop()
  }
}

void main()
