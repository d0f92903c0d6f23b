/**
 * The course's HTTP client step after `b''.join(buffer)`: split the response at the first blank
 * line (`data.split(b'\r\n\r\n', 1)`) into header and body. Also reads the status line and the
 * header fields, and undoes `Transfer-Encoding: chunked` (which an HTTP/1.1 server may use even
 * with `Connection: close`) so that the saved body is the page itself.
 */

export interface HttpResponse {
  /** The header block as text (HTTP headers are ASCII; other bytes come out as Latin-1). */
  head: string
  status?: { version: string; code: number; reason: string }
  headers: [name: string, value: string][]
  /** The body as it should be saved: de-chunked when the server chunked it. */
  body: Uint8Array
  /** Bytes after the blank line, as they came over the wire. */
  rawBodyBytes: number
  /** False when no blank line was found: the response is not HTTP, or it was cut short. */
  separated: boolean
  chunked: boolean
  /** Content-Length, when the server sent one; the body may be shorter if the stream was cut. */
  contentLength?: number
}

const CRLF2 = [13, 10, 13, 10]

function indexOfSeq(bytes: Uint8Array, seq: number[], from = 0): number {
  outer: for (let i = from; i <= bytes.length - seq.length; i++) {
    for (let j = 0; j < seq.length; j++) if (bytes[i + j] !== seq[j]) continue outer
    return i
  }
  return -1
}

function latin1(bytes: Uint8Array): string {
  let s = ''
  for (let i = 0; i < bytes.length; i += 8192) s += String.fromCharCode(...bytes.subarray(i, i + 8192))
  return s
}

export function header(res: HttpResponse, name: string): string | undefined {
  const n = name.toLowerCase()
  return res.headers.find(([k]) => k.toLowerCase() === n)?.[1]
}

export function splitHttp(bytes: Uint8Array): HttpResponse {
  const at = indexOfSeq(bytes, CRLF2)
  const headBytes = at < 0 ? bytes : bytes.subarray(0, at)
  const raw = at < 0 ? new Uint8Array(0) : bytes.subarray(at + 4)
  const head = latin1(headBytes)
  const [first = '', ...lines] = head.split('\r\n')
  const m = /^(HTTP\/\d(?:\.\d)?) (\d{3})(?: (.*))?$/.exec(first)
  const headers: [string, string][] = []
  for (const line of lines) {
    const colon = line.indexOf(':')
    if (colon > 0) headers.push([line.slice(0, colon).trim(), line.slice(colon + 1).trim()])
  }
  const res: HttpResponse = {
    head,
    headers,
    body: raw,
    rawBodyBytes: raw.length,
    separated: at >= 0,
    chunked: false,
  }
  if (m) res.status = { version: m[1]!, code: Number(m[2]), reason: m[3] ?? '' }
  const length = header(res, 'content-length')
  if (length !== undefined && /^\d+$/.test(length)) res.contentLength = Number(length)
  if (/\bchunked\b/i.test(header(res, 'transfer-encoding') ?? '')) {
    const body = dechunk(raw)
    if (body) {
      res.body = body
      res.chunked = true
    }
  }
  return res
}

/** Undoes chunked transfer coding; undefined when the bytes are not well-formed chunks. */
export function dechunk(raw: Uint8Array): Uint8Array | undefined {
  const parts: Uint8Array[] = []
  let pos = 0
  let total = 0
  for (;;) {
    const eol = indexOfSeq(raw, [13, 10], pos)
    if (eol < 0) break // cut short: keep what arrived whole
    const size = parseInt(latin1(raw.subarray(pos, eol)).split(';')[0]!.trim(), 16)
    if (!Number.isFinite(size) || size < 0) return undefined
    if (size === 0) break
    const start = eol + 2
    const end = Math.min(start + size, raw.length)
    parts.push(raw.subarray(start, end))
    total += end - start
    if (end < start + size) break
    pos = end + 2
  }
  const out = new Uint8Array(total)
  let o = 0
  for (const p of parts) {
    out.set(p, o)
    o += p.length
  }
  return out
}

/** The HTTP GET request of the course's client, for a host. */
export function httpGetRequest(host: string, path = '/'): string {
  return `GET ${path} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`
}

/** A file name to offer in the save dialog, from the request path and the content type. */
export function suggestFileName(res: HttpResponse, path = '/'): string {
  const last = path.split(/[?#]/)[0]!.split('/').pop()
  if (last && /^[\w.-]+\.\w+$/.test(last)) return last
  const type = header(res, 'content-type') ?? ''
  if (type.includes('html')) return 'index.html'
  if (type.includes('json')) return 'body.json'
  if (type.startsWith('text/')) return 'body.txt'
  return 'body.bin'
}

/** Where a redirect (301, 302, 303, 307, 308) sends the client, as parts of a URL; undefined
 * for any other response or a Location that is not an http(s) URL. */
export function redirectOf(
  res: HttpResponse,
): { https: boolean; host: string; port: number; path: string; location: string } | undefined {
  const code = res.status?.code ?? 0
  const location = header(res, 'location')
  if (![301, 302, 303, 307, 308].includes(code) || !location) return undefined
  try {
    const u = new URL(location)
    if (u.protocol !== 'https:' && u.protocol !== 'http:') return undefined
    const https = u.protocol === 'https:'
    const host = u.hostname.replace(/^\[|\]$/g, '')
    return {
      https,
      host,
      port: Number(u.port || (https ? 443 : 80)),
      path: `${u.pathname}${u.search}` || '/',
      location,
    }
  } catch {
    return undefined
  }
}
