import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { dechunk, header, httpGetRequest, splitHttp, suggestFileName } from '../../src/shared/http'

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
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const r = splitHttp(bytes)
        const headLen = r.head.length
        expect(r.separated ? headLen + 4 + r.rawBodyBytes : headLen).toBe(bytes.length)
      }),
    )
  })

  it('builds the course request and picks a file name from the path', () => {
    expect(httpGetRequest('example.com')).toBe('GET / HTTP/1.1\r\nHost: example.com\r\nConnection: close\r\n\r\n')
    expect(suggestFileName(splitHttp(enc('HTTP/1.0 200 OK\r\n\r\n')), '/files/report.pdf?x=1')).toBe('report.pdf')
  })
})
