/**
 * The renderer's start-up budget (issue 43), a size check, not a timing: the JavaScript the window
 * loads before its first paint — the entry, what index.html preloads, and the language shown —
 * is at most 250 KiB; every tab but the first (chat) and the other language are chunks of their
 * own, not in it.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

const DIR = 'out/renderer'
const built = existsSync(join(DIR, 'index.html'))
if (!built && process.env['CI'] && process.platform === 'linux')
  throw new Error('CI must build before this test (npm test does)')
const BUDGET = 250 * 1024

describe.skipIf(!built)('the renderer bundle before the first paint', () => {
  const html = built ? readFileSync(join(DIR, 'index.html'), 'utf8') : ''
  const start = [...html.matchAll(/(?:src|href)="\.\/(assets\/[^"]+\.js)"/g)].map((m) => m[1]!)
  const assets = built ? readdirSync(join(DIR, 'assets')) : []
  const size = (f: string): number => statSync(join(DIR, f)).size
  const chunk = (prefix: string): string => `assets/${assets.find((a) => a.startsWith(prefix) && a.endsWith('.js'))}`

  it('the entry and what it preloads, plus the language shown, within 250 KiB', () => {
    const base = start.reduce((n, f) => n + size(f), 0)
    for (const lang of ['en-', 'zh-CN-']) {
      const total = base + size(chunk(lang))
      expect(total, `${lang} ${(total / 1024).toFixed(0)} KiB`).toBeLessThanOrEqual(BUDGET)
    }
  })

  it('paints before any script: the start-up stylesheet is written in, the shell is in the page', () => {
    expect(html).not.toMatch(/<link rel="stylesheet"/)
    expect(html).toMatch(/<style>[^<]*\.topbar/)
    expect(html).toMatch(/<div id="app">\s*<div class="app shell" aria-busy="true">\s*<header class="topbar">\s*<svg /)
    // the shell's mark is the app's icon, drawn alike
    const shapes = (svg: string): string[] =>
      [...svg.matchAll(/<(rect|path|circle)\b([^>]*?)\s*\/?>/g)].map(
        (m) => `${m[1]} ${m[2]!.trim().replace(/\s+/g, ' ')}`,
      )
    expect(shapes(html)).toEqual(shapes(readFileSync('src/renderer/public/icon.svg', 'utf8')))
    // a stylesheet written into the page is still a file: a chunk loaded later may link it by name
    for (const js of assets.filter((a) => a.endsWith('.js')))
      for (const m of readFileSync(join(DIR, 'assets', js), 'utf8').matchAll(/"\.\/([\w.-]+\.css)"/g))
        expect(existsSync(join(DIR, 'assets', m[1]!)), `${m[1]} (named in ${js})`).toBe(true)
  })

  it('the other tabs and both languages are chunks loaded later, not in index.html', () => {
    for (const p of [
      'BacklogPanel-',
      'UdpPanel-',
      'InspectorPanel-',
      'AddressesPanel-',
      'ClassroomPanel-',
      'PacketsPanel-',
      'en-',
      'zh-CN-',
    ]) {
      const c = chunk(p)
      expect(existsSync(join(DIR, c)), p).toBe(true)
      expect(start, p).not.toContain(c)
    }
    // the first tab's own code is in the start-up bundle
    expect(start.map((f) => readFileSync(join(DIR, f), 'utf8')).join('')).toContain('chat-panel')
  })
})
