/**
 * The UDP panel in Chromium over the preview bridge: two sockets bound from the UI, datagrams
 * both ways with their boundaries and sender addresses, a Python peer, connected vs unconnected
 * sends to nobody, the TCP comparison and the loss experiment.
 */
import type { Locator, Page } from 'playwright-core'
import { beforeEach, describe, expect, it } from 'vitest'
import { findChromium } from '../support/browser'
import { usePreviewPage } from '../support/preview-page'
import { freeUdpPort } from '../support/ports'
import { runPython } from '../support/python'

const chromiumPath = findChromium()
if (!chromiumPath && process.env['CI']) throw new Error('CI must install Chromium (apt-get install chromium)')

describe.skipIf(!chromiumPath)('the UDP panel', () => {
  const session = usePreviewPage(chromiumPath!, { viewport: { width: 1400, height: 1000 } })
  let page: Page
  beforeEach(async () => {
    page = session.page
    await page.getByTestId('tab-udp').click()
  })
  const cards = (): Locator => page.getByTestId('udp-socket')
  const local = async (card: Locator) => (await card.getByTestId('udp-local').textContent())!
  const received = (card: Locator) => card.locator('li.in').allTextContents()

  async function send(card: Locator, message: string, opts: { port?: string; repeat?: number; seq?: boolean } = {}) {
    if (opts.port) await card.getByTestId('udp-to-port').fill(opts.port)
    await card.getByTestId('udp-message').fill(message)
    await card.getByTestId('udp-repeat').fill(String(opts.repeat ?? 1))
    if (opts.seq) await card.getByTestId('udp-seq').check()
    await card.getByTestId('udp-send').click()
  }

  it('a sender and a receiver: boundaries kept, sender addresses shown, both ways; a Python peer too', async () => {
    await page.getByTestId('udp-pair').click()
    await expect.poll(() => cards().count()).toBe(2)
    const [rx, tx] = [cards().nth(0), cards().nth(1)]
    const [rxAddr, txAddr] = [await local(rx), await local(tx)]
    await send(tx, 'one', { repeat: 3, seq: true })
    await expect.poll(() => received(rx)).toHaveLength(3)
    const got = await received(rx)
    expect(got.map((g) => /recvfrom (\d+)/.exec(g)![1])).toEqual(['6', '6', '6']) // three datagrams, never merged
    expect(got[0]).toContain(`from ${txAddr}`)
    expect(got.join('|')).toMatch(/#1 one.*#2 one.*#3 one/)
    await send(rx, 'back', { port: txAddr.split(':')[1] })
    await expect.poll(() => received(tx)).toEqual([expect.stringContaining(`from ${rxAddr}`)])
    // the datagram size is shown before sending, and the OS's own error for an oversized one
    await tx.getByTestId('udp-seq').uncheck()
    await tx.getByTestId('udp-repeat').fill('1')
    await tx.getByTestId('udp-message').fill('x'.repeat(65_508))
    expect(await tx.getByTestId('udp-size').textContent()).toContain('65508 bytes')
    await tx.getByTestId('udp-send').click()
    await expect.poll(() => tx.getByTestId('error-note').last().textContent()).toContain('EMSGSIZE')
    // a Python script in the course's style
    const py = await runPython(
      `import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.sendto('小文的信'.encode('utf-8'), ('127.0.0.1', int(sys.argv[1])))`,
      [rxAddr.split(':')[1]!],
    )
    expect(py.code).toBe(0)
    await expect.poll(async () => (await received(rx)).join('|')).toContain('小文的信')
  })

  it('to a port where nobody listens: unconnected hears nothing, connected gets ECONNREFUSED', async () => {
    await page.getByTestId('udp-bind').click()
    await page.getByTestId('udp-bind').click()
    await expect.poll(() => cards().count()).toBe(2)
    const [a, b] = [cards().nth(0), cards().nth(1)]
    const nobody = String(await freeUdpPort()) // nobody listens here
    await send(a, 'anyone?', { port: nobody })
    await b.getByTestId('udp-to-port').fill(nobody)
    await b.getByTestId('udp-connect').click()
    await expect.poll(() => b.getByTestId('udp-connected').textContent()).toContain(`127.0.0.1:${nobody}`)
    await send(b, 'anyone?')
    await expect.poll(() => b.locator('[data-mark="error"]').textContent()).toContain('ECONNREFUSED')
    // UDP words for UDP: an ICMP reply, not a RST; a bind, not a listen; connect() without a handshake
    await expect.poll(() => b.getByTestId('error-note').textContent()).toContain('ICMP “port unreachable”')
    expect(await b.getByTestId('error-note').textContent()).not.toContain('RST')
    const log = await page.getByTestId('event-log').textContent()
    expect(log).toContain('bound to 127.0.0.1:')
    expect(log).not.toContain('listening on')
    expect(log).toContain(`connect(): default peer 127.0.0.1:${nobody}, no handshake`)
    await page.waitForTimeout(200)
    expect(await a.locator('[data-mark="error"]').count()).toBe(0)
  })

  it('the log follows the tab: the UDP tab shows UDP events; every panel’s when asked', async () => {
    await page.getByTestId('udp-bind').click()
    await expect.poll(() => cards().count()).toBe(1)
    const log = page.getByTestId('event-log')
    await expect.poll(() => log.locator('.log-row').count()).toBeGreaterThan(0)
    await page.getByTestId('tab-chat').click()
    await page.getByTestId('server-port').fill('0')
    await page.getByTestId('server-start').click()
    await page.getByTestId('server-card').waitFor()
    const ids = () => log.locator('.log-row .sid').allTextContents()
    await expect.poll(async () => (await ids()).every((id) => id.startsWith('S'))).toBe(true) // the chat tab: its server (S1)
    await page.getByTestId('tab-udp').click()
    await expect.poll(async () => (await ids()).every((id) => id.startsWith('U'))).toBe(true)
    await log.getByTestId('log-this-tab').uncheck()
    await expect.poll(async () => (await ids()).some((id) => id.startsWith('S'))).toBe(true)
  })

  it('a pair: the cards say which end receives and which sends', async () => {
    await page.getByTestId('udp-pair').click()
    await expect.poll(() => cards().count()).toBe(2)
    expect(await cards().getByTestId('udp-role').allTextContents()).toEqual(['receiver', 'sender'])
  })

  it('compare with TCP: five datagrams stay five; over TCP they are merged', async () => {
    await page.getByTestId('compare-run').click()
    await expect.poll(() => page.getByTestId('compare-udp').locator('li').count()).toBe(5)
    await expect
      .poll(() => page.getByTestId('compare-tcp').locator('li').allTextContents())
      .toEqual(['recv 30 hello;hello;hello;hello;hello;'])
  })

  it('loss made real: drops counted from the sequence', async () => {
    await page.getByTestId('flood-count').fill('20000')
    await page.getByTestId('flood-burst').fill('5000')
    await page.getByTestId('flood-run').click()
    const result = page.getByTestId('flood-result')
    await expect.poll(() => result.getAttribute('data-lost'), { timeout: 20_000 }).not.toBeNull()
    const lost = Number(await result.getAttribute('data-lost'))
    const got = Number(await result.getAttribute('data-received'))
    expect(lost).toBeGreaterThan(0)
    expect(lost + got).toBe(20_000)
  })
})
