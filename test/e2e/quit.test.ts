/**
 * Nothing left behind: the preview run as its own process (as a user starts it), driven by the
 * smoke steps the release workflow runs on the real app; a page reload with 100 sockets open
 * closes them; a quit (SIGTERM) with 100 sockets open ends the process with every socket closed.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { findChromium, launchChromium } from '../support/browser'
import { freePort } from '../support/ports'
import { leftovers, processTree, settle } from '../smoke/leftovers'
import { smokeSteps } from '../smoke/steps'

const chromiumPath = findChromium()
if (!chromiumPath && process.env['CI']) throw new Error('CI must install Chromium (apt-get install chromium)')

/** `npm run preview:web`'s own process (without the build step), on a free port. */
function startPreviewProcess(): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/preview/serve.ts', '--port', '0'], {
    env: { ...process.env, XDG_CONFIG_HOME: mkdtempSync(join(tmpdir(), 'lab-quit-')) },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  return new Promise((resolve, reject) => {
    let out = ''
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString()
      const url = /http:\/\/127\.0\.0\.1:\d+\/\?token=\w+/.exec(out)?.[0]
      if (url) resolve({ child, url })
    })
    child.once('exit', (code) => reject(new Error(`preview exited with ${code}: ${out}`)))
  })
}

/** Listen(128) from the Backlog panel and add 99 clients: 101 sockets in the lab. */
async function open100(page: Page): Promise<number> {
  const port = await freePort()
  await page.getByTestId('tab-backlog').click()
  await page.getByTestId('backlog-port').fill(String(port))
  await page.getByTestId('backlog-n').fill('128')
  await page.getByTestId('backlog-start').click()
  await page.getByTestId('backlog-count').fill('99')
  await page.getByTestId('backlog-add').click()
  // Both ends of each connection are on this machine: 99 client sockets, 99 server-side ones.
  await expect.poll(async () => (await leftovers([], [port])).length, { timeout: 20_000 }).toBeGreaterThanOrEqual(199)
  return port
}

// Windows has no SIGTERM to quit by; the release workflow's smoke test quits the real app there.
describe.skipIf(!chromiumPath || process.platform === 'win32')('quit and reload leave nothing behind', () => {
  let browser: Browser
  let preview: { child: ChildProcess; url: string }
  beforeAll(async () => {
    preview = await startPreviewProcess()
    browser = await launchChromium(chromiumPath!)
  })
  afterAll(async () => {
    await browser?.close()
    preview?.child.kill('SIGKILL')
  })

  it('reload with 100 sockets open closes them; quit with 100 open ends with none', async () => {
    const page = await browser.newPage({ locale: 'en-US', viewport: { width: 1400, height: 1000 } })
    await page.goto(preview.url)
    const { serverPort } = await smokeSteps(page)

    const first = await open100(page)
    await page.reload()
    await page.locator('.app[data-ready="true"]').waitFor()
    expect(await settle([], [serverPort, first])).toEqual([])

    await page.getByTestId('tab-chat').click()
    const again = await smokeSteps(page)
    const second = await open100(page)
    const pids = await processTree(preview.child.pid!)
    const exited = new Promise<number | null>((resolve) => preview.child.once('exit', resolve))
    preview.child.kill('SIGTERM')
    expect(await exited).toBe(0)
    expect(await settle(pids, [again.serverPort, second])).toEqual([])
  })
})
