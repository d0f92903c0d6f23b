/**
 * Received bytes to stdout as they are (`--output raw`). To a file or a device (`> out.bin`,
 * `> /dev/null`) they are written straight to the descriptor, as ncat does; to a pipe through
 * the stream. Small reads (a TLS record is 16 KiB) are gathered into one write per turn of the
 * event loop: one system call for many reads, the bytes still out before the loop waits again.
 */
import { fstatSync, writeSync } from 'node:fs'
import type { Writable } from 'node:stream'

/** Reads at least this big are written as they come; smaller ones gathered up to it. */
export const GATHER_BYTES = 256 * 1024

export class RawSink {
  private fd: number | null | undefined
  private readonly pending = Buffer.allocUnsafe(GATHER_BYTES)
  private length = 0
  private scheduled?: NodeJS.Immediate

  constructor(private readonly out: Writable) {}

  write(b: Uint8Array): void {
    const fd = this.descriptor()
    // a bulk read is a view of a buffer the next read fills again: a stream that keeps it gets a copy
    if (fd === null) return void this.out.write(Buffer.from(b))
    if (this.length + b.length > GATHER_BYTES) this.flush()
    if (b.length >= GATHER_BYTES) return this.all(fd, b)
    this.pending.set(b, this.length)
    this.length += b.length
    this.scheduled ??= setImmediate(() => this.flush())
  }

  /** Writes what was gathered; also before any line of what happened, and at the end. */
  flush(): void {
    if (this.scheduled) clearImmediate(this.scheduled)
    this.scheduled = undefined
    if (!this.length || typeof this.fd !== 'number') return
    const n = this.length
    this.length = 0
    this.all(this.fd, this.pending.subarray(0, n))
  }

  private all(fd: number, b: Uint8Array): void {
    for (let off = 0; off < b.length;) off += writeSync(fd, b, off)
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
