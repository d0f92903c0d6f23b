/**
 * A netstat from another machine, pasted into the inspector: a German Windows table (states
 * translated) read with the course's names, in Chromium over the preview bridge.
 */
import { readFileSync } from 'node:fs'
import type { Page } from 'playwright-core'
import { beforeEach, describe, expect, it } from 'vitest'
import { findChromium } from '../support/browser'
import { usePreviewPage } from '../support/preview-page'

const chromiumPath = findChromium()
if (!chromiumPath && process.env['CI']) throw new Error('CI must install Chromium (apt-get install chromium)')

describe.skipIf(!chromiumPath)('the inspector reads a pasted netstat', () => {
  const session = usePreviewPage(chromiumPath!, { viewport: { width: 1400, height: 1000 } })
  let page: Page
  beforeEach(() => {
    page = session.page
  })

  it('German Windows: ABHÖREN, HERGESTELLT, WARTEND shown as LISTEN, ESTABLISHED, TIME_WAIT, with the TIME_WAIT hint', async () => {
    await page.getByTestId('tab-inspector').click()
    await page.getByTestId('pasted').locator('summary').click()
    await page.getByTestId('paste-text').fill(readFileSync('test/fixtures/netstat-samples/windows-de-4.txt', 'utf8'))
    await page.getByTestId('paste-parse').click()
    const states = page.getByTestId('paste-row')
    await expect.poll(() => states.count()).toBe(123)
    const seen = await states.evaluateAll((els) => els.map((e) => e.getAttribute('data-state')))
    expect(seen.filter((s) => s === 'LISTEN')).toHaveLength(45)
    expect(seen.filter((s) => s === 'TIME_WAIT')).toHaveLength(31)
    expect(seen).not.toContain('UNKNOWN')
    expect(await page.getByTestId('paste-summary').textContent()).toContain('Windows netstat -ano')
    await expect.poll(() => page.getByTestId('pasted').textContent()).toContain('TIME_WAIT: this side closed first')
  })

  it('text that is no socket table gets a message, and the app goes on', async () => {
    await page.getByTestId('tab-inspector').click()
    await page.getByTestId('pasted').locator('summary').click()
    await page.getByTestId('paste-text').fill('hello, this is not netstat')
    await page.getByTestId('paste-parse').click()
    await expect
      .poll(() => page.getByTestId('pasted').textContent())
      .toContain('This is not a socket table the app can read')
    expect(await page.getByTestId('paste-row').count()).toBe(0)
  })
})
