/**
 * Coalesces engine events into batches, at most one push per frame (~16 ms) per destination,
 * so a flooding peer never floods IPC or the renderer. Counts stay exact; only what is shown is
 * bounded:
 * - each data event carries at most `previewBytes` of its chunk (base64), and a batch carries
 *   at most `previewBudget` preview bytes in all (later data events get an empty preview);
 * - a batch lists at most `maxEvents` data and sent events; further ones are folded into one
 *   `overflow` event per socket and direction with their exact read and byte counts.
 * Lifecycle events (connect, close, error, ...) are never folded.
 */
import type { LabEvent } from '../../shared/contract'
import { LIMITS } from '../../shared/contract'
import { now } from './clock'

export interface BatcherOptions {
  intervalMs: number
  previewBytes: number
  previewBudget: number
  maxEvents: number
}

export const DEFAULT_BATCHER: BatcherOptions = {
  intervalMs: 16,
  previewBytes: LIMITS.previewBytes,
  previewBudget: 64 * 1024,
  maxEvents: LIMITS.listedPerBatch,
}

export class EventBatcher {
  private events: LabEvent[] = []
  private dataEvents = 0
  private budget: number
  private overflow = new Map<string, { id: string; of: 'data' | 'sent'; reads: number; bytes: number }>()
  private timer: NodeJS.Timeout | undefined
  private readonly opts: BatcherOptions

  constructor(
    private readonly sink: (batch: LabEvent[]) => void,
    opts: Partial<BatcherOptions> = {},
  ) {
    this.opts = { ...DEFAULT_BATCHER, ...opts }
    this.budget = this.opts.previewBudget
  }

  push(ev: LabEvent, payload?: Uint8Array): void {
    if (ev.kind === 'data' || ev.kind === 'sent') {
      if (this.dataEvents >= this.opts.maxEvents) {
        const key = `${ev.kind}:${ev.id}`
        let o = this.overflow.get(key)
        if (!o) this.overflow.set(key, (o = { id: ev.id, of: ev.kind, reads: 0, bytes: 0 }))
        o.reads++
        o.bytes += ev.bytes
        return this.schedule()
      }
      this.dataEvents++
      if (payload) {
        const n = Math.min(payload.length, this.opts.previewBytes, this.budget)
        this.budget -= n
        ev.preview = n > 0 ? Buffer.from(payload.buffer, payload.byteOffset, n).toString('base64') : ''
        ev.truncated = n < payload.length
      }
    }
    this.events.push(ev)
    this.schedule()
  }

  /** Sends what is pending now (also used on shutdown so nothing queued is lost). */
  flush(): void {
    clearTimeout(this.timer)
    this.timer = undefined
    if (this.overflow.size) {
      const t = now()
      for (const o of this.overflow.values()) this.events.push({ kind: 'overflow', t, ...o })
      this.overflow.clear()
    }
    if (!this.events.length) return
    const batch = this.events
    this.events = []
    this.dataEvents = 0
    this.budget = this.opts.previewBudget
    this.sink(batch)
  }

  dispose(): void {
    this.flush()
    clearTimeout(this.timer)
  }

  private schedule(): void {
    if (!this.timer) this.timer = setTimeout(() => this.flush(), this.opts.intervalMs)
  }
}

/** Routes engine events to one batcher per owner (a window, a preview page). */
export class EventRouter {
  private readonly batchers = new Map<string, EventBatcher>()

  constructor(private readonly opts: Partial<BatcherOptions> = {}) {}

  attach(owner: string, sink: (batch: LabEvent[]) => void): void {
    this.batchers.get(owner)?.dispose()
    this.batchers.set(owner, new EventBatcher(sink, this.opts))
  }

  detach(owner: string): void {
    this.batchers.get(owner)?.dispose()
    this.batchers.delete(owner)
  }

  push = (owner: string, ev: LabEvent, payload?: Uint8Array): void => {
    this.batchers.get(owner)?.push(ev, payload)
  }

  dispose(): void {
    for (const owner of [...this.batchers.keys()]) this.detach(owner)
  }
}
