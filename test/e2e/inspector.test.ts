/**
 * The socket inspector in Chromium over the preview bridge: a connection opened and closed from
 * the UI, seen in the operating system's own table with the states the course teaches.
 */
import type { Page } from 'playwright-core'
import { beforeEach, describe, expect, it } from 'vitest'
import { findChromium } from '../support/browser'
import { chatPair, usePreviewPage } from '../support/preview-page'
import { startPython } from '../support/python'
import { readGateway } from '../../src/main/engine/inspector/gateway'

const chromiumPath = findChromium()
if (!chromiumPath && process.env['CI']) throw new Error('CI must install Chromium (apt-get install chromium)')

describe.skipIf(!chromiumPath || process.platform !== 'linux')('the socket inspector (Linux: /proc/net)', () => {
  const session = usePreviewPage(chromiumPath!, { viewport: { width: 1400, height: 1000 } })
  let page: Page
  beforeEach(() => {
    page = session.page
  })

  it('open a connection from the UI, close it, see ESTABLISHED, FIN_WAIT2 / CLOSE_WAIT, then TIME_WAIT and the close drawn', async () => {
    await chatPair(page)
    const client = page.locator('.column').nth(1).getByTestId('conversation')
    await expect.poll(() => client.locator('[data-state]').first().getAttribute('data-state')).toBe('open')
    const clientId = await client.getAttribute('data-socket')

    await page.getByTestId('tab-inspector').click()
    await expect.poll(() => page.getByTestId('inspector-source').textContent()).toContain('/proc/net')
    const rows = page.getByTestId('os-row')
    // a connection's two ends are rows side by side, under the server that accepted it
    await expect
      .poll(async () => await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-state'))))
      .toEqual(['LISTEN', 'ESTABLISHED', 'ESTABLISHED'])
    const mine = page.locator(`[data-testid="os-row"][data-lab="${clientId}"]`)
    await mine.click()
    await expect
      .poll(() => page.getByTestId('arrow').evaluateAll((els) => els.map((e) => e.getAttribute('data-label'))))
      .toEqual(['SYN', 'SYN+ACK', 'ACK'])

    // close from the client: the plain server does not close on EOF, so it waits in CLOSE_WAIT
    await page.getByTestId('tab-chat').click()
    await client.getByTestId('close').click()
    const serverSide = page.getByTestId('server-card').getByTestId('conversation')
    const connId = await serverSide.getAttribute('data-socket')
    await page.getByTestId('tab-inspector').click()
    await expect.poll(() => mine.getAttribute('data-state'), { timeout: 10_000 }).toBe('FIN_WAIT2')
    const theirs = page.locator(`[data-testid="os-row"][data-lab="${connId}"]`)
    await expect.poll(() => theirs.getAttribute('data-state')).toBe('CLOSE_WAIT')
    await theirs.click()
    await expect.poll(() => page.getByTestId('state-hint').textContent()).toContain('should close now')
    // the server side closes too, from the inspector's own button: the client, which closed
    // first, is left in TIME_WAIT; the server's end leaves the table and is kept, greyed
    await page.getByTestId('inspector-close').click()
    await expect.poll(() => mine.getAttribute('data-state'), { timeout: 10_000 }).toBe('TIME_WAIT')
    await expect.poll(() => theirs.getAttribute('data-gone'), { timeout: 10_000 }).toBe('true')
    expect(await theirs.getAttribute('data-state')).toBe('CLOSED')
    await mine.click()
    await expect.poll(() => page.getByTestId('state-hint').textContent()).toContain('TIME_WAIT')
    // the textbook's drawing: client left, server right, the states each end was seen in
    const drawn = () =>
      page
        .getByTestId('arrow')
        .evaluateAll((els) => els.map((e) => `${e.getAttribute('data-from')} ${e.getAttribute('data-label')}`))
    const textbook = [
      'client SYN',
      'server SYN+ACK',
      'client ACK',
      'client FIN',
      'server ACK',
      'server FIN',
      'client ACK',
    ]
    await expect.poll(drawn).toEqual(textbook)
    const states = (end: string) => page.getByTestId(`${end}-state`).allTextContents()
    expect((await states('client')).map((s) => s.trim())).toEqual(
      expect.arrayContaining(['ESTABLISHED', 'FIN_WAIT2', 'TIME_WAIT']),
    )
    expect((await states('server')).map((s) => s.trim())).toEqual(expect.arrayContaining(['CLOSE_WAIT']))
    // the same connection picked at the server's end is drawn the same way round
    await theirs.click()
    await expect.poll(drawn).toEqual(textbook)
    await mine.click()
    expect(await page.getByTestId('timeline').textContent()).toContain('OS: TIME_WAIT')

    // the course's subnet example, with the bits, on the Addresses tab
    await page.getByTestId('tab-addresses').click()
    await page.getByTestId('subnet-b').fill('172.16.11.2')
    expect(await page.getByTestId('subnet-result').textContent()).toContain('Different subnets')
    expect(await page.getByTestId('subnet-bits').textContent()).toContain('10101100.00010000.00001011.00000010')
    await expect.poll(() => page.getByTestId('interface').count()).toBeGreaterThan(0)
    // seed 000's ipconfig -all facts: the default gateway (as this machine's route table has it),
    // its ARP row marked, and the DNS servers
    const gw = await readGateway()
    const shown = page.getByTestId('gateway')
    if (gw) {
      await expect.poll(() => shown.textContent()).toContain(gw.address)
      const row = page.locator(`[data-testid="neighbors"] tr[data-ip="${gw.address}"]`)
      if (await row.count()) expect(await row.getByTestId('neighbor-gateway').textContent()).toContain('gateway')
    } else await expect.poll(() => shown.textContent()).toContain('none')
    expect(await page.getByTestId('dns-servers').textContent()).not.toBe('')
  })

  it('records a connection made while another tab was shown (the HTTP GET): its row opens, with the states the OS showed', async () => {
    // the page comes 1.5 s after the request: out of sight the inspector reads at most once a
    // second, and a connection of a few milliseconds can fall between two readings (measured:
    // one run in three with a server that answers at once)
    const slow = startPython(
      `import http.server, time
class Slow(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        time.sleep(1.5)
        body = '<html><body>京东</body></html>\\n'.encode()
        self.send_response(200); self.send_header('Content-Length', str(len(body))); self.end_headers(); self.wfile.write(body)
    def log_message(self, *a): pass
s = http.server.HTTPServer(('127.0.0.1', 0), Slow)
print(s.server_address[1], flush=True)
s.serve_forever()`,
    )
    const server = { port: Number(await slow.firstLine), stop: async () => (slow.stop(), await slow.exited) }
    try {
      await page.getByTestId('client-preset').selectOption('http')
      await page.getByTestId('http-port').fill(String(server.port))
      await page.getByTestId('http-fetch-go').click()
      await expect
        .poll(() => page.getByTestId('http-head').textContent(), { timeout: 10_000 })
        .toMatch(/^HTTP\/1\.0 200 OK/)
      // the inspector was never shown: its readings went on while the lab had a TCP socket
      await page.getByTestId('tab-inspector').click()
      const row = page.locator('[data-testid="os-row"][data-lab^="c"]').first()
      await row.click()
      const timeline = page.getByTestId('timeline')
      await expect.poll(() => timeline.locator('li.os').count()).toBeGreaterThan(0)
      const states = await timeline.locator('li.os').allTextContents()
      // a state read while the connection was open or closing, not only after it was gone
      expect(states.join(' ')).toMatch(/ESTABLISHED|FIN_WAIT|TIME_WAIT|CLOSE_WAIT|LAST_ACK/)
      expect(await page.getByTestId('inspector-detail').isVisible()).toBe(true)
      // the server's end is a peer row (python's socket): it opens the lab's connection too
      const peer = page.locator('[data-testid="os-row"]:not([data-lab])', { hasText: String(server.port) }).first()
      if (await peer.count()) {
        await peer.click()
        expect(await page.getByTestId('inspector-detail').isVisible()).toBe(true)
      }
    } finally {
      await server.stop()
    }
  })

  it('a chat server and the backlog demo’s server are both S1 on their tabs: the inspector tells them apart', async () => {
    await page.getByTestId('server-port').fill('0')
    await page.getByTestId('server-mode').selectOption('plain')
    await page.getByTestId('server-start').click()
    await page.getByTestId('tab-backlog').click()
    await page.getByTestId('backlog-port').fill('0')
    await page.getByTestId('backlog-start').click()
    await expect.poll(() => page.getByTestId('backlog-stop').isEnabled()).toBe(true)
    await page.getByTestId('tab-inspector').click()
    const owners = () => page.locator('[data-testid="os-row"] td:last-child strong').allTextContents()
    await expect.poll(owners).toEqual(expect.arrayContaining(['Chat S1', 'Queue S1']))
    const names = await owners()
    expect(new Set(names).size).toBe(names.length)
  })

  it('a peer in CLOSE_WAIT that has not read the FIN: its Recv-Q of 1 is shown as the FIN, not an unread byte', async () => {
    await page.getByTestId('server-port').fill('0')
    await page.getByTestId('server-mode').selectOption('plain')
    await page.getByTestId('server-start').click()
    const port = (await page.getByTestId('server-card').locator('.tuple').first().textContent())!.split(':').at(-1)!
    // a student's script that connects and then only sleeps: it never reads the server's FIN
    const py = startPython(
      `import socket, sys, time
s = socket.create_connection(('127.0.0.1', int(sys.argv[1])))
print('connected', flush=True)
time.sleep(30)`,
      [port],
    )
    try {
      await py.firstLine
      const conn = page.getByTestId('server-card').getByTestId('conversation')
      await expect.poll(() => conn.count()).toBe(1)
      const connId = (await conn.getAttribute('data-socket'))!
      await page.getByTestId('tab-inspector').click()
      await page.locator(`[data-testid="os-row"][data-lab="${connId}"]`).click()
      await page.getByTestId('inspector-close').click()
      const peer = page.locator('[data-testid="os-row"][data-state="CLOSE_WAIT"]:not([data-lab])')
      await expect.poll(() => peer.count(), { timeout: 10_000 }).toBe(1)
      expect(await peer.getByTestId('recvq-fin').textContent()).toContain('+ FIN')
      expect(await peer.getByTestId('recvq-fin').getAttribute('title')).toContain('No byte is left unread')
    } finally {
      py.stop()
    }
  })
})
