/**
 * Byte <-> text helpers used by the renderer and the CLI to show what a peer sent. Bytes that
 * are not valid in the chosen encoding come out as hex segments, so a peer sending garbage
 * never breaks a view and never hides a byte.
 */
import type { Encoding } from './contract'
import { ValidationError } from './validate-core'

export type Segment = { text: string } | { hex: string }

export function toHex(bytes: Uint8Array, sep = ' '): string {
  let out = ''
  for (let i = 0; i < bytes.length; i++) {
    if (i > 0) out += sep
    out += bytes[i]!.toString(16).padStart(2, '0')
  }
  return out
}

/** "48 65 6c 6c 6f", "48656c6c6f", "0x48,0x65" -> bytes. */
export function parseHex(input: string): Uint8Array {
  const cleaned = input.replace(/0x/gi, '').replace(/[\s,:;-]+/g, '')
  if (cleaned.length % 2 !== 0 || !/^[0-9a-f]*$/i.test(cleaned)) {
    throw new ValidationError('data', 'hex-syntax', 'hex data must be pairs of hex digits, e.g. 48 65 6c 6c 6f')
  }
  const out = new Uint8Array(cleaned.length / 2)
  for (let i = 0; i < out.length; i++) out[i] = parseInt(cleaned.slice(i * 2, i * 2 + 2), 16)
  return out
}

export function bytesToBase64(bytes: Uint8Array): string {
  let bin = ''
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  return btoa(bin)
}

export function base64ToBytes(b64: string): Uint8Array<ArrayBuffer> {
  const bin = atob(b64)
  const out = new Uint8Array(bin.length)
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i)
  return out
}

/** Length of the valid UTF-8 sequence starting at i, or 0 when the byte there starts none. */
function utf8SeqLen(b: Uint8Array, i: number): number {
  const c = b[i]!
  if (c < 0x80) return 1
  const cont = (k: number, lo = 0x80, hi = 0xbf): boolean => {
    const x = b[i + k]
    return x !== undefined && x >= lo && x <= hi
  }
  if (c >= 0xc2 && c <= 0xdf) return cont(1) ? 2 : 0
  if (c === 0xe0) return cont(1, 0xa0) && cont(2) ? 3 : 0
  if ((c >= 0xe1 && c <= 0xec) || c === 0xee || c === 0xef) return cont(1) && cont(2) ? 3 : 0
  if (c === 0xed) return cont(1, 0x80, 0x9f) && cont(2) ? 3 : 0
  if (c === 0xf0) return cont(1, 0x90) && cont(2) && cont(3) ? 4 : 0
  if (c >= 0xf1 && c <= 0xf3) return cont(1) && cont(2) && cont(3) ? 4 : 0
  if (c === 0xf4) return cont(1, 0x80, 0x8f) && cont(2) && cont(3) ? 4 : 0
  return 0
}

/** Length of the valid GBK (CP936) sequence starting at i, or 0. */
function gbkSeqLen(b: Uint8Array, i: number): number {
  const c = b[i]!
  if (c < 0x80) return 1
  if (c === 0x80 || c === 0xff) return 0
  const t = b[i + 1]
  return t !== undefined && t >= 0x40 && t <= 0xfe && t !== 0x7f ? 2 : 0
}

const decoders = new Map<string, TextDecoder>()
function decoder(label: 'utf-8' | 'gbk'): TextDecoder {
  let d = decoders.get(label)
  if (!d) decoders.set(label, (d = new TextDecoder(label)))
  return d
}

/** Splits bytes into runs of valid text and runs of invalid bytes (as hex). */
export function decodeSegments(bytes: Uint8Array, encoding: Encoding): Segment[] {
  if (encoding === 'hex') return bytes.length ? [{ hex: toHex(bytes) }] : []
  const seqLen = encoding === 'gbk' ? gbkSeqLen : utf8SeqLen
  const segs: Segment[] = []
  let i = 0
  while (i < bytes.length) {
    const start = i
    let n: number
    while (i < bytes.length && (n = seqLen(bytes, i)) > 0) i += n
    if (i > start) segs.push({ text: decoder(encoding).decode(bytes.subarray(start, i)) })
    const bad = i
    while (i < bytes.length && seqLen(bytes, i) === 0) i++
    if (i > bad) segs.push({ hex: toHex(bytes.subarray(bad, i)) })
  }
  return segs
}

/** One-line rendering for logs and the CLI: invalid bytes as \xNN. */
export function decodeForDisplay(bytes: Uint8Array, encoding: Encoding): string {
  return decodeSegments(bytes, encoding)
    .map((s) => ('text' in s ? s.text : s.hex.replace(/(\w\w) ?/g, '\\x$1')))
    .join('')
}
