/**
 * `npm run lessons`: the three lessons as a class sees them, in projector mode on a 1024×640
 * projector, in Chinese, with real sockets: docs/lessons/*.png. Usage: tsx scripts/lessons.ts [dir]
 */
import type { Page } from 'playwright-core'
import { withPreviewPage } from '../test/support/browser'

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** The screen as the class sees it, scrolled by `show` (the panel's top when not given). */
async function shot(page: Page, dir: string, name: string, show?: () => Promise<void>): Promise<void> {
  if (show) await show()
  else await page.evaluate(() => document.querySelector('[data-testid="panel-host"]')?.scrollTo({ top: 0 }))
  await pause(300)
  await page.screenshot({ path: `${dir}/${name}.png` })
  process.stdout.write(`wrote ${dir}/${name}.png\n`)
}

/** Lesson 1: listen(2), one client served, two in the kernel's queue, the rest failing. */
async function backlog(page: Page, dir: string): Promise<void> {
  await page.getByTestId('tab-backlog').click()
  await page.getByTestId('backlog-port').fill('0')
  await page.getByTestId('backlog-n').fill('2')
  await page.getByTestId('backlog-start').click()
  await page.getByTestId('backlog-count').fill('6')
  await page.getByTestId('backlog-timeout').fill('2000')
  await page.getByTestId('backlog-add').click()
  await pause(1500)
  await shot(page, dir, '1-backlog')
  await page.getByTestId('backlog-stop-folded').click()
}

/** Lesson 2: the serial chat; the second caller waits in the kernel until the first says bye. */
async function chat(page: Page, dir: string): Promise<void> {
  await page.getByTestId('tab-chat').click()
  await page.getByTestId('server-mode').selectOption('serial')
  await page.getByTestId('server-port').fill('0')
  await page.getByTestId('server-start').click()
  const clients = page.locator('.column').nth(1).getByTestId('conversation')
  for (let i = 0; i < 2; i++) {
    await page.getByTestId('client-connect').click()
    await clients.nth(i).waitFor()
  }
  await clients.nth(0).getByTestId('preset-message').first().click()
  await page.getByTestId('aside-dialogue').click()
  await pause(200)
  // the second caller, waiting in the kernel's queue until the first says bye
  await shot(page, dir, '2-chat-serial', () => clients.nth(1).evaluate((el) => el.scrollIntoView({ block: 'start' })))
}

/** Lesson 3: UDP against TCP, then the states of a closed TCP connection in the inspector. */
async function udpAndStates(page: Page, dir: string): Promise<void> {
  await page.getByTestId('tab-udp').click()
  await page.getByTestId('compare-run').click()
  await pause(1500)
  await shot(page, dir, '3-udp-vs-tcp', () => page.getByTestId('udp-compare').scrollIntoViewIfNeeded())

  await page.getByTestId('tab-chat').click()
  const client = page.locator('.column').nth(1).getByTestId('conversation').first()
  await client.getByTestId('close').click()
  await page.getByTestId('tab-inspector').click()
  await page.getByTestId('os-row').first().waitFor()
  const row = page.locator('[data-testid="os-row"][data-state="TIME_WAIT"]').first()
  await row.waitFor({ timeout: 10_000 })
  await row.click()
  await pause(200)
  await shot(page, dir, '3-tcp-states', () => page.getByTestId('sequence').scrollIntoViewIfNeeded())
}

async function main(): Promise<void> {
  const dir = process.argv[2] ?? 'docs/lessons'
  await withPreviewPage({ locale: 'zh-CN', viewport: { width: 1024, height: 640 } }, async (page) => {
    await page.getByTestId('projector').click()
    await backlog(page, dir)
    await chat(page, dir)
    await udpAndStates(page, dir)
  })
}

void main().catch((e: unknown) => {
  process.stderr.write(`${String(e)}\n`)
  process.exit(1)
})
