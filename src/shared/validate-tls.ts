/** The TLS parts of a TCP request, checked: PEM text, a trust choice, a server name, ALPN names. */
import type { TlsClientOptions, TlsServerOptions } from './contract'

type Fail = (field: string, reason: string, message: string) => never

const MAX_PEM = 64 * 1024

function pemOf(v: unknown, field: string, label: RegExp, fail: Fail): string {
  if (typeof v !== 'string' || v.length > MAX_PEM || !label.test(v))
    fail(field, 'pem', `${field} must be PEM text (-----BEGIN …-----), at most ${MAX_PEM / 1024} KiB`)
  return v
}

export function checkTlsServer(v: unknown, fail: Fail): TlsServerOptions {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) fail('tls', 'not-object', 'tls must be an object')
  const r = v as Record<string, unknown>
  if ((r.cert === undefined) !== (r.key === undefined))
    fail('tls', 'tls-pair', 'give the certificate and its key together, or neither (the lab’s own is used)')
  if (r.cert === undefined) return {}
  return {
    cert: pemOf(r.cert, 'tls.cert', /-----BEGIN CERTIFICATE-----/, fail),
    key: pemOf(r.key, 'tls.key', /-----BEGIN [A-Z ]*PRIVATE KEY-----/, fail),
  }
}

export function checkTlsClient(v: unknown, fail: Fail): TlsClientOptions {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) fail('tls', 'not-object', 'tls must be an object')
  const r = v as Record<string, unknown>
  if (r.trust !== 'verify' && r.trust !== 'ca' && r.trust !== 'insecure')
    fail('tls.trust', 'one-of', 'tls.trust must be one of verify, ca, insecure')
  const out: TlsClientOptions = { trust: r.trust }
  if (r.trust === 'ca') out.ca = pemOf(r.ca, 'tls.ca', /-----BEGIN CERTIFICATE-----/, fail)
  if (r.servername !== undefined) {
    if (typeof r.servername !== 'string' || !/^[A-Za-z0-9.-]{1,253}$/.test(r.servername))
      fail('tls.servername', 'host-syntax', 'tls.servername must be a host name')
    out.servername = r.servername
  }
  if (r.alpn !== undefined) {
    if (
      !Array.isArray(r.alpn) ||
      r.alpn.length > 8 ||
      !r.alpn.every((p) => typeof p === 'string' && /^[\x21-\x7e]{1,64}$/.test(p))
    )
      fail('tls.alpn', 'alpn', 'tls.alpn must be up to 8 protocol names such as http/1.1')
    out.alpn = r.alpn as string[]
  }
  return out
}
