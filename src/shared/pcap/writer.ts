/**
 * A pcapng writer: a section header, one interface description per link type met (nanosecond
 * timestamps, `if_tsresol` 9), then an enhanced packet block per packet. What Wireshark, tshark
 * and capinfos open; little-endian, as most capturers write.
 */
import type { CaptureRecord } from './reader'

const pad4 = (n: number): number => (n + 3) & ~3

function block(type: number, body: Uint8Array): Uint8Array {
  const len = 12 + body.length
  const out = new Uint8Array(len)
  const v = new DataView(out.buffer)
  v.setUint32(0, type, true)
  v.setUint32(4, len, true)
  out.set(body, 8)
  v.setUint32(len - 4, len, true)
  return out
}

export class PcapngWriter {
  private ifaces = new Map<number, number>()

  /** The section header block: the file's first bytes. */
  header(): Uint8Array {
    const body = new Uint8Array(16)
    const v = new DataView(body.buffer)
    v.setUint32(0, 0x1a2b3c4d, true) // byte-order magic
    v.setUint16(4, 1, true) // version 1.0
    v.setUint16(6, 0, true)
    v.setBigInt64(8, -1n, true) // section length unknown
    return block(0x0a0d0d0a, body)
  }

  /** The bytes for one packet: an interface block first when its link type is new. */
  packet(r: Pick<CaptureRecord, 'linkType' | 'sec' | 'nsec' | 'data' | 'origLen'>): Uint8Array {
    const parts: Uint8Array[] = []
    let id = this.ifaces.get(r.linkType)
    if (id === undefined) {
      id = this.ifaces.size
      this.ifaces.set(r.linkType, id)
      // link type, reserved, snap length 0 (none), then if_tsresol = 9 (ns) and the end of options
      const body = new Uint8Array(8 + 8 + 4)
      const v = new DataView(body.buffer)
      v.setUint16(0, r.linkType, true)
      v.setUint32(4, 0, true)
      v.setUint16(8, 9, true)
      v.setUint16(10, 1, true)
      body[12] = 9
      v.setUint16(16, 0, true)
      v.setUint16(18, 0, true)
      parts.push(block(0x00000001, body))
    }
    const ts = BigInt(r.sec) * 1_000_000_000n + BigInt(r.nsec)
    const body = new Uint8Array(20 + pad4(r.data.length))
    const v = new DataView(body.buffer)
    v.setUint32(0, id, true)
    v.setUint32(4, Number(ts >> 32n), true)
    v.setUint32(8, Number(ts & 0xffffffffn), true)
    v.setUint32(12, r.data.length, true)
    v.setUint32(16, r.origLen, true)
    body.set(r.data, 20)
    parts.push(block(0x00000006, body))
    return parts.length === 1 ? parts[0]! : concatBytes(...parts)
  }
}

/** Byte arrays one after the other, in one array. */
export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let o = 0
  for (const p of parts) {
    out.set(p, o)
    o += p.length
  }
  return out
}
