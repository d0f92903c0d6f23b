/**
 * A change of capturer without a packet lost or listed twice. The new child is started while the
 * old one runs; once it captures, the two are cut at one moment. The two stamp the same packet a
 * few microseconds apart and hand packets over a block at a time, so the cut is not exact: the
 * older child lists what it stamps before the cut + OVERLAP_MS, the newest what it stamps from the
 * cut - OVERLAP_MS, and a packet of the newest that an older one listed since the newest was
 * started (same bytes, stamped within 1 ms) is not listed again. The newest child's records wait
 * until the older ones have read past the overlap and are gone.
 */
import type { CaptureRecord } from '../../../shared/pcap/reader'

export const OVERLAP_MS = 5
/** Records held, or remembered, at most (a flood's further held ones are counted, not listed). */
const MAX = 20_000

/** FNV-1a of a packet's bytes. */
function hashOf(d: Uint8Array): number {
  let h = 0x811c9dc5
  for (let i = 0; i < d.length; i++) h = Math.imul(h ^ d[i]!, 0x01000193)
  return h >>> 0
}

export const msOf = (r: CaptureRecord): number => r.sec * 1000 + r.nsec / 1e6

export class Handover {
  /** The older children's last moment, once cut. */
  until?: number
  private held: CaptureRecord[] = []
  /** What the older children listed since the newest was started: time and bytes' hash. */
  private seen: { t: number; h: number }[] = []
  private retired = false

  constructor(
    private readonly list: (r: CaptureRecord) => void,
    private readonly count: () => void,
  ) {}

  /** An older child listed this. */
  saw(t: number, data: Uint8Array): void {
    if (this.seen.length < MAX) this.seen.push({ t, h: hashOf(data) })
  }

  /** The newest child captures: from when it lists, until when the older ones do. */
  cut(now: number): { since: number; until: number } {
    this.until = now + OVERLAP_MS
    return { since: now - OVERLAP_MS, until: this.until }
  }

  /**
   * A record of the newest child (from `since` on): held while older ones run, then listed unless
   * an older one listed it. False once past the overlap: the handover is over, the caller lists it.
   */
  take(r: CaptureRecord, t: number): boolean {
    if (!this.retired) {
      if (this.held.length < MAX) this.held.push({ ...r, data: r.data.slice() })
      else this.count()
      return true
    }
    if (t >= this.until! + OVERLAP_MS) return false
    const h = hashOf(r.data)
    const twin = this.seen.findIndex((x) => Math.abs(x.t - t) <= 1 && x.h === h)
    if (twin >= 0) this.seen.splice(twin, 1)
    else this.list(r)
    return true
  }

  /** The older children are gone: what was held is listed (twins aside); more is taken as it comes.
   * False when the handover is over with it. */
  release(): boolean {
    this.retired = true
    let going = true
    for (const r of this.held.splice(0)) {
      if (this.take(r, msOf(r))) continue
      going = false
      this.list(r)
    }
    return going
  }
}
