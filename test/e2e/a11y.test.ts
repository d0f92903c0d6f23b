/**
 * WCAG 2.1 A and AA in the preview, measured by axe-core (npm, injected by Playwright), on every
 * tab, in both languages and both themes, before and after each demo has run; each demo's main
 * flow done with the keyboard alone; the projector's 1024×640 and 200% zoom never wider than the
 * window.
 */
import type { Page } from 'playwright-core'
import { beforeEach, describe, expect, it } from 'vitest'
import { violations } from '../support/axe'
import { findChromium } from '../support/browser'
import { usePreviewPage } from '../support/preview-page'

const chromiumPath = findChromium()
if (!chromiumPath && process.env['CI']) throw new Error('CI must install Chromium (apt-get install chromium)')
const TABS = ['backlog', 'chat', 'udp', 'inspector', 'addresses', 'classroom', 'packets'] as const
/** Presses Tab until the element with `testid` has the focus: it is reachable without a mouse. */
async function tabTo(page: Page, testid: string, max = 80): Promise<void> {
  for (let i = 0; i < max; i++) {
    if ((await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))) === testid) return
    await page.keyboard.press('Tab')
  }
  throw new Error(`${testid} not reached with ${max} presses of Tab`)
}
/** Replaces the focused field's text, as a person does: select all, type. */
async function retype(page: Page, text: string): Promise<void> {
  await page.keyboard.press('Control+A')
  await page.keyboard.type(text)
}
const activeTab = (page: Page) => page.locator('.topbar [role="tab"][aria-selected="true"]').getAttribute('data-testid')

