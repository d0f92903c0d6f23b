/** The TLS parts of a TCP request, checked: PEM text, a trust choice, a server name, ALPN names. */
import type { TlsClientOptions, TlsServerOptions } from './contract'
import { checkOneOf, fail, record } from './validate-core'

const MAX_PEM = 64 * 1024

function pemOf(v: unknown, field: string, label: RegExp): string {
  if (typeof v !== 'string' || v.length > MAX_PEM || !label.test(v))
    fail(field, 'pem', `${field} must be PEM text (-----BEGIN …-----), at most ${MAX_PEM / 1024} KiB`)
  return v
}

export function checkTlsServer(v: unknown): TlsServerOptions {
  const r = record(v, 'tls')
  if ((r.cert === undefined) !== (r.key === undefined))
    fail('tls', 'tls-pair', 'give the certificate and its key together, or neither (the lab’s own is used)')
  if (r.cert === undefined) return {}
  return {
    cert: pemOf(r.cert, 'tls.cert', /-----BEGIN CERTIFICATE-----/),
    key: pemOf(r.key, 'tls.key', /-----BEGIN [A-Z ]*PRIVATE KEY-----/),
  }
}

export function checkTlsClient(v: unknown): TlsClientOptions {
  const r = record(v, 'tls')
  const out: TlsClientOptions = { trust: checkOneOf(r.trust, ['verify', 'ca', 'insecure'] as const, 'tls.trust') }
  if (out.trust === 'ca') out.ca = pemOf(r.ca, 'tls.ca', /-----BEGIN CERTIFICATE-----/)
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
