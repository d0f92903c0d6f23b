/**
 * HTTPS in the HTTP GET demo, in Chromium over the preview: a plain server that redirects to
 * https:// (as nearly every site does) explained and followed with one click; the TLS server's
 * self-signed certificate refused with why, then read anyway when the user says so, the
 * handshake card beside the header and body.
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeEach, describe, expect, it } from 'vitest'
import { violations } from '../support/axe'
import { findChromium } from '../support/browser'
import { usePreviewPage } from '../support/preview-page'
import { startPython } from '../support/python'
import { opensslCert } from '../support/certs'

const chromiumPath = findChromium()
if (!chromiumPath && process.env['CI']) throw new Error('CI must install Chromium (apt-get install chromium)')
const openssl = spawnSync('sh', ['-c', 'command -v openssl']).status === 0
const dir = mkdtempSync(join(tmpdir(), 'https-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const SERVERS = `import http.server, ssl, sys, threading
cert, key = sys.argv[1], sys.argv[2]
class Page(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = '<h1>你好, HTTPS</h1>'.encode()
        self.send_response(200); self.send_header('Content-Length', str(len(body))); self.send_header('Connection', 'close'); self.end_headers(); self.wfile.write(body)
    def log_message(self, *a): pass
secure = http.server.HTTPServer(('127.0.0.1', 0), Page)
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER); ctx.load_cert_chain(cert, key)
secure.socket = ctx.wrap_socket(secure.socket, server_side=True)
class Moved(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(301); self.send_header('Location', 'https://127.0.0.1:%d/index.html' % secure.server_address[1]); self.send_header('Content-Length', '0'); self.send_header('Connection', 'close'); self.end_headers()
    def log_message(self, *a): pass
plain = http.server.HTTPServer(('127.0.0.1', 0), Moved)
for s in (secure, plain): threading.Thread(target=s.serve_forever, daemon=True).start()
print(plain.server_address[1], flush=True)
threading.Event().wait()
`

describe.skipIf(!chromiumPath || !openssl)('HTTPS in the HTTP GET demo', () => {
  const session = usePreviewPage(chromiumPath!, { viewport: { width: 1400, height: 1000 } })
  let page: Page
  beforeEach(() => {
    page = session.page
  })

  it('a redirect to https:// explained and followed; a self-signed site refused with why, then read anyway', async () => {
    const { cert, key } = opensslCert(dir, '127.0.0.1', 'IP:127.0.0.1')
    const py = startPython(SERVERS, [cert, key])
    try {
      const port = await py.firstLine
      await page.getByTestId('client-preset').selectOption('http')
      await page.getByTestId('http-port').fill(port)
      await page.getByTestId('http-fetch-go').click()
      const hint = page.getByTestId('http-redirect')
      await expect.poll(() => hint.textContent(), { timeout: 10_000 }).toContain('moved to HTTPS')
      await page.getByTestId('http-follow').click()
      // the site's certificate is its own: the system's CAs do not know it
      await expect
        .poll(() => page.getByTestId('http-fetch').textContent(), { timeout: 10_000 })
        .toContain('DEPTH_ZERO_SELF_SIGNED_CERT')
      expect(await page.getByTestId('http-https').isChecked()).toBe(true)
      await page.getByTestId('http-insecure').check()
      await page.getByTestId('http-fetch-go').click()
      await expect
        .poll(() => page.getByTestId('http-body').textContent(), { timeout: 10_000 })
        .toBe('<h1>你好, HTTPS</h1>')
      expect(await page.getByTestId('http-head').textContent()).toContain('HTTP/1.0 200 OK')
      const card = page.getByTestId('http-fetch').getByTestId('tls-card')
      expect(await card.getAttribute('data-authorized')).toBe('false')
      expect(await card.textContent()).toContain('TLSv1.3')
      expect(await violations(page)).toEqual([])
    } finally {
      py.child.kill()
    }
  })
})
