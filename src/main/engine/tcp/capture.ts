/**
 * Whole received streams kept for clients that asked (the HTTP preset's `b''.join(buffer)`):
 * each capped at `LIMITS.maxCaptureBytes`, kept after the socket closes so the page can fetch
 * them, and bounded in number (the oldest goes first) so a long session cannot grow without end.
 */
import { LIMITS, type Received } from '../../../shared/contract'
import { LabFailure } from '../errors'
import { isReused } from './bulk'

interface Capture {
  owner: string
  chunks: Buffer[]
  bytes: number
  complete: boolean
}

export class Captures {
  private readonly byId = new Map<string, Capture>()

  constructor(
    private readonly maxKept = 8,
    private readonly maxBytes = LIMITS.maxCaptureBytes,
  ) {}

  start(owner: string, id: string): void {
    this.byId.set(id, { owner, chunks: [], bytes: 0, complete: true })
    while (this.byId.size > this.maxKept) this.byId.delete(this.byId.keys().next().value as string)
  }

  add(id: string, chunk: Buffer): void {
    const c = this.byId.get(id)
    if (!c || !c.complete) return
    const room = this.maxBytes - c.bytes
    if (chunk.length > room) c.complete = false
    const kept = chunk.length > room ? chunk.subarray(0, room) : chunk
    if (kept.length === 0) return
    // a bulk reader's read is a view the next read overwrites: kept as a copy
    c.chunks.push(isReused(kept) ? Buffer.from(kept) : kept)
    c.bytes += kept.length
  }

  get(owner: string, id: string): Received {
    const c = this.byId.get(id)
    if (!c || c.owner !== owner) throw new LabFailure('ENOENT', `no capture for ${id}: connect with capture on`)
    return { data: Buffer.concat(c.chunks, c.bytes).toString('base64'), bytes: c.bytes, complete: c.complete }
  }

  dropOwner(owner: string): void {
    for (const [id, c] of this.byId) if (c.owner === owner) this.byId.delete(id)
  }

  clear(): void {
    this.byId.clear()
  }
}
