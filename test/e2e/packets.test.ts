/**
 * The Packets tab in Chromium over the preview bridge (CI runs as root: capture is permitted):
 * a chat connection's real handshake listed with relative seq/ack and drawn layer by layer, a
 * recorded LAN lesson's ARP in words, a corrupt file's message, the not-permitted state with
 * this OS's fix (capture forced off by a capturer that may not run), axe clean.
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeEach, describe, expect, it } from 'vitest'
import { violations } from '../support/axe'
import { findChromium, launchChromium } from '../support/browser'
import { until } from '../support/until'
import { chatPair, usePreviewPage } from '../support/preview-page'

const chromiumPath = findChromium()
if (!chromiumPath && process.env['CI']) throw new Error('CI must install Chromium (apt-get install chromium)')
const root = process.getuid?.() === 0
const tshark = spawnSync('sh', ['-c', 'command -v tshark']).status === 0

const rowsOf = (page: Page) =>
  page
    .getByTestId('packet-row')
    .evaluateAll((els) =>
      els.map(
        (e) =>
          `${e.getAttribute('data-flags') ?? e.getAttribute('data-proto')} ${e.getAttribute('data-seq')} ${e.getAttribute('data-ack')}`,
      ),
    )

describe.skipIf(!chromiumPath)('the Packets tab', () => {
  const session = usePreviewPage(chromiumPath!, { viewport: { width: 1400, height: 1000 } })
  let page: Page
  beforeEach(() => {
    page = session.page
  })

  it.skipIf(process.platform !== 'linux' || !root)(
    'a chat connection’s real handshake: SYN, SYN+ACK, ACK with relative seq/ack, the layers in the seeds’ words, MSS',
    async () => {
      await page.getByTestId('tab-packets').click()
      await page.getByTestId('packet-start').click()
      await expect.poll(() => page.getByTestId('packet-status').getAttribute('data-state')).toBe('waiting')
      await page.getByTestId('tab-chat').click()
      await chatPair(page)
      await page.getByTestId('tab-packets').click()
      await expect.poll(() => page.getByTestId('packet-status').getAttribute('data-state')).toBe('capturing')
      await expect
        .poll(async () => (await rowsOf(page)).slice(0, 3), { timeout: 10_000 })
        .toEqual(['SYN 0 0', 'SYN,ACK 0 1', 'ACK 1 1'])
      const syn = page.getByTestId('packet-row').first()
      expect(await syn.getAttribute('title')).toMatch(/^seq \d+ ack 0 as on the wire$/)
      expect(await syn.textContent()).toContain('asks to connect')
      await syn.click()
      const layers = page.getByTestId('packet-layers')
      await expect.poll(() => layers.textContent()).toContain('Sequence number (seq)')
      const text = (await layers.textContent())!
      for (const words of ['Source IP', 'Destination port', 'Flags', 'MSS 65495', 'Window'])
        expect(text).toContain(words)
      // a field clicked lights its bytes in the hex
      await layers.locator('[data-field="tcp:dst port"]').click()
      expect(await page.getByTestId('packet-hex').locator('.lit').count()).toBe(2)
      // the keyboard: arrows move through the packets, Enter opens the layers
      await page.getByTestId('packet-list').focus()
      await page.keyboard.press('ArrowDown')
      await page.keyboard.press('Enter')
      await expect.poll(() => layers.textContent()).toContain('Layers of packet 2')
      expect(await violations(page)).toEqual([])
      // the inspector's diagram: the real segments, relative seq/ack, the absolute in the tooltip
      const clientId = await page
        .locator('[data-testid="packet-row"][data-flags="SYN"]')
        .first()
        .getAttribute('data-socket')
      await page.getByTestId('tab-inspector').click()
      await page.locator(`[data-testid="os-row"][data-lab="${clientId}"]`).click()
      await expect.poll(() => page.getByTestId('sequence-caption').getAttribute('data-measured')).toBe('true')
      const arrows = page.getByTestId('arrow')
      expect(
        (
          await arrows.evaluateAll((els) =>
            els.map(
              (e) => `${e.getAttribute('data-from')} ${e.getAttribute('data-label')} ${e.getAttribute('data-seq-ack')}`,
            ),
          )
        ).slice(0, 3),
      ).toEqual(['client SYN seq=0', 'server SYN+ACK seq=0 ack=1', 'client ACK seq=1 ack=1'])
      expect(await arrows.first().locator('title').textContent()).toMatch(
        /packet 1 in the Packets tab: seq \d+ as on the wire/,
      )
      await page.getByTestId('tab-packets').click()
      await page.getByTestId('packet-stop').click()
      await expect.poll(() => page.getByTestId('packet-status').getAttribute('data-state')).toBe('off')
    },
    40_000,
  )

  it.skipIf(process.platform !== 'linux' || !root)(
    'the UDP lesson: a datagram to a closed port and the ICMP port unreachable, counted on the socket’s card, listed in words',
    async () => {
      await page.getByTestId('tab-packets').click()
      await page.getByTestId('packet-start').click()
      await page.getByTestId('tab-udp').click()
      await page.getByTestId('udp-bind').click()
      const card = page.getByTestId('udp-socket').first()
      // port 9 (discard): nobody listens on it here
      await card.getByTestId('udp-to-host').fill('127.0.0.1')
      await card.getByTestId('udp-to-port').fill('9')
      await card.getByTestId('udp-message').fill('hello')
      // wait for the capturer to have this socket's port before sending
      await page.getByTestId('tab-packets').click()
      await expect
        .poll(() => page.getByTestId('packet-status').getAttribute('data-state'), { timeout: 10_000 })
        .toBe('capturing')
      await page.getByTestId('tab-udp').click()
      await card.getByTestId('udp-send').click()
      const link = card.getByTestId('packets-link')
      await expect.poll(() => link.getAttribute('data-count'), { timeout: 10_000 }).toBe('2')
      await link.click()
      await expect.poll(() => page.getByTestId('tab-packets').getAttribute('aria-selected')).toBe('true')
      const rows = page.getByTestId('packet-row')
      expect(await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-proto')))).toEqual(['udp', 'icmp'])
      expect(await rows.nth(1).textContent()).toContain('ICMP: port unreachable (127.0.0.1:9)')
      expect(await rows.nth(1).textContent()).toContain('ECONNREFUSED')
      await page.getByTestId('packet-stop').click()
    },
    40_000,
  )

  it('a recorded LAN lesson: the ARP broadcast and its answer in words, labelled as recorded', async () => {
    await page.getByTestId('tab-packets').click()
    await page.getByTestId('lesson-arp').click()
    await expect.poll(() => page.getByTestId('packet-source').getAttribute('data-kind')).toBe('lesson')
    expect(await page.getByTestId('packet-source').textContent()).toContain('Recorded, not from this machine')
    const rows = page.getByTestId('packet-row')
    await expect
      .poll(() => rows.first().textContent())
      .toMatch(/ARP: who has 10\.\d+\.\d+\.11\? tell 10\.\d+\.\d+\.1 \(broadcast\)/)
    expect(await rows.nth(1).textContent()).toMatch(/ARP: 10\.\d+\.\d+\.11 is at 02:00:0a:d5:00:01/)
    await page.getByTestId('packet-filter-arp').check()
    expect(await rows.count()).toBe(2)
    await rows.first().click()
    const layers = page.getByTestId('packet-layers')
    expect(await layers.textContent()).toContain('broadcast: every host on the LAN')
    expect(await violations(page)).toEqual([])
    // the payload as text, in the encoding chosen
    await page.getByTestId('packet-filter-all').check()
    await page.locator('[data-testid="packet-row"][data-flags="PSH,ACK"]').first().click()
    await expect.poll(() => page.getByTestId('packet-text').textContent()).toContain('hello')
    await page.getByTestId('packet-encoding').selectOption('gbk')
    expect(await page.getByTestId('packet-text').textContent()).toContain('hello')
    // dark, and a projector's 1024×640: still clean, the layers view not wider than the window
    await page.emulateMedia({ colorScheme: 'dark' })
    expect(await violations(page)).toEqual([])
    await page.setViewportSize({ width: 1024, height: 640 })
    await page.getByTestId('projector').click()
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true)
    await page.getByTestId('projector').click()
    await page.setViewportSize({ width: 1400, height: 1000 })
    await page.emulateMedia({ colorScheme: 'light' })
    // exported as pcapng: tshark reads the same packets
    await page.getByTestId('packet-filter-all').check()
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('packet-export').click()])
    const file = join(mkdtempSync(join(tmpdir(), 'packets-')), 'export.pcapng')
    await download.saveAs(file)
    if (tshark) {
      const lines = execFileSync('tshark', ['-r', file, '-T', 'fields', '-e', 'frame.protocols'], { encoding: 'utf8' })
      const protos = lines.trim().split('\n')
      expect(protos).toHaveLength(13)
      expect(protos.slice(0, 2)).toEqual(['eth:ethertype:arp', 'eth:ethertype:arp'])
    }
    rmSync(dirname(file), { recursive: true, force: true })
    // in Chinese, the seeds' words: 以太网, 源 MAC, 目标 IP, 序号 seq, 确认号 ack
    await page.evaluate(() => localStorage.setItem('socket-lab.locale', 'zh-CN'))
    await page.reload()
    await page.locator('.app[data-ready="true"]').waitFor()
    await page.getByTestId('tab-packets').click()
    await page.getByTestId('lesson-arp').click()
    await page.locator('[data-testid="packet-row"][data-flags="SYN"]').click()
    const zh = (await page.getByTestId('packet-layers').textContent())!
    for (const words of ['以太网', '源 MAC', '目标 IP', '序号 seq', '确认号 ack', '目标端口', 'MSS 1460'])
      expect(zh).toContain(words)
    expect(await page.getByTestId('packet-source').textContent()).toContain('录制的，不是本机抓到的')
    expect(await violations(page)).toEqual([])
  })

  it('a corrupt file: what could be read is listed, and the page says where it broke; not a capture at all: said too', async () => {
    await page.getByTestId('tab-packets').click()
    const { LESSONS } = await import('../../src/shared/pcap/lessons')
    const good = Buffer.from(LESSONS['handshake']!.base64, 'base64')
    // the handshake lesson cut inside a block near its end
    const cut = good.subarray(0, good.length - 150)
    await page
      .getByTestId('packet-open')
      .setInputFiles({ name: 'cut.pcapng', mimeType: 'application/octet-stream', buffer: cut })
    await expect.poll(() => page.getByTestId('packet-error').textContent()).toContain('could not be read further')
    expect(await page.getByTestId('packet-row').count()).toBeGreaterThan(3)
    expect(await page.getByTestId('packet-source').textContent()).toContain('cut.pcapng')
    await page.getByTestId('packet-open').setInputFiles({
      name: 'notes.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from('hello, not a capture\n'.repeat(10)),
    })
    await expect.poll(() => page.getByTestId('packet-error').textContent()).toContain('not a capture file')
    expect(await page.getByTestId('packet-row').count()).toBe(0)
    // the rest of the app still works
    await page.getByTestId('tab-chat').click()
    await page.getByTestId('tab-packets').click()
    await page.getByTestId('lesson-handshake').click()
    await expect.poll(() => page.getByTestId('packet-row').count()).toBe(10)
  })
})

const setpriv = ['/usr/bin/setpriv', '/bin/setpriv'].find((p) => existsSync(p))

describe.skipIf(!chromiumPath || process.platform !== 'linux' || !root || !setpriv)(
  'the Packets tab where this user may not capture (the preview run without CAP_NET_RAW)',
  () => {
    let preview: ChildProcess | undefined
    let browser: Browser | undefined
    afterAll(async () => {
      await browser?.close()
      preview?.kill('SIGTERM')
    })

    it('Start says why not and gives this OS’s one-time fix; a recorded lesson still opens', async () => {
      const caps = '-net_raw,-net_admin'
      preview = spawn(
        setpriv!,
        [
          `--bounding-set=${caps}`,
          `--inh-caps=${caps}`,
          process.execPath,
          '--import',
          'tsx',
          'src/preview/serve.ts',
          '--port',
          '0',
        ],
        { stdio: ['ignore', 'pipe', 'inherit'] },
      )
      let out = ''
      preview.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d))
      const url = await until(() => /http:\/\/127\.0\.0\.1:\d+\/?\S*/.exec(out)?.[0], 20_000)
      browser = await launchChromium(chromiumPath!)
      const page = await browser.newPage({ locale: 'en-US', viewport: { width: 1280, height: 900 } })
      await page.goto(url)
      await page.locator('.app[data-ready="true"]').waitFor()
      await page.getByTestId('tab-packets').click()
      // capture starts its capturer only with a lab socket: open one on the UDP tab
      await page.getByTestId('tab-udp').click()
      await page.getByTestId('udp-bind').first().click()
      await page.getByTestId('tab-packets').click()
      await page.getByTestId('packet-start').click()
      await expect
        .poll(() => page.getByTestId('packet-status').getAttribute('data-state'), { timeout: 10_000 })
        .toBe('refused')
      expect(await page.getByTestId('packet-status').textContent()).toMatch(
        /may not capture packets here \(.*(permission|not permitted)/i,
      )
      expect(await page.getByTestId('packet-fix').textContent()).toContain('sudo usermod -aG wireshark $USER')
      expect(await violations(page)).toEqual([])
      await page.getByTestId('lesson-handshake').click()
      await expect.poll(() => page.getByTestId('packet-row').count()).toBe(10)
    }, 60_000)
  },
)
