/**
 * `npm run screenshot`: the README's picture, taken from the browser preview with real sockets.
 * Usage: tsx scripts/screenshot.ts [out.png] [locale]
 */
import { withPreviewPage } from '../test/support/browser'

async function main(): Promise<void> {
  const out = process.argv[2] ?? 'docs/screenshot.png'
  const locale = process.argv[3] ?? 'en-US'
  await withPreviewPage({ locale, viewport: { width: 1280, height: 800 } }, async (page) => {
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
  })
  process.stdout.write(`wrote ${out}\n`)
}

void main().catch((e: unknown) => {
  process.stderr.write(`${String(e)}\n`)
  process.exit(1)
})
