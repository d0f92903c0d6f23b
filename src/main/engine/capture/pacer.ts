/**
 * The capture's packets, pushed bounded: at most `LIMITS.packetsPerInterval` listed per 100 ms
 * (each a `packet` event with its first `LIMITS.packetBytes`, base64, and the lab socket it
 * belongs to), the rest counted exactly in one `packet-fold` event per interval. Every packet gets
 * its number in the capture, listed or not.
 */
import { Buffer } from 'node:buffer'
import { LIMITS, type LabEvent } from '../../../shared/contract'
import { decodePacket } from '../../../shared/pcap/decode'
import type { CaptureRecord } from '../../../shared/pcap/reader'
import { now } from '../clock'
import type { SocketMatcher } from './match'

export const INTERVAL_MS = 100

export class PacketPacer {
  private window = { start: 0, listed: 0, over: 0 }
  private n = 0
  private timer?: NodeJS.Timeout

  constructor(
    private readonly emit: (ev: LabEvent) => void,
    private readonly sockets: SocketMatcher,
  ) {}

  /** A packet counted, not listed (a flood's beyond the cap). */
  count(): void {
    this.n++
    this.window.over++
    this.timer ??= setTimeout(() => this.flush(), INTERVAL_MS)
  }

  /** A packet listed, if this interval has room; counted otherwise. */
  list(record: CaptureRecord): void {
    const clock = Date.now()
    if (clock - this.window.start >= INTERVAL_MS) {
      this.flush()
      this.window = { start: clock, listed: 0, over: 0 }
    }
    if (this.window.listed >= LIMITS.packetsPerInterval) return this.count()
    this.n++
    this.window.listed++
    const socket = this.sockets.match(decodePacket(record.linkType, record.data))
    const shown = record.data.subarray(0, LIMITS.packetBytes)
    this.emit({
      kind: 'packet',
      id: '',
      t: now(),
      ...(socket ? { socket } : {}),
      n: this.n,
      sec: record.sec,
      nsec: record.nsec,
      linkType: record.linkType,
      caplen: record.data.length,
      origLen: record.origLen,
      bytes: Buffer.from(shown.buffer, shown.byteOffset, shown.length).toString('base64'),
    })
  }

  /** The packets counted and not yet said. */
  flush(): void {
    clearTimeout(this.timer)
    this.timer = undefined
    const packets = this.window.over
    this.window.over = 0
    if (packets) this.emit({ kind: 'packet-fold', id: '', t: now(), packets })
  }
}
