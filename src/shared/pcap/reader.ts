/**
 * pcap and pcapng, read as a stream (a capturer's stdout) or a whole file: records out, one per
 * packet, with the interface's link type and a nanosecond time. Both pcap byte orders and both its
 * time resolutions (µs, ns magic); pcapng sections of either byte order, several interfaces with
 * their `if_tsresol`, EPB, SPB and the obsolete PB; unknown blocks skipped. Nothing is allocated
 * from a length field before it is checked against what a block may hold, and a corrupt input
 * ends the stream with a clear error (its byte offset) after every record before it.
 * Pure TypeScript: the engine, the CLI and the page all read captures with it.
 */

export interface CaptureRecord {
  /** Index of this packet in the file, from 1. */
  n: number
  /** LINKTYPE_ of the interface it was captured on (0 NULL, 1 ETHERNET, 101 RAW, 113 SLL…). */
  linkType: number
  /** pcapng: the interface's index in its section; 0 in pcap. */
  iface: number
  /** Capture time: whole seconds since the epoch and the nanoseconds within that second. */
  sec: number
  nsec: number
  /** The bytes captured (at most the snap length), and the packet's length on the wire. */
  data: Uint8Array
  origLen: number
}

export type CaptureFormat = 'pcap' | 'pcapng'

/** A capture that cannot be read on: what was wrong, and where (a byte offset into the input). */
export class CaptureError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(`${message} (at byte ${offset})`)
  }
}

/** The largest block or record taken: a lying length field beyond it is corruption, not a packet. */
export const MAX_BLOCK = 16 * 1024 * 1024

const PCAP_MAGICS: Record<number, { le: boolean; nano: boolean }> = {
  0xd4c3b2a1: { le: true, nano: false },
  0xa1b2c3d4: { le: false, nano: false },
  0x4d3cb2a1: { le: true, nano: true },
  0xa1b23c4d: { le: false, nano: true },
}
const SHB = 0x0a0d0d0a
const IDB = 0x00000001
const PB = 0x00000002
const SPB = 0x00000003
const EPB = 0x00000006

interface Iface {
  linkType: number
  snapLen: number
  /** Units per second of its timestamps (10^6 by default, `if_tsresol`). */
  unitsPerSec: bigint
}

/**
 * Reads a capture fed in chunks (`push`) and gives its records as they are complete. `end()`
 * says the input is over: a record cut short then is an error, reported after the records before it.
 */
export class CaptureReader {
  format: CaptureFormat | undefined
  private buf: Uint8Array = new Uint8Array(0)
  /** Bytes of the input consumed before `buf`: offsets in errors are the input's own. */
  private base = 0
  private n = 0
  private le = true
  private pcap: { nano: boolean; linkType: number; snapLen: number } | undefined
  private ifaces: Iface[] = []

  /** Why the input could not be read on, once it could not: no record comes after it. */
  error: CaptureError | undefined

  /**
   * Takes the next bytes of the input; returns the records now complete. A corrupt input sets
   * `error` and returns the records before it; nothing more is read after that.
   */
  push(chunk: Uint8Array): CaptureRecord[] {
    if (this.error) return []
    if (this.buf.length === 0) this.buf = chunk
    else {
      const joined = new Uint8Array(this.buf.length + chunk.length)
      joined.set(this.buf)
      joined.set(chunk, this.buf.length)
      this.buf = joined
    }
    const out: CaptureRecord[] = []
    let at = 0
    try {
      for (;;) {
        const used = this.next(at, out)
        if (used === 0) break
        at += used
      }
    } catch (e) {
      if (!(e instanceof CaptureError)) throw e
      this.error = e
    } finally {
      this.buf = this.buf.subarray(at)
      this.base += at
    }
    return out
  }

  /** The input is over: throws what was wrong with it, or that its last record was cut short. */
  end(): void {
    if (this.error) throw this.error
    if (this.buf.length === 0) return
    if (this.format === undefined)
      throw new CaptureError('not a capture file: too short for a pcap or pcapng header', 0)
    throw new CaptureError(`the capture ends inside a ${this.format === 'pcap' ? 'record' : 'block'}`, this.base)
  }

  private view(at: number, len: number): DataView {
    return new DataView(this.buf.buffer, this.buf.byteOffset + at, len)
  }
  private u32(at: number): number {
    return this.view(at, 4).getUint32(0, this.le)
  }

  /** Consumes one header, record or block at `at`; 0 when more input is needed. */
  private next(at: number, out: CaptureRecord[]): number {
    const left = this.buf.length - at
    if (this.format === undefined) {
      if (left < 4) return 0
      const magic = this.view(at, 4).getUint32(0, false)
      if (magic === SHB) this.format = 'pcapng'
      else if (PCAP_MAGICS[magic]) this.format = 'pcap'
      else
        throw new CaptureError(
          `not a capture file: it starts with ${[...this.buf.subarray(at, at + 4)].map((b) => b.toString(16).padStart(2, '0')).join(' ')}, neither pcap's magic (a1 b2 c3 d4, its reverse, or the ns a1 b2 3c 4d) nor pcapng's (0a 0d 0d 0a)`,
          this.base + at,
        )
    }
    return this.format === 'pcap' ? this.nextPcap(at, left, out) : this.nextBlock(at, left, out)
  }

