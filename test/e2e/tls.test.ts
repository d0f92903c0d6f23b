/**
 * TLS in the chat demo, in Chromium over the preview: a server on this machine's own certificate
 * (its fingerprint shown), a client trusting it, and the handshake card on both ends; a client
 * that does not verify is told why. axe clean.
 */
import type { Page } from 'playwright-core'
import { beforeEach, describe, expect, it } from 'vitest'
import { violations } from '../support/axe'
import { findChromium } from '../support/browser'
import { usePreviewPage } from '../support/preview-page'

const chromiumPath = findChromium()
if (!chromiumPath && process.env['CI']) throw new Error('CI must install Chromium (apt-get install chromium)')

describe.skipIf(!chromiumPath)('TLS in the chat demo', () => {
  const session = usePreviewPage(chromiumPath!, { viewport: { width: 1400, height: 1000 } })
  let page: Page
  beforeEach(() => {
    page = session.page
  })

  it('a TLS server and a client that trusts this machine’s certificate: the handshake on both cards; “verify” fails and says why', async () => {
    await page.getByTestId('server-port').fill('0')
    await page.getByTestId('server-tls').check()
    await expect
      .poll(() => page.getByTestId('tls-fingerprint').textContent())
      .toMatch(/SHA-256 ([0-9A-F]{2}:){31}[0-9A-F]{2}/)
    // the key log for Wireshark: off until asked, then its place said
    await page.getByTestId('tls-keylog').check()
    await expect.poll(() => page.getByTestId('tls-keylog-path').textContent()).toContain('sslkeylog.txt')
    await page.getByTestId('server-start').click()
    await page.getByTestId('client-tls').check()
    await page.getByTestId('client-trust').selectOption('lab')
    await page.getByTestId('client-connect').click()
    const clientCard = page.locator('.column').nth(1).getByTestId('conversation').first()
    const card = clientCard.getByTestId('tls-card')
    await expect.poll(() => card.getAttribute('data-authorized'), { timeout: 10_000 }).toBe('true')
    expect(await card.textContent()).toContain('TLSv1.3')
    expect(await card.getByTestId('tls-cert').textContent()).toContain('CN=Socket Lab (this machine)')
    // the server's end: what the client offered (its ClientHello)
    const serverSide = page.getByTestId('server-card').getByTestId('conversation').first()
    await expect.poll(() => serverSide.getByTestId('tls-offered').textContent()).toContain('TLSv1.3')
    expect(await violations(page)).toEqual([])
    // the system's CAs do not know this machine's certificate: refused, and why
    await page.getByTestId('client-trust').selectOption('verify')
    await page.getByTestId('client-connect').click()
    const second = page.locator('.column').nth(1).getByTestId('conversation').nth(1)
    await expect.poll(() => second.textContent(), { timeout: 10_000 }).toContain('DEPTH_ZERO_SELF_SIGNED_CERT')
    expect(await second.textContent()).toContain('self-signed')
    await page.getByTestId('tls-keylog').uncheck()
    await expect.poll(() => page.getByTestId('tls-keylog-path').count()).toBe(0)
  })
})
