/** The hooks of an e2e suite (vitest only: scripts use browser.ts, which has no test imports). */
import type { Browser, BrowserContextOptions, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest'
import type { PreviewServer } from '../../src/preview/server'
import { launchChromium, startBuiltPreview } from './browser'

export interface PreviewSession {
  readonly page: Page
  readonly preview: PreviewServer
}

/**
 * Registers the hooks of an e2e suite: one preview and one Chromium for the file, a fresh page
 * per test, and after each test: no sockets left behind, no script errors or CSP violations.
 */
export function usePreviewPage(chromiumPath: string, pageOptions: BrowserContextOptions = {}): PreviewSession {
  let browser: Browser | undefined
  let preview: PreviewServer | undefined
  let page: Page | undefined
  let problems: string[] = []
  beforeAll(async () => {
    preview = await startBuiltPreview()
    browser = await launchChromium(chromiumPath)
  })
  afterAll(async () => {
    await browser?.close()
    await preview?.close()
  })
  beforeEach(async () => {
    problems = []
    await preview!.resetSettings()
    page = await browser!.newPage({ locale: 'en-US', ...pageOptions })
    // an action that cannot happen fails in 25 s naming what it waited for, instead of the
    // test's 60 s budget running out with no word of which step hung
    page.setDefaultTimeout(25_000)
    page.on('console', (m) => m.type() === 'error' && problems.push(m.text()))
    page.on('pageerror', (e) => problems.push(String(e)))
    await page.goto(preview!.url)
    await page.locator('.app[data-ready="true"]').waitFor()
  })
  afterEach(async () => {
    await page?.close()
    // a closed page's sockets are closed by the bridge
    for (let i = 0; i < 100 && preview!.engine.size > 0; i++) await new Promise((r) => setTimeout(r, 20))
    expect(preview!.engine.size).toBe(0)
    expect(problems).toEqual([])
  })
  return {
    get page() {
      return page!
    },
    get preview() {
      return preview!
    },
  }
}

/** In the chat tab: a plain server on any free port and a bare client connected to it. */
export async function chatPair(page: Page): Promise<void> {
  await page.getByTestId('server-port').fill('0')
  await page.getByTestId('server-mode').selectOption('plain')
  await page.getByTestId('server-start').click()
  const port = (await page.getByTestId('server-card').locator('.tuple').first().textContent())!.split(':').at(-1)!
  await page.getByTestId('client-preset').selectOption('none')
  await page.getByTestId('client-port').fill(port)
  await page.getByTestId('client-connect').click()
}
