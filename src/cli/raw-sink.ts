/**
 * Received bytes to stdout as they are (`--output raw`). To a file or a device (`> out.bin`,
 * `> /dev/null`) they are written straight to the descriptor, as ncat does; to a pipe through
 * the stream. Small reads (a TLS record is 16 KiB) are gathered into one write per turn of the
 * event loop: one system call for many reads, the bytes still out before the loop waits again.
 * They are gathered as they are and written with one writev; only a bulk read, a view of a buffer
 * the next read fills again, is copied.
 */
import { fstatSync, writeSync, writevSync } from 'node:fs'
import type { Writable } from 'node:stream'
import { isReused } from '../main/engine/tcp/bulk'

/** Reads at least this big are written as they come; smaller ones gathered up to it. */
export const GATHER_BYTES = 256 * 1024
/** At most this many reads in one write (a system's writev takes 1,024 at most). */
const MAX_PARTS = 1024

export class RawSink {
  private fd: number | null | undefined
  /** What is gathered, in order. */
  private parts: Uint8Array[] = []
  private length = 0
  /** Where bulk reads are copied as they are gathered (never more than it holds: see write). */
  private readonly copies = Buffer.allocUnsafeSlow(GATHER_BYTES)
  private copied = 0
  private scheduled?: NodeJS.Immediate

  constructor(private readonly out: Writable) {}

  write(b: Uint8Array): void {
    const fd = this.descriptor()
    // a stream that keeps a bulk read gets a copy
    if (fd === null) return void this.out.write(isReused(b) ? Buffer.from(b) : b)
    if (this.length + b.length > GATHER_BYTES || this.parts.length === MAX_PARTS) this.flush()
    if (b.length >= GATHER_BYTES) return this.all(fd, [b])
    if (isReused(b)) {
      const copy = this.copies.subarray(this.copied, this.copied + b.length)
      copy.set(b)
      this.copied += b.length
      this.parts.push(copy)
    } else this.parts.push(b)
    this.length += b.length
    this.scheduled ??= setImmediate(() => this.flush())
  }

  /** Writes what was gathered; also before any line of what happened, and at the end. */
  flush(): void {
    if (this.scheduled) clearImmediate(this.scheduled)
    this.scheduled = undefined
    if (!this.length || typeof this.fd !== 'number') return
    const parts = this.parts
    this.parts = []
    this.length = 0
    this.copied = 0
    this.all(this.fd, parts)
  }

  private all(fd: number, parts: Uint8Array[]): void {
    let done = writevSync(fd, parts)
    // a short write (a full disk, a signal): the rest of each part, one after another
    for (const p of parts) {
      if (done >= p.length) {
        done -= p.length
        continue
      }
      for (let off = done; off < p.length;) off += writeSync(fd, p, off)
      done = 0
    }
  }

  private descriptor(): number | null {
    if (this.fd !== undefined) return this.fd
    this.fd = null
    const fd = (this.out as { fd?: number }).fd
    if (typeof fd === 'number') {
      try {
        const st = fstatSync(fd)
        if (st.isFile() || st.isCharacterDevice()) this.fd = fd
      } catch {
        // no descriptor to look at: the stream it is
      }
    }
    return this.fd
  }
}
