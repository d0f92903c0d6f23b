/**
 * The app icon: our SVG rendered at build time to every size the installers need, with a
 * transparent background (RGBA).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ICON_SIZES, renderIcons } from '../../scripts/render-icon'
import { findChromium } from '../support/browser'

const chromium = findChromium()
if (!chromium && process.env['CI'] && process.platform === 'linux') throw new Error('CI must install Chromium')

/** Width, height and colour type from a PNG's IHDR chunk. */
function pngHeader(path: string): { width: number; height: number; rgba: boolean } {
  const b = readFileSync(path)
  expect(b.subarray(1, 4).toString()).toBe('PNG')
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20), rgba: b[25] === 6 }
}

describe.skipIf(!chromium)('the icon', () => {
  it('is rendered from our SVG at every size, RGBA', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lab-icon-'))
    try {
      const files = await renderIcons(dir)
      expect(files).toHaveLength(ICON_SIZES.length + 1)
      for (const n of ICON_SIZES)
        expect(pngHeader(join(dir, 'icons', `${n}x${n}.png`))).toEqual({ width: n, height: n, rgba: true })
      expect(pngHeader(join(dir, 'icon.png'))).toMatchObject({ width: 1024, height: 1024 })
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }, 60_000)
})
