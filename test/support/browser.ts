import { existsSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type Browser, type Page } from 'playwright-core'
import { startPreview, type PreviewServer } from '../../src/preview/server'

const CANDIDATES = [
  process.env['CHROMIUM_PATH'],
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
]

export function findChromium(): string | undefined {
  return CANDIDATES.find((p): p is string => !!p && existsSync(p))
}

/** Debian's Chromium, started the way this closed network needs (no background traffic). */
export function launchChromium(executablePath: string): Promise<Browser> {
  return chromium.launch({
    executablePath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  })
}

/** The preview of the built renderer (run `npm run build` first). */
export async function startBuiltPreview(): Promise<PreviewServer> {
  if (!existsSync('out/renderer/index.html')) throw new Error('no built renderer: run "npm run build" first')
  return startPreview({ root: 'out/renderer', settingsDir: mkdtempSync(join(tmpdir(), 'lab-preview-settings-')) })
}

/**
 * For the scripts (screenshots): the built preview and Chromium, one page opened at `viewport` in
 * `locale` and ready, `use(page)` run on it, and everything closed after.
 */
export async function withPreviewPage(
  o: { locale: string; viewport: { width: number; height: number } },
  use: (page: Page) => Promise<void>,
): Promise<void> {
  const chromiumPath = findChromium()
  if (!chromiumPath) throw new Error('no Chromium found (set CHROMIUM_PATH)')
  const preview = await startBuiltPreview()
  const browser = await launchChromium(chromiumPath)
  try {
    const page = await browser.newPage(o)
    await page.goto(preview.url)
    await page.locator('.app[data-ready="true"]').waitFor()
    await use(page)
  } finally {
    await browser.close()
    await preview.close()
  }
}

/**
 * In a preview page: the backlog panel's server started on a free port with listen(`backlog`),
 * serving each client `serveMs` (or, without it, until hung up), and the form for `clients`
 * clients filled in (connect timeout `timeoutMs` if given). Resolves once the panel shows the
 * queue mode; the caller clicks "add" when it is ready to watch.
 */
export async function setUpBacklog(
  page: Page,
  o: { backlog: number; serveMs?: number; clients: number; timeoutMs?: number },
): Promise<void> {
  await page.getByTestId('tab-backlog').click()
  await page.getByTestId('backlog-port').fill('0')
  await page.getByTestId('backlog-n').fill(String(o.backlog))
  if (o.serveMs !== undefined) {
    await page.getByTestId('backlog-auto').selectOption({ index: 1 })
    await page.getByTestId('backlog-serve-ms').fill(String(o.serveMs))
  }
  await page.getByTestId('backlog-start').click()
  await page.getByTestId('queue-mode').waitFor()
  await page.getByTestId('backlog-count').fill(String(o.clients))
  if (o.timeoutMs !== undefined) await page.getByTestId('backlog-timeout').fill(String(o.timeoutMs))
}
