import iconv from 'iconv-lite'
import type { Encoding } from '../../shared/contract'
import { parseHex } from '../../shared/codec'

/** Text or hex typed by a user -> the bytes that go on the wire. */
export function encodePayload(data: string, encoding: Encoding): Buffer {
  switch (encoding) {
    case 'hex':
      return Buffer.from(parseHex(data))
    case 'gbk':
      return iconv.encode(data, 'gbk')
    default:
      return Buffer.from(data, 'utf8')
  }
}

/** The same bytes as a Buffer, without a copy (a room's broadcast hands one message to every member). */
export const asBuffer = (b: Uint8Array): Buffer =>
  Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength)

/** Bytes from a peer -> text, for the engine's own replies (course-style servers). */
export function decodeText(bytes: Uint8Array, encoding: 'utf-8' | 'gbk'): string {
  return encoding === 'gbk' ? iconv.decode(asBuffer(bytes), 'gbk') : asBuffer(bytes).toString('utf8')
}
