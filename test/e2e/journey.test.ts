/**
 * Seed 000's journey in the preview (Chromium, the real engine): a URL by IP to a local web server,
 * each step done for real with its evidence (no DNS for an address, the route on loopback, TCP,
 * HTTP 200, the close); then by a name the app's own classroom DNS server answers (the query's
 * bytes, getaddrinfo beside it); a name nobody knows stops at DNS with why; axe clean.
 */
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { violations } from '../support/axe'
import { findChromium } from '../support/browser'
import { usePreviewPage } from '../support/preview-page'
import { startHttpServer } from '../support/python'

const chromiumPath = findChromium()
if (!chromiumPath && process.env['CI']) throw new Error('CI must install Chromium (apt-get install chromium)')

describe.skipIf(!chromiumPath)('the journey from a URL to a page', () => {
  const session = usePreviewPage(chromiumPath!, { viewport: { width: 1400, height: 1000 } })
  let page: Page
  let web: Awaited<ReturnType<typeof startHttpServer>>
  beforeAll(async () => {
    web = await startHttpServer('<h1>你好, 京东</h1>')
  })
  afterAll(() => web?.stop())
  beforeEach(() => {
    page = session.page
  })

  const steps = async (): Promise<Record<string, string | null>> => {
    const out: Record<string, string | null> = {}
    for (const li of await page.getByTestId('journey-step').all())
      out[(await li.getAttribute('data-step'))!] = await li.getAttribute('data-ok')
    return out
  }

  it('by IP: dns (no question), route (loopback), arp, tcp, http 200, close — every step ok', async () => {
    await page.getByTestId('tab-addresses').click()
    await page.getByTestId('journey-url').fill(`http://127.0.0.1:${web.port}/`)
    await page.getByTestId('journey-go').click()
    await expect.poll(steps, { timeout: 20_000 }).toEqual({
      dns: 'true',
      route: 'true',
      arp: 'true',
      tcp: 'true',
      http: 'true',
      close: 'true',
    })
    expect(await page.getByTestId('journey-status').textContent()).toContain('200 OK')
    expect(await page.getByTestId('route-decision').textContent()).toContain('Loopback')
    expect(await violations(page)).toEqual([])
  })

  it('by a name the classroom DNS server answers: the answer and its bytes; an unknown name stops at DNS', async () => {
    await page.getByTestId('tab-addresses').click()
    await page.getByTestId('dns-serve-port').fill('0')
    await page.getByTestId('dns-serve-host').fill('127.0.0.1')
    await page.getByTestId('dns-serve-records').fill('www.jd.lab=127.0.0.1')
    await page.getByTestId('dns-serve-start').click()
    const running = page.getByTestId('dns-serve-running')
    await expect.poll(() => running.textContent(), { timeout: 10_000 }).toMatch(/port \d+/)
    const port = /port (\d+)/.exec((await running.textContent())!)![1]
    await page.getByTestId('journey-dns-server').fill(`127.0.0.1:${port}`)
    await page.getByTestId('journey-url').fill(`http://www.jd.lab:${web.port}/`)
    await page.getByTestId('journey-go').click()
    await expect.poll(() => steps().then((s) => s['close']), { timeout: 20_000 }).toBe('true')
    expect(await page.getByTestId('dns-answer').first().textContent()).toContain('www.jd.lab → 127.0.0.1')
    // getaddrinfo knows no www.jd.lab: the two ways differ, and the page says why
    expect(await page.getByTestId('dns-lookup').textContent()).toContain('getaddrinfo')
    await expect.poll(() => page.getByTestId('dns-served').count()).toBeGreaterThan(0)
    expect(await violations(page)).toEqual([])

    await page.getByTestId('journey-url').fill(`http://nobody.lab:${web.port}/`)
    await page.getByTestId('journey-go').click()
    await expect.poll(steps, { timeout: 20_000 }).toEqual({ dns: 'false' })
    expect(await page.getByTestId('journey').textContent()).toContain('NXDOMAIN')
    await page.getByTestId('dns-serve-stop').click()
  })
})