describe.skipIf(!chromiumPath)('accessibility (WCAG 2.1 AA, keyboard, projector)', () => {
  const session = usePreviewPage(chromiumPath!, { viewport: { width: 1366, height: 850 } })
  let page: Page
  beforeEach(() => {
    page = session.page
  })

  async function everyTab(label: string): Promise<string[]> {
    const out: string[] = []
    for (const tab of TABS) {
      await page.getByTestId(`tab-${tab}`).click()
      for (const v of await violations(page)) out.push(`${label} ${tab}: ${v}`)
    }
    return out
  }

  it('no axe violations on any tab, in English and Chinese, light and dark', async () => {
    const found: string[] = []
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme })
      for (const lang of ['en', 'zh-CN']) {
        await page.evaluate((l) => localStorage.setItem('socket-lab.locale', l), lang)
        await page.reload()
        await page.locator('.app[data-ready="true"]').waitFor()
        expect(await page.evaluate(() => document.documentElement.lang)).toBe(lang)
        found.push(...(await everyTab(`${scheme} ${lang}`)))
      }
    }
    expect(found).toEqual([])
  })

  it('keyboard only: tabs by Alt+digit and arrows; a chat server, a client and a message; a UDP pair and a datagram; a backlog server and its clients — then no axe violations with it all on screen', async () => {
    // Alt+2: the chat tab, focus on its tab; the arrows move along the row
    await page.keyboard.press('Alt+2')
    expect(await activeTab(page)).toBe('tab-chat')
    await page.keyboard.press('ArrowRight')
    expect(await activeTab(page)).toBe('tab-udp')
    await page.keyboard.press('Home')
    expect(await activeTab(page)).toBe('tab-backlog')
    await page.keyboard.press('Alt+2')
    // the focus ring is drawn where the keyboard is
    expect(await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle)).toBe('solid')

    // chat: a server on a free port, a client to it, "hello" sent
    await tabTo(page, 'server-port')
    await retype(page, '0')
    await tabTo(page, 'server-start')
    await page.keyboard.press('Enter')
    const tuple = (await page.getByTestId('server-card').locator('.tuple').first().textContent())!
    await tabTo(page, 'client-port')
    await retype(page, tuple.split(':').at(-1)!)
    await tabTo(page, 'client-connect')
    await page.keyboard.press('Enter')
    const client = page.locator('.column').nth(1).getByTestId('conversation').first()
    await expect.poll(() => client.locator('[data-state]').first().getAttribute('data-state')).toBe('open')
    await tabTo(page, 'message')
    await retype(page, 'hello by keyboard')
    await page.keyboard.press('Enter')
    await expect
      .poll(() => page.getByTestId('server-card').locator('.chunks li.in').allTextContents())
      .toEqual([expect.stringContaining('hello by keyboard')])
    // the live region told a screen reader what happened
    await expect.poll(() => page.getByTestId('live-region').textContent()).not.toBe('')

    // UDP: a pair, and one datagram from the sender to the receiver
    await page.keyboard.press('Alt+3')
    await tabTo(page, 'udp-pair')
    await page.keyboard.press('Enter')
    const cards = page.getByTestId('udp-socket')
    await expect.poll(() => cards.count()).toBe(2)
    await page.keyboard.press('Alt+3') // back to the tab row, then onwards to the sender's form
    for (let i = 0; i < 2; i++) {
      await tabTo(page, 'udp-message')
      if (
        (await page.evaluate(() => document.activeElement?.closest('[data-socket]')?.getAttribute('data-socket'))) ===
        (await cards.nth(1).getAttribute('data-socket'))
      )
        break
      await page.keyboard.press('Tab')
    }
    await retype(page, 'one datagram')
    await page.keyboard.press('Enter')
    await expect
      .poll(() => cards.nth(0).locator('li.in').allTextContents())
      .toEqual([expect.stringContaining('one datagram')])

    // backlog: listen(1) on a free port, three clients
    await page.keyboard.press('Alt+1')
    await tabTo(page, 'backlog-port')
    await retype(page, '0')
    await tabTo(page, 'backlog-n')
    await retype(page, '1')
    await tabTo(page, 'backlog-start')
    await page.keyboard.press('Enter')
    await page.getByTestId('queue-mode').waitFor()
    await tabTo(page, 'backlog-count')
    await retype(page, '3')
    await tabTo(page, 'backlog-add')
    await page.keyboard.press('Enter')
    await expect.poll(() => page.getByTestId('backlog-client').count()).toBe(3)

    expect(await everyTab('busy')).toEqual([])
  })

  it('at a projector’s 1024×640 and at 200% zoom, no tab is wider than the window, and the header is not cut', async () => {
    for (const viewport of [
      { width: 1024, height: 640 },
      { width: 683, height: 425 }, // 1366×850 at 200%
    ]) {
      await page.setViewportSize(viewport)
      for (const lang of ['en', 'zh-CN']) {
        await page.evaluate((l) => localStorage.setItem('socket-lab.locale', l), lang)
        await page.reload()
        await page.locator('.app[data-ready="true"]').waitFor()
        for (const tab of TABS) {
          await page.getByTestId(`tab-${tab}`).click()
          const wide = await page.evaluate(() => {
            const page = document.documentElement
            const host = document.querySelector<HTMLElement>('.panel-host')!
            const tagline = document.querySelector<HTMLElement>('.tagline')
            const log = document.querySelector<HTMLElement>('[data-testid="event-log"]')!
            return {
              // the log pane leaves the panel most of the window
              logShare: log.offsetHeight / window.innerHeight <= 0.41,
              page: page.scrollWidth - page.clientWidth,
              panel: host.scrollWidth - host.clientWidth,
              tagline: tagline ? tagline.scrollWidth - tagline.clientWidth : 0,
            }
          })
          expect(wide, `${viewport.width}×${viewport.height} ${lang} ${tab}`).toEqual({
            logShare: true,
            page: 0,
            panel: 0,
            tagline: 0,
          })
        }
      }
    }
  })

  it('in projector mode at 1024×640, the chat’s connection table and the grade table are not cut', async () => {
    await page.setViewportSize({ width: 1024, height: 640 })
    await page.evaluate(() => localStorage.setItem('socket-lab.locale', 'zh-CN'))
    await page.reload()
    await page.locator('.app[data-ready="true"]').waitFor()
    await page.getByTestId('projector').click()
    await page.getByTestId('server-port').fill('0')
    await page.getByTestId('server-mode').selectOption('threaded')
    await page.getByTestId('server-start').click()
    for (let i = 0; i < 2; i++) await page.getByTestId('client-connect').click()
    await expect.poll(() => page.getByTestId('roster-row').count()).toBe(2)
    const cut = () =>
      page.evaluate(() =>
        [...document.querySelectorAll('.panel-host table')].map(
          (t) => t.scrollWidth - (t.parentElement as HTMLElement).clientWidth,
        ),
      )
    expect(await cut()).toEqual([0])
    await page.getByTestId('tab-classroom').click()
    await page.getByTestId('roster-text').fill('学生1,192.0.2.1,9999\n学生2,192.0.2.2,9999')
    await page.getByTestId('roster-apply').click()
    await expect.poll(() => page.locator('tr[data-student]').count()).toBe(2)
    expect((await cut()).every((x) => x <= 0)).toBe(true)
  })
})
