/**
 * The README's first command. `npm start` runs `scripts/launch.ts start` (checked against
 * package.json below): when Electron's binary cannot be had it explains why and serves the UI in
 * the browser; when a binary is there it hands it to electron-vite and downloads nothing.
 *
 * "Cannot be had" is made certain wherever this runs (a release runner can download Electron):
 * an empty ELECTRON_OVERRIDE_DIST_PATH, an empty download cache and a mirror on a closed
 * 127.0.0.1 port, so that Electron's own installer really runs and really fails.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { platformPath } from '../../scripts/electron-binary'
import { findChromium, launchChromium } from '../support/browser'
import { freePort } from '../support/ports'
import { within } from '../support/until'

const chromiumPath = findChromium()
const scripts = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> }).scripts
const temps: string[] = []
const temp = (name: string): string => {
  const d = mkdtempSync(join(tmpdir(), `lab-start-${name}-`))
  temps.push(d)
  return d
}
afterAll(() => temps.forEach((d) => rmSync(d, { recursive: true, force: true })))

interface Run {
  child: ChildProcess
  out: () => string
  exited: Promise<number | null>
}
const running: Run[] = []
afterEach(() => running.splice(0).forEach((r) => r.child.kill('SIGKILL')))

function launch(mode: 'start' | 'dev', env: NodeJS.ProcessEnv): Run {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/launch.ts', mode], {
    env: { ...process.env, XDG_CONFIG_HOME: temp('config'), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()))
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()))
  const run = { child, out: () => out, exited: new Promise<number | null>((r) => child.once('exit', r)) }
  running.push(run)
  return run
}

async function noElectron(): Promise<NodeJS.ProcessEnv> {
  return {
    ELECTRON_OVERRIDE_DIST_PATH: temp('dist'),
    electron_config_cache: temp('cache'),
    ELECTRON_MIRROR: `http://127.0.0.1:${await freePort()}/`,
    ELECTRON_GET_NO_PROGRESS: '1',
  }
}

describe('npm start / npm run dev', () => {
  it('are the launcher, not electron-vite alone (which stops with "Electron uninstall")', () => {
    expect(scripts['start']).toBe('tsx scripts/launch.ts start')
    expect(scripts['dev']).toBe('tsx scripts/launch.ts dev')
  })

  it.skipIf(!chromiumPath)(
    'without a binary: Electron’s installer runs and fails, the reason and the fixes are printed, the UI is served at the printed URL',
    async () => {
      const run = launch('start', await noElectron())
      const url = await within(
        (async () => {
          for (;;) {
            const m = /http:\/\/127\.0\.0\.1:\d+\/\?token=\w+/.exec(run.out())
            if (m) return m[0]
            await new Promise((r) => setTimeout(r, 50))
          }
        })(),
        45_000,
        () => `no preview URL printed:\n${run.out()}`,
      )
      const out = run.out()
      expect(out).toContain('whose binary (about 100 MB) is downloaded once') // the installer was run
      expect(out).toContain("Could not get Electron's binary")
      expect(out).toContain('ELECTRON_MIRROR=https://npmmirror.com/mirrors/electron/')
      expect(out).toContain('ELECTRON_OVERRIDE_DIST_PATH')
      expect(out).toContain('starting it now')

      const browser = await launchChromium(chromiumPath!)
      try {
        const page = await browser.newPage({ locale: 'en-US' })
        await page.goto(url)
        await page.locator('.app[data-ready="true"]').waitFor({ timeout: 20_000 })
        expect(await page.getByTestId('tab-chat').isVisible()).toBe(true)
      } finally {
        await browser.close()
      }
      run.child.kill('SIGTERM')
      expect(await within(run.exited, 10_000, 'the preview did not stop on SIGTERM')).toBe(0)
    },
  )

  it('npm run dev without a binary says the same and stops, non-zero, serving nothing', async () => {
    const run = launch('dev', await noElectron())
    expect(await within(run.exited, 30_000, () => `dev did not stop:\n${run.out()}`)).toBe(1)
    expect(run.out()).toContain("Could not get Electron's binary")
    expect(run.out()).toContain('npm run preview:web')
    expect(run.out()).not.toMatch(/127\.0\.0\.1:\d+\/\?token/)
  })

  // A stand-in executable must be a real .exe on Windows; a shell script serves elsewhere.
  it.skipIf(process.platform === 'win32')(
    'with a binary there (a stand-in): no download, electron-vite builds and starts it with the app, never as Node',
    async () => {
      const dist = temp('standin')
      const marker = join(temp('marker'), 'ran')
      const exe = join(dist, platformPath(process.platform))
      mkdirSync(dirname(exe), { recursive: true })
      writeFileSync(exe, `#!/bin/sh\necho "$PWD|$*|\${ELECTRON_RUN_AS_NODE-unset}" > "${marker}"\n`)
      chmodSync(exe, 0o755)
      // A shell that carries ELECTRON_RUN_AS_NODE=1 (VS Code's remote-WSL terminal): not passed on.
      const run = launch('start', {
        ELECTRON_OVERRIDE_DIST_PATH: dist,
        ELECTRON_MIRROR: 'http://127.0.0.1:9/',
        ELECTRON_RUN_AS_NODE: '1',
      })
      expect(await within(run.exited, 60_000, () => `start did not end:\n${run.out()}`)).toBe(0)
      expect(run.out()).not.toContain('downloaded once')
      expect(run.out()).not.toContain("Could not get Electron's binary")
      expect(existsSync(marker), run.out()).toBe(true)
      // electron-vite's preview: the app's folder, entry '.'.
      expect(readFileSync(marker, 'utf8').trim()).toBe(`${process.cwd()}|.|unset`)
      expect(run.out()).toContain('ELECTRON_RUN_AS_NODE is set in this shell: left out')
    },
  )
})
