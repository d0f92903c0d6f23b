/**
 * Which page the window trusts. In development electron-vite 6 sets ELECTRON_RENDERER_URL; its
 * exact form is read from electron-vite's own code here, so an upgrade that changes it is seen.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { createRequire } from 'node:module'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { appUrl, createMainWindow, isAppUrl } from '../../src/main/window'
import { app, BrowserWindow, fake } from '../support/electron-fake'

/** `process.env.ELECTRON_RENDERER_URL = ...` as electron-vite's dev server writes it. */
function electronViteDevUrl(host: string, port: number): string {
  const dist = join(dirname(createRequire(import.meta.url).resolve('electron-vite')), 'chunks')
  const line = readdirSync(dist)
    .map((f) => readFileSync(join(dist, f), 'utf8'))
    .flatMap((text) => text.split('\n'))
    .find((l) => l.includes('process.env.ELECTRON_RENDERER_URL ='))
  expect(line, 'electron-vite no longer sets ELECTRON_RENDERER_URL where it did').toBeDefined()
  const template = /`(.*)`/.exec(line!)![1]!
  return template.replace('${protocol}', 'http:').replace('${host}', host).replace('${port}', String(port))
}

beforeEach(() => fake.reset())
afterEach(() => vi.unstubAllEnvs())

describe('the app page in development (electron-vite dev)', () => {
  const dev = electronViteDevUrl('localhost', 5173)

  it('electron-vite gives the URL without a trailing slash; the frame reports it with one: both are the app', () => {
    expect(dev).toBe('http://localhost:5173')
    vi.stubEnv('ELECTRON_RENDERER_URL', dev)
    expect(isAppUrl('http://localhost:5173/')).toBe(true)
    expect(isAppUrl('http://localhost:5173/#/udp')).toBe(true)
    expect(isAppUrl('http://localhost:5173/src/main.ts?t=1')).toBe(true)
    createMainWindow()
    expect(BrowserWindow.windows[0]!.loadedUrl).toBe('http://localhost:5173/')
  })

  it('trusts nothing else: another port, host or scheme, a look-alike host, garbage', () => {
    vi.stubEnv('ELECTRON_RENDERER_URL', dev)
    for (const url of [
      'http://localhost:5174/',
      'http://localhost:5173.evil.example/',
      'http://127.0.0.1:5173/',
      'https://localhost:5173/',
      'file:///index.html',
      'not a url',
      '',
    ]) {
      expect(isAppUrl(url), url).toBe(false)
    }
  })
})

describe('the app page when installed', () => {
  it('ignores ELECTRON_RENDERER_URL: loads and trusts only the built index.html', () => {
    vi.stubEnv('ELECTRON_RENDERER_URL', 'http://localhost:5173')
    app.isPackaged = true
    expect(appUrl()).toMatch(/^file:\/\/.*\/renderer\/index\.html$/)
    expect(isAppUrl('http://localhost:5173/')).toBe(false)
    createMainWindow()
    expect(BrowserWindow.windows[0]!.loadedUrl).toBe(appUrl())
  })

  it('the built file with a query or fragment is the app; another file beside it is not', () => {
    vi.stubEnv('ELECTRON_RENDERER_URL', '')
    const page = appUrl()
    expect(page).toMatch(/^file:/)
    expect(isAppUrl(page)).toBe(true)
    expect(isAppUrl(page + '#/chat')).toBe(true)
    expect(isAppUrl(page + '?lang=zh-CN')).toBe(true)
    expect(isAppUrl(page.replace('index.html', 'other.html'))).toBe(false)
    expect(isAppUrl('file:///etc/passwd')).toBe(false)
  })
})
