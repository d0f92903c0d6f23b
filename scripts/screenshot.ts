/**
 * `npm run screenshot`: the README's picture, taken from the browser preview with real sockets.
 * Usage: tsx scripts/screenshot.ts [out.png] [locale]
 */
import { findChromium, launchChromium, startBuiltPreview } from '../test/support/browser'

async function main(): Promise<void> {
  const out = process.argv[2] ?? 'docs/screenshot.png'
  const locale = process.argv[3] ?? 'en-US'
  const chromiumPath = findChromium()
  if (!chromiumPath) throw new Error('no Chromium found (set CHROMIUM_PATH)')
  const preview = await startBuiltPreview()
  const browser = await launchChromium(chromiumPath)
  try {
    const page = await browser.newPage({ locale, viewport: { width: 1280, height: 800 } })
    await page.goto(preview.url)
    await page.locator('.app[data-ready="true"]').waitFor()
    await page.getByTestId('server-port').fill('0')
    await page.getByTestId('server-start').click()
    const port = (await page.getByTestId('server-card').locator('.tuple').textContent())!.split(':').at(-1)!
    await page.getByTestId('client-port').fill(port)
    await page.getByTestId('client-connect').click()
    const client = page.locator('.column').nth(1).getByTestId('conversation')
    await client.locator('.chunks li').first().waitFor()
    for (const m of ['Ann', '小文']) {
      await client.getByTestId('message').fill(m)
      await client.getByTestId('send').click()
      await page.waitForTimeout(150)
    }
    await page.waitForTimeout(300)
    await page.screenshot({ path: out })
    process.stdout.write(`wrote ${out}\n`)
  } finally {
    await browser.close()
    await preview.close()
  }
}

void main().catch((e: unknown) => {
  process.stderr.write(`${String(e)}\n`)
  process.exit(1)
})
