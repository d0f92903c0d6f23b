import { existsSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type Browser } from 'playwright-core'
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
