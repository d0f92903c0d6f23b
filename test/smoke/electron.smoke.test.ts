/**
 * The real app, launched by Playwright's `_electron` (release workflow only, under xvfb on Linux:
 * this needs the Electron binary, which `npm ci` no longer downloads since Electron 42; the
 * workflow fetches it in a step of its own before this runs, `npm start` when it is missing).
 * Launches the app, runs the smoke steps (three panels, a TCP server, a client heard), quits
 * the way a user does, and checks that no socket and no helper process is left.
 *
 * SMOKE_EXECUTABLE=path runs an installed or unpacked build instead of `electron .`.
 */
import { _electron as electron } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { processTree, settle } from './leftovers'
import { smokeSteps } from './steps'

const executable = process.env['SMOKE_EXECUTABLE']
// Under xvfb there is no Wayland: say X11 outright (Electron's auto-detection has hung there).
const platformArgs = process.platform === 'linux' ? ['--ozone-platform=x11'] : []

describe('the real app', () => {
  it('launches, serves a client, quits leaving nothing behind', async () => {
    const app = await electron.launch(
      executable
        ? { executablePath: executable, args: platformArgs }
        : { args: [...platformArgs, '.'], cwd: process.cwd() },
    )
    const page = await app.firstWindow()
    await page.setViewportSize({ width: 1400, height: 1000 })
    const { serverPort } = await smokeSteps(page)
    // The main process and every helper it started (GPU, renderer, utility processes).
    const pids = await processTree(app.process().pid!)
    expect(pids.length).toBeGreaterThan(1)

    const exited = new Promise<number | null>((resolve) => app.process().once('exit', resolve))
    await app.evaluate(({ app: electronApp }) => electronApp.quit())
    expect(await exited).toBe(0)
    expect(await settle(pids, [serverPort])).toEqual([])
  })
})
