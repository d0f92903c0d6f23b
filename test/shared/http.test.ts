import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { dechunk, header, httpGetRequest, redirectOf, splitHttp, suggestFileName } from '../../src/shared/http'

const enc = (s: string): Uint8Array => new TextEncoder().encode(s)
const dec = (b: Uint8Array): string => new TextDecoder().decode(b)

describe('splitHttp', () => {
  it('splits at the first blank line, as data.split(b"\\r\\n\\r\\n", 1) does', () => {
    const r = splitHttp(
      enc('HTTP/1.0 200 OK\r\nContent-Type: text/html\r\nContent-Length: 13\r\n\r\n<p>a\r\n\r\nb</p>'),
    )
    expect(r.status).toEqual({ version: 'HTTP/1.0', code: 200, reason: 'OK' })
    expect(header(r, 'content-type')).toBe('text/html')
    expect(r.contentLength).toBe(13)
    expect(dec(r.body)).toBe('<p>a\r\n\r\nb</p>')
    expect(r.separated).toBe(true)
    expect(suggestFileName(r)).toBe('index.html')
  })

  it('undoes chunked transfer coding and keeps the raw size', () => {
    const raw = '5\r\nHello\r\n8;ext=1\r\n, 世界\r\n0\r\n\r\n'
    const r = splitHttp(enc(`HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n${raw}`))
    expect(r.chunked).toBe(true)
    expect(dec(r.body)).toBe('Hello, 世界')
    expect(r.rawBodyBytes).toBe(enc(raw).length)
  })

  it('keeps a cut-short chunked body up to where it stopped, and rejects garbage sizes', () => {
    expect(dec(dechunk(enc('5\r\nHello\r\n9\r\nabc'))!)).toBe('Helloabc')
    expect(dechunk(enc('zz\r\nHello\r\n'))).toBeUndefined()
  })

  it('says when there is no blank line (not HTTP, or cut short)', () => {
    const r = splitHttp(enc('SSH-2.0-OpenSSH\r\n'))
    expect(r.separated).toBe(false)
    expect(r.status).toBeUndefined()
    expect(r.body.length).toBe(0)
  })

  it('never throws, and header + separator + raw body is the whole input', () => {
    // Random bytes, and responses built as a server writes them: a head without a blank line,
    // the separator, then any body (blank lines in it included). Both branches are generated.
    const crlf = fc.constantFrom('\r\n', 'a', 'X-Y: z', '\r\n\r\n', '')
    const noBlankLine = (h: string): string => (h.includes('\r\n\r\n') ? noBlankLine(h.replace('\r\n\r\n', '\r\n')) : h)
    const head = fc
      .array(fc.oneof(fc.stringMatching(/^[ -~]{0,20}$/), fc.constant('\r\n')), { maxLength: 8 })
      .map((parts) => noBlankLine('HTTP/1.1 200 OK\r\n' + parts.join('')))
      // ending in CR or CRLF, the head would meet the separator in an earlier blank line
      .filter((h) => !h.endsWith('\r') && !h.endsWith('\r\n'))
    const response = fc
      .tuple(head, fc.array(fc.oneof(crlf, fc.string({ maxLength: 10 })), { maxLength: 10 }))
      .map(([h, body]) => ({ bytes: enc(`${h}\r\n\r\n${body.join('')}`), headLen: enc(h).length }))
    let separated = 0
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 300 }).map((bytes) => ({ bytes, headLen: -1 })),
          response,
        ),
        ({ bytes, headLen }) => {
          const r = splitHttp(bytes)
          if (r.separated) separated++
          expect(r.separated ? r.head.length + 4 + r.rawBodyBytes : r.head.length).toBe(bytes.length)
          if (headLen >= 0) expect(r.head.length).toBe(headLen) // split at the first blank line
        },
      ),
    )
    expect(separated).toBeGreaterThan(10)
  })

  it('builds the course request and picks a file name from the path', () => {
    expect(httpGetRequest('example.com')).toBe('GET / HTTP/1.1\r\nHost: example.com\r\nConnection: close\r\n\r\n')
    expect(suggestFileName(splitHttp(enc('HTTP/1.0 200 OK\r\n\r\n')), '/files/report.pdf?x=1')).toBe('report.pdf')
  })
})

describe('redirectOf', () => {
  const res = (head: string) => splitHttp(new TextEncoder().encode(`${head}\r\n\r\n`))
  it('a 301 to https:// as URL parts (the port https implies); other codes, or no http(s) Location, are none', () => {
    expect(redirectOf(res('HTTP/1.1 301 Moved Permanently\r\nLocation: https://www.jd.com/'))).toEqual({
      https: true,
      host: 'www.jd.com',
      port: 443,
      path: '/',
      location: 'https://www.jd.com/',
    })
    expect(redirectOf(res('HTTP/1.1 302 Found\r\nLocation: http://[::1]:8080/a?b=1'))).toMatchObject({
      https: false,
      host: '::1',
      port: 8080,
      path: '/a?b=1',
    })
    expect(redirectOf(res('HTTP/1.1 200 OK\r\nLocation: https://x/'))).toBeUndefined()
    expect(redirectOf(res('HTTP/1.1 301 Moved\r\nLocation: ftp://x/'))).toBeUndefined()
    expect(redirectOf(res('HTTP/1.1 301 Moved\r\nLocation: /relative'))).toBeUndefined()
  })
})
