/**
 * `npm run icon`: renders our SVG (src/renderer/public/icon.svg) to the PNGs the installers need,
 * in Chromium (the one the e2e tests use): build/icon.png at 1024 px (electron-builder makes the
 * macOS .icns and the Windows .ico from it) and build/icons/<n>x<n>.png for Linux.
 * Usage: tsx scripts/render-icon.ts [outDir]
 */
import { mkdirSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { findChromium, launchChromium } from '../test/support/browser'

export const ICON_SIZES = [16, 32, 48, 64, 128, 256, 512, 1024]

export async function renderIcons(outDir = 'build'): Promise<string[]> {
  const chromium = findChromium()
  if (!chromium) throw new Error('no Chromium found (set CHROMIUM_PATH)')
  const svg = readFileSync('src/renderer/public/icon.svg', 'utf8')
  const browser = await launchChromium(chromium)
  const written: string[] = []
  try {
    mkdirSync(join(outDir, 'icons'), { recursive: true })
    for (const n of ICON_SIZES) {
      const page = await browser.newPage({ viewport: { width: n, height: n } })
      const src = `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`
      await page.setContent(
        `<html><body style="margin:0;background:transparent"><img src="${src}" width="${n}" height="${n}"></body></html>`,
      )
      await page.locator('img').evaluate('(img) => img.decode()')
      const targets = [join(outDir, 'icons', `${n}x${n}.png`), ...(n === 1024 ? [join(outDir, 'icon.png')] : [])]
      for (const path of targets) {
        await page.screenshot({ path, omitBackground: true, clip: { x: 0, y: 0, width: n, height: n } })
        written.push(path)
      }
      await page.close()
    }
  } finally {
    await browser.close()
  }
  return written
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  void renderIcons(process.argv[2]).then((files) => process.stdout.write(`${files.join('\n')}\n`))
}