  private nextPcap(at: number, left: number, out: CaptureRecord[]): number {
    if (!this.pcap) {
      if (left < 24) return 0
      const m = PCAP_MAGICS[this.view(at, 4).getUint32(0, false)]!
      this.le = m.le
      this.pcap = { nano: m.nano, snapLen: this.u32(at + 16), linkType: this.u32(at + 20) & 0x0fffffff }
      return 24
    }
    if (left < 16) return 0
    const inclLen = this.u32(at + 8)
    if (inclLen > MAX_BLOCK)
      throw new CaptureError(
        `a record claims ${inclLen} bytes, more than any packet (corrupt length field)`,
        this.base + at,
      )
    if (left < 16 + inclLen) return 0
    const frac = this.u32(at + 4)
    out.push({
      n: ++this.n,
      linkType: this.pcap.linkType,
      iface: 0,
      sec: this.u32(at),
      nsec: this.pcap.nano ? frac : frac * 1000,
      data: this.buf.slice(at + 16, at + 16 + inclLen),
      origLen: this.u32(at + 12),
    })
    return 16 + inclLen
  }

  private nextBlock(at: number, left: number, out: CaptureRecord[]): number {
    if (left < 12) return 0
    const type = this.view(at, 4).getUint32(0, this.le)
    if (type === SHB) {
      // a new section: its own byte order, its own interfaces
      if (left < 12) return 0
      const bom = this.view(at + 8, 4)
      if (bom.getUint32(0, false) === 0x1a2b3c4d) this.le = false
      else if (bom.getUint32(0, true) === 0x1a2b3c4d) this.le = true
      else
        throw new CaptureError('a pcapng section header without its byte-order magic (1a 2b 3c 4d)', this.base + at + 8)
      this.ifaces = []
    }
    const len = this.u32(at + 4)
    if (len < 12 || len % 4 !== 0 || len > MAX_BLOCK)
      throw new CaptureError(`a pcapng block claims a length of ${len} (corrupt length field)`, this.base + at + 4)
    if (left < len) return 0
    if (this.u32(at + len - 4) !== len)
      throw new CaptureError(
        `a pcapng block's two length fields differ (${len} and ${this.u32(at + len - 4)})`,
        this.base + at,
      )
    const body = at + 8
    const bodyLen = len - 12
    if (type === IDB) this.interfaceBlock(body, bodyLen, at)
    else if (type === EPB || type === PB) this.packetBlock(type, body, bodyLen, at, out)
    else if (type === SPB) {
      const iface = this.iface(0, at)
      if (bodyLen < 4) throw new CaptureError('a simple packet block too short for its length field', this.base + at)
      const origLen = this.u32(body)
      const capLen = Math.min(origLen, bodyLen - 4, iface.snapLen || Infinity)
      out.push({
        n: ++this.n,
        linkType: iface.linkType,
        iface: 0,
        sec: 0,
        nsec: 0,
        data: this.buf.slice(body + 4, body + 4 + capLen),
        origLen,
      })
    }
    // every other block (name resolution, statistics, custom, unknown): skipped whole
    return len
  }

  private interfaceBlock(body: number, bodyLen: number, at: number): void {
    if (bodyLen < 8) throw new CaptureError('an interface description block too short', this.base + at)
    const iface: Iface = {
      linkType: this.view(body, 2).getUint16(0, this.le),
      snapLen: this.u32(body + 4),
      unitsPerSec: 1_000_000n,
    }
    // options: code (2), length (2), value padded to 4; if_tsresol is code 9
    let o = body + 8
    const end = body + bodyLen
    while (o + 4 <= end) {
      const code = this.view(o, 2).getUint16(0, this.le)
      const olen = this.view(o + 2, 2).getUint16(0, this.le)
      if (code === 0) break
      if (o + 4 + olen > end) break // a lying option length: the rest of the options are ignored
      if (code === 9 && olen >= 1) {
        const r = this.buf[o + 4]!
        const exp = BigInt(r & 0x7f)
        // at most 10^-18 s or 2^-63 s: anything finer is not a clock
        if (r & 0x80 ? exp <= 63n : exp <= 18n) iface.unitsPerSec = r & 0x80 ? 1n << exp : 10n ** exp
      }
      o += 4 + ((olen + 3) & ~3)
    }
    this.ifaces.push(iface)
  }

  private iface(id: number, at: number): Iface {
    const i = this.ifaces[id]
    if (!i) throw new CaptureError(`a packet of interface ${id}, which no interface block described`, this.base + at)
    return i
  }

  private packetBlock(type: number, body: number, bodyLen: number, at: number, out: CaptureRecord[]): void {
    if (bodyLen < 20) throw new CaptureError('a packet block too short for its header', this.base + at)
    const id = type === PB ? this.view(body, 2).getUint16(0, this.le) : this.u32(body)
    const iface = this.iface(id, at)
    const hi = BigInt(this.u32(body + 4))
    const lo = BigInt(this.u32(body + 8))
    const capLen = this.u32(body + 12)
    const origLen = this.u32(body + 16)
    if (capLen > bodyLen - 20)
      throw new CaptureError(
        `a packet block claims ${capLen} captured bytes in ${bodyLen - 20} (corrupt length field)`,
        this.base + at + 20,
      )
    const units = (hi << 32n) | lo
    const sec = units / iface.unitsPerSec
    const nsec = ((units % iface.unitsPerSec) * 1_000_000_000n) / iface.unitsPerSec
    out.push({
      n: ++this.n,
      linkType: iface.linkType,
      iface: id,
      sec: Number(sec),
      nsec: Number(nsec),
      data: this.buf.slice(body + 20, body + 20 + capLen),
      origLen,
    })
  }
}

/** Every record of a whole capture in memory (a file the page opened), and what stopped it if
 * anything did: the records before a corruption are kept. */
export function readCapture(bytes: Uint8Array): { records: CaptureRecord[]; error?: CaptureError } {
  const r = new CaptureReader()
  const records = r.push(bytes)
  try {
    r.end()
    return { records }
  } catch (e) {
    return { records, error: e as CaptureError }
  }
}
