/**
 * What a TLS client offers, read from its ClientHello before the handshake goes on (no API gives
 * it): the versions, cipher suites, ALPN protocols and the server name (SNI) it asked for. Also
 * whether a connection's first bytes are TLS at all, or plain text sent to a TLS port.
 */
import { asBuffer } from '../payload'

export interface Offered {
  versions: string[]
  ciphers: string[]
  alpn: string[]
  /** The server name asked for; none when the client connected by an IP address. */
  sni?: string
}

const VERSIONS: Record<number, string> = { 0x0304: 'TLSv1.3', 0x0303: 'TLSv1.2', 0x0302: 'TLSv1.1', 0x0301: 'TLSv1' }
/** The suites a classroom meets (IANA names); others as hex. */
const SUITES: Record<number, string> = {
  0x1301: 'TLS_AES_128_GCM_SHA256',
  0x1302: 'TLS_AES_256_GCM_SHA384',
  0x1303: 'TLS_CHACHA20_POLY1305_SHA256',
  0xc02b: 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256',
  0xc02c: 'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384',
  0xc02f: 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256',
  0xc030: 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384',
  0xcca8: 'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256',
  0xcca9: 'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256',
  0x009e: 'TLS_DHE_RSA_WITH_AES_128_GCM_SHA256',
  0x009f: 'TLS_DHE_RSA_WITH_AES_256_GCM_SHA384',
  0x00ff: 'TLS_EMPTY_RENEGOTIATION_INFO_SCSV',
}
/** GREASE values (RFC 8701) a client sprinkles in: not real choices. */
const grease = (v: number): boolean => (v & 0x0f0f) === 0x0a0a && v >> 8 === (v & 0xff)
const hex4 = (v: number): string => `0x${v.toString(16).padStart(4, '0')}`

/** 'tls': a handshake record starts here; 'more': too few bytes to tell; 'plain': not TLS. */
export function looksLike(b: Uint8Array): 'tls' | 'more' | 'plain' {
  if (b.length < 3) return b.length && b[0] !== 0x16 ? 'plain' : 'more'
  return b[0] === 0x16 && b[1] === 0x03 && b[2]! <= 0x04 ? 'tls' : 'plain'
}

/** The bytes of the first handshake record, once whole: its length with the 5-byte header. */
export function recordLength(b: Uint8Array): number | undefined {
  return b.length < 5 ? undefined : 5 + ((b[3]! << 8) | b[4]!)
}

/** A byte, or NaN past the end (a cut hello reads as NaN, never as a throw). */
const u8 = (b: Uint8Array, o: number): number => b[o] ?? NaN
const u16 = (b: Uint8Array, o: number): number => (u8(b, o) << 8) | u8(b, o + 1)
/** A length-prefixed name, as Latin-1 (read in place: a server reads one per connection). */
const text = (b: Buffer, from: number, len: number): string =>
  b.toString('latin1', from, Math.min(b.length, from + len))

/** The ClientHello's offer, or undefined when the bytes are no ClientHello (or cut short). */
export function readClientHello(bytes: Uint8Array): Offered | undefined {
  const b = asBuffer(bytes)
  if (looksLike(b) !== 'tls' || u8(b, 5) !== 1) return undefined
  let o = 9 // record header 5, handshake type 1, length 3
  const legacy = u16(b, o)
  o += 2 + 32 // client_version, random
  o += 1 + u8(b, o) // session id
  const suitesLen = u16(b, o)
  const ciphers: string[] = []
  for (let i = o + 2; i < o + 2 + suitesLen && i + 1 < b.length; i += 2) {
    const s = u16(b, i)
    if (!grease(s)) ciphers.push(SUITES[s] ?? hex4(s))
  }
  o += 2 + suitesLen
  o += 1 + u8(b, o) // compression methods
  const out: Offered = { versions: [], ciphers, alpn: [] }
  const extEnd = Math.min(b.length, o + 2 + u16(b, o))
  o += 2
  while (o + 4 <= extEnd && !Number.isNaN(u16(b, o))) {
    const type = u16(b, o)
    const len = u16(b, o + 2)
    const d = o + 4
    if (type === 0 && len > 5) out.sni = text(b, d + 5, u16(b, d + 3))
    if (type === 16) for (let i = d + 2; i < d + len; i += 1 + u8(b, i)) out.alpn.push(text(b, i + 1, u8(b, i)))
    if (type === 43)
      for (let i = d + 1; i < d + 1 + u8(b, d); i += 2)
        if (!grease(u16(b, i))) out.versions.push(VERSIONS[u16(b, i)] ?? hex4(u16(b, i)))
    o = d + len
  }
  if (!out.versions.length && !Number.isNaN(legacy)) out.versions.push(VERSIONS[legacy] ?? hex4(legacy))
  return out
}
