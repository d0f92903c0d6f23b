/**
 * `npm run bench:checker`: a class of 30 correct threaded-hello servers (Python, the course's
 * style, 30 processes) graded in one run, 16 at a time. The target: under 30 s on this machine;
 * printed as the time and its ratio to the target. Then the same class across a LAN of network
 * namespaces (bench/checker-lan.ts), graded by the CLI from the teacher's host. Exit 1 if a student
 * failed or either was slower.
 */
import { gradeServers } from '../src/main/engine/checker/checker'
import { builtInExercises } from '../src/main/engine/checker/exercises'
import { startPython } from '../test/support/python'
import { lanCheckerBench } from './checker-lan'
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
    const cpu0 = process.cpuUsage()
    const results = await gradeServers(ex, students, () => {
      const now = performance.now()
      each.push(now - last)
      last = now
    })
    const s = (performance.now() - t0) / 1000
    const cpu = process.cpuUsage(cpu0)
    const passed = results.filter((r) => r.results.every((c) => c.ok)).length
    const slowest = Math.max(0, ...each) / 1000
    console.log(
      `checker: ${passed}/${STUDENTS} students passed every check, graded in ${s.toFixed(2)} s on loopback, ` +
        `${((cpu.user + cpu.system) / 1e6).toFixed(2)} s CPU`,
    )
    console.log(
      `checker: target under ${TARGET_S} s: ratio ${(TARGET_S / s).toFixed(1)}x (slowest gap ${slowest.toFixed(2)} s)`,
    )
    if (passed !== STUDENTS || s >= TARGET_S) process.exitCode = 1
  } finally {
    for (const p of servers) p.stop()
  }
  const lan = await lanCheckerBench(STUDENTS)
  if (lan) {
    console.log(`checker across a LAN: target under ${TARGET_S} s: ratio ${(TARGET_S / lan.wallS).toFixed(1)}x`)
    if (lan.wallS >= TARGET_S) process.exitCode = 1
  }
}

void main()
