/**
 * The Classroom panel under a class's load, for bench:ui: 30 students' servers in Python (10
 * correct, 10 without threads, 10 that never close after "exit") checked at once from the UI,
 * the page's frames recorded meanwhile. Target: no frame over 100 ms, p95 under 50 ms.
 */
import type { Page } from 'playwright-core'
import { startPython } from '../test/support/python'
import { SOLUTIONS } from '../test/main/engine/checker/solutions'

export const CLASS_SIZE = 30

type FrameStats = { frames: number; p95: number; max: number; over100: number }

export async function classroomBench(
  page: Page,
  frames: { start(p: Page): Promise<void>; stats(p: Page): Promise<FrameStats> },
): Promise<FrameStats> {
  const kinds = ['', 'no threads: one client at a time', 'never closes after "exit"']
  const code = (bug: string): string => SOLUTIONS.find((s) => s.exercise === 'threaded-hello' && s.bug === bug)!.code
  const students = Array.from({ length: CLASS_SIZE }, (_, i) => startPython(code(kinds[i % 3]!), ['0']))
  try {
    const ports = await Promise.all(students.map((s) => s.firstLine))
    await page.getByTestId('tab-classroom').click()
    await page.getByTestId('exercise-select').selectOption('threaded-hello')
    await page.getByTestId('roster-text').fill(ports.map((p, i) => `s${i + 1},127.0.0.1,${p}`).join('\n'))
    await page.getByTestId('roster-apply').click()
    await frames.start(page)
    const t0 = Date.now()
    await page.getByTestId('check-all').click()
    const pending = page.locator('button.mark[data-mark="running"], button.mark[data-mark="queued"]')
    await page.waitForTimeout(200)
    while (Date.now() - t0 < 120_000 && (await pending.count()) > 0) await page.waitForTimeout(250)
    const secs = (Date.now() - t0) / 1000
    const s = await frames.stats(page)
    const fails = await page.locator('button.mark[data-mark="fail"]').count()
    console.log(`Classroom: ${CLASS_SIZE} students' servers checked at once from the UI (16 at a time)`)
    console.log(`  graded in ${secs.toFixed(1)} s; ${fails} failed checks (expected ${(CLASS_SIZE / 3) * 2})`)
    console.log(
      `  frames ${s.frames}: p95 ${s.p95.toFixed(1)} ms (target < 50), max ${s.max.toFixed(1)} ms, ${s.over100} over 100 ms (target: none)`,
    )
    return s
  } finally {
    for (const s of students) s.stop()
  }
}
