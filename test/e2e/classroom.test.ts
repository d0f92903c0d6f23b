/**
 * The Classroom panel in Chromium over the preview bridge, against real students' programs in
 * Python: three servers (a good one, one without threads, one that never closes after "exit")
 * graded from the roster, the marks shown and downloaded as CSV; then a client exercise in which
 * two Python clients connect to the reference server and are graded as they come.
 */
import { readFile } from 'node:fs/promises'
import type { Page } from 'playwright-core'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { violations } from '../support/axe'
import { findChromium } from '../support/browser'
import { usePreviewPage } from '../support/preview-page'
import { startPython } from '../support/python'
import { SOLUTIONS } from '../main/engine/checker/solutions'

const chromiumPath = findChromium()
if (!chromiumPath && process.env['CI']) throw new Error('CI must install Chromium (apt-get install chromium)')

const solution = (exercise: string, bug: string): string =>
  SOLUTIONS.find((s) => s.exercise === exercise && s.bug === bug)!.code

describe.skipIf(!chromiumPath)('the Classroom panel', () => {
  const session = usePreviewPage(chromiumPath!, { viewport: { width: 1366, height: 768 }, acceptDownloads: true })
  let page: Page
  const stops: (() => void)[] = []
  beforeEach(async () => {
    page = session.page
    await page.getByTestId('tab-classroom').click()
  })
  afterEach(() => {
    for (const s of stops.splice(0)) s()
  })

  async function student(code: string, args: string[] = ['0']): Promise<number> {
    const py = startPython(code, args)
    stops.push(py.stop)
    return Number(await py.firstLine)
  }
  const marks = (name: string) =>
    page
      .locator(`tr[data-student="${name}"] button.mark`)
      .evaluateAll((bs) =>
        Object.fromEntries(bs.map((b) => [b.getAttribute('data-check'), b.getAttribute('data-mark')])),
      )

  it('grades three students’ servers from the roster, shows each mark and its evidence, and downloads the CSV', async () => {
    const good = await student(solution('threaded-hello', ''))
    const serial = await student(solution('threaded-hello', 'no threads: one client at a time'))
    const open = await student(solution('threaded-hello', 'never closes after "exit"'))
    await page.getByTestId('exercise-select').selectOption('threaded-hello')
    await page
      .getByTestId('roster-text')
      .fill(`Ann,127.0.0.1,${good}\nBo,127.0.0.1,${serial}\n"Li, Wei",127.0.0.1,${open}`)
    await page.getByTestId('roster-apply').click()
    await expect.poll(() => page.locator('tr[data-student]').count()).toBe(3)
    await page.getByTestId('check-all').click()
    // every cell gets its verdict (queued and running meanwhile)
    await expect
      .poll(() => page.locator('button.mark[data-mark="pass"], button.mark[data-mark="fail"]').count(), {
        timeout: 30_000,
      })
      .toBe(18)
    const all = {
      connect: 'pass',
      welcome: 'pass',
      hello: 'pass',
      'exit-closes': 'pass',
      concurrent: 'pass',
      'survives-reset': 'pass',
    }
    expect(await marks('Ann')).toEqual(all)
    expect(await marks('Bo')).toEqual({ ...all, concurrent: 'fail' })
    expect(await marks('Li, Wei')).toEqual({ ...all, 'exit-closes': 'fail' })
    await expect.poll(() => page.getByTestId('grade-progress').textContent()).toContain('3 of 3 graded')
    // a failed cell opens what was sent and received, and the hint
    await page.locator('tr[data-student="Bo"] button[data-check="concurrent"]').click()
    const detail = page.getByTestId('grade-detail')
    await expect.poll(() => detail.getByTestId('detail-verdict').textContent()).toContain('fail')
    expect(await detail.getByTestId('detail-hint').textContent()).toContain('threading.Thread')
    expect(await detail.getByTestId('detail-transcript').locator('li').count()).toBeGreaterThan(0)
    // the marked table and the open evidence: no WCAG 2.1 A/AA violation
    expect(await violations(page)).toEqual([])
    // the CSV download holds the same marks, in the CLI's columns
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()])
    expect(download.suggestedFilename()).toMatch(/^threaded-hello-results-\d{4}-\d\d-\d\d-\d{4}\.csv$/)
    const file = await readFile((await download.path())!, 'utf8')
    expect(file.startsWith('\uFEFF')).toBe(true) // Excel on a Chinese Windows reads UTF-8 by it
    const when = /,\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/
    const csv = file.slice(1).trim().split('\n')
    expect(csv.slice(1).every((r) => when.test(r))).toBe(true)
    expect(csv.map((r) => r.replace(when, ','))).toEqual([
      'name,host,port,connect,welcome,hello,exit-closes,concurrent,survives-reset,passed,max,checked_at',
      `Ann,127.0.0.1,${good},pass,pass,pass,pass,pass,pass,6,6,`,
      `Bo,127.0.0.1,${serial},pass,pass,pass,pass,fail,pass,5,6,`,
      `"Li, Wei",127.0.0.1,${open},pass,pass,pass,fail,pass,pass,5,6,`,
    ])
    // the roster and the marks were remembered with the settings: a reload loses no mark
    await page.reload()
    await page.locator('.app[data-ready="true"]').waitFor()
    await page.getByTestId('tab-classroom').click()
    await expect.poll(() => page.locator('tr[data-student]').count()).toBe(3)
    await expect.poll(() => marks('Bo')).toEqual({ ...all, concurrent: 'fail' })
    // another exercise and back: the marks are still there
    await page.getByTestId('exercise-select').selectOption('threaded-hello-client')
    await page.getByTestId('exercise-select').selectOption('threaded-hello')
    expect(await marks('Ann')).toEqual(all)
    expect(await marks('Li, Wei')).toEqual({ ...all, 'exit-closes': 'fail' })
    // a roster without a graded student asks first; declined, nothing changes
    const asked: string[] = []
    page.once('dialog', (d) => {
      asked.push(d.message())
      void d.dismiss()
    })
    await page.getByTestId('roster-text').fill(`Ann,127.0.0.1,${good}`)
    await page.getByTestId('roster-apply').click()
    await expect.poll(() => asked).toHaveLength(1)
    expect(asked[0]).toContain('Bo')
    expect(await page.locator('tr[data-student]').count()).toBe(3)
    expect(await marks('Bo')).toEqual({ ...all, concurrent: 'fail' })
  }, 60_000)

  it('60 students fit the width of a 1366×768 screen: no sideways scrolling', async () => {
    const lines = Array.from({ length: 60 }, (_, i) => `学生${i + 1},192.0.2.${i + 1},9999`)
    await page.getByTestId('roster-text').fill(lines.join('\n'))
    await page.getByTestId('roster-apply').click()
    await expect.poll(() => page.locator('tr[data-student]').count()).toBe(60)
    const widths = await page.getByTestId('panel-host').evaluate((el) => ({
      scroll: el.scrollWidth,
      client: el.clientWidth,
      table: el.querySelector('table')!.getBoundingClientRect().right,
    }))
    expect(widths.scroll).toBeLessThanOrEqual(widths.client)
    expect(widths.table).toBeLessThanOrEqual(1366)
  })

  it('a client exercise: two Python clients connect to the reference server and are graded as they come', async () => {
    await page.getByTestId('exercise-select').selectOption('threaded-hello-client')
    // Cy's machine never connects (a documentation address: nothing is sent to it)
    await page.getByTestId('roster-text').fill('Cy,192.0.2.7,')
    await page.getByTestId('roster-apply').click()
    await page.getByTestId('bind-host').selectOption('127.0.0.1')
    await page.getByTestId('reference-port').fill('0')
    await page.getByTestId('reference-toggle').click()
    const at = (await page.getByTestId('reference-at').textContent())!
    const port = /:(\d+)/.exec(at)![1]!
    // the exercise card announces the port the reference server really listens on
    expect(await page.getByTestId('exercise-port').textContent()).toContain(
      `listening on port ${port}, not the task’s 9999`,
    )
    const client = (fails?: string): string =>
      SOLUTIONS.find((s) => s.exercise === 'threaded-hello-client' && s.fails === fails)!.code
    const all = { connect: 'pass', 'sends-names': 'pass', 'sends-exit': 'pass', closes: 'pass' }
    // an address the roster lacks is a guest, graded all the same, and can be named
    void student(client(), [port]).catch(() => undefined)
    await expect.poll(() => page.locator('tr.guest').count(), { timeout: 15_000 }).toBe(1)
    await expect.poll(() => page.locator('tr.guest button.mark[data-mark="pass"]').count(), { timeout: 15_000 }).toBe(4)
    await page.getByTestId('guest-name').fill('Ann')
    await page.getByTestId('guest-name').press('Enter')
    expect(await marks('Ann')).toEqual(all)
    // Ann runs another client from her address: her row shows the latest run
    void student(client('sends-exit'), [port]).catch(() => undefined)
    await expect.poll(() => marks('Ann'), { timeout: 15_000 }).toEqual({ ...all, 'sends-exit': 'fail' })
    expect(Object.values(await marks('Cy'))).toEqual(['idle', 'idle', 'idle', 'idle'])
    await page.getByTestId('reference-toggle').click()
    await expect.poll(() => page.getByTestId('reference-at').count()).toBe(0)
  }, 60_000)
})
