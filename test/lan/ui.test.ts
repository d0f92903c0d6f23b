/**
 * The app itself in the teacher's host of a LAN of network namespaces: the browser preview and
 * Chromium both run inside that host, so the page sees the host's own interfaces. What the teacher
 * reads off the screen is the LAN's: the address students connect to, the subnet's broadcast
 * address; a student's course client connects to it from its own machine.
 */
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { findChromium, launchChromium } from '../support/browser'
import { createLan, follow, lanTier, type Lan } from '../support/lan'

const why = lanTier()
const chromium = findChromium()
if (!chromium && process.env['CI']) throw new Error('CI must install Chromium (apt-get install chromium)')

describe.skipIf(!!why || !chromium)('the app in the teacher’s host of a LAN', () => {
  let lan: Lan
  let browser: Browser
  let page: Page
  const dir = mkdtempSync(join(tmpdir(), 'lan-ui-'))
  beforeAll(async () => {
    lan = createLan(2)
    const preview = follow(
      lan.start(lan.teacher, process.execPath, ['--import', 'tsx', 'src/preview/serve.ts', '--port', '0'], {
        XDG_CONFIG_HOME: dir,
      }),
    )
    for (let i = 0; i < 200 && !preview.out.some((l) => l.includes('http://')); i++)
      await new Promise((r) => setTimeout(r, 25))
    const url = preview.out.find((l) => l.includes('http://'))!.trim()
    // Chromium in the same host: the page's 127.0.0.1 is the teacher's own
    const wrapper = join(dir, 'chromium-in-teacher.sh')
    writeFileSync(wrapper, `#!/bin/sh\nexec ip netns exec ${lan.teacher.ns} ${chromium} "$@"\n`)
    chmodSync(wrapper, 0o755)
    browser = await launchChromium(wrapper)
    page = await browser.newPage({ locale: 'en-US', viewport: { width: 1400, height: 1000 } })
    await page.goto(url)
    await page.locator('.app[data-ready="true"]').waitFor()
  })
  afterAll(async () => {
    await browser?.close()
    lan?.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('the chat server card bound to 0.0.0.0 tells students the teacher’s LAN address, and a student connects to it', async () => {
    await page.getByTestId('tab-chat').click()
    await page.getByTestId('bind-host').first().selectOption('0.0.0.0')
    await page.getByTestId('server-port').fill('9999')
    await page.getByTestId('server-start').click()
    await expect.poll(() => page.getByTestId('reach-at').textContent()).toContain(`${lan.teacher.ip}:9999`)
    const student = lan.students[0]!
    const py = follow(
      lan.python(
        student,
        `import socket\ns = socket.create_connection(('${lan.teacher.ip}', 9999), 5)\ns.send(b'hi')\nprint(s.recv(100))\ns.close()\n`,
      ),
    )
    expect(await py.exited).toBe(0)
    await expect.poll(() => page.getByTestId('server-card').textContent()).toContain(student.ip)
  })

  it('the UDP panel offers the subnet’s broadcast address to send to', async () => {
    await page.getByTestId('tab-udp').click()
    await page.getByTestId('udp-broadcast').check()
    await page.getByTestId('udp-bind').click()
    await expect
      .poll(() =>
        page.locator('#udp-broadcasts option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value)),
      )
      .toContain(lan.broadcast)
  })

  it('the Addresses tab’s neighbour table has the student who connected, with its MAC, marked as the lab’s peer', async () => {
    const student = lan.students[0]!
    await page.getByTestId('tab-addresses').click()
    const row = page.locator(`[data-testid="neighbors"] tr[data-ip="${student.ip}"]`)
    await expect.poll(() => row.count()).toBe(1)
    expect(await row.textContent()).toContain(student.mac)
    expect(await row.getByTestId('neighbor-peer').textContent()).toContain('A1')
  })

  it('a row that appears while the tab is shown is highlighted as learned just now, by the socket that talked to it', async () => {
    const other = lan.students[1]!
    await page.getByTestId('tab-chat').click()
    const py = follow(
      lan.python(
        other,
        `import socket\ns = socket.create_connection(('${lan.teacher.ip}', 9999), 5)\ns.send(b'hi')\nimport time\ntime.sleep(3)\n`,
      ),
    )
    await expect.poll(() => page.getByTestId('server-card').textContent()).toContain(other.ip)
    await page.getByTestId('tab-addresses').click()
    // the table was read before this student's first packet: its row is news
    const row = page.locator(`[data-testid="neighbors"] tr[data-ip="${other.ip}"]`)
    await expect.poll(() => row.count()).toBe(1)
    expect(await row.getByTestId('neighbor-peer').textContent()).toContain('A2')
    expect(await row.getByTestId('neighbor-learned').textContent()).toMatch(
      new RegExp(`learned just now, when .*A2.* talked to ${other.ip.replace(/\./g, '\\.')}`),
    )
    // the student already there is not news
    expect(await page.locator(`tr[data-ip="${lan.students[0]!.ip}"]`).getByTestId('neighbor-learned').count()).toBe(0)
    void py.exited
  })
})
