/**
 * The intake: pushed event batches in, applied to the stores at most once per animation frame,
 * within a time budget per frame; under a flood or a busy crowd, BUSY_INTERVAL_MS apart. It
 * holds no state the page shows: it only decides when `apply` runs.
 */
import { LIMITS, type LabEvent } from '../../../shared/contract'

/** Frames and the clock the store flushes by (tests drive both by hand). */
export type Scheduler = { frame: (cb: () => void) => unknown; cancel: (h: unknown) => void; now?: () => number }
/** Time one frame's flush may spend applying events; the rest wait for the next frame... */
export const FLUSH_BUDGET_MS = 8
/** ...unless this many are waiting: then all are applied at once, so the queue stays bounded. */
export const MAX_WAITING_EVENTS = 50_000
/** A flush that applied this many data events (reads, sends) marks a flood: half of what one
 * batch may list, so a flood the batcher caps still counts as one... */
export const BUSY_EVENTS = LIMITS.listedPerBatch / 2
/** ...and so does a crowd: this many socket views that keep changing (1,000 backlog clients
 * dialling, waiting, served), since each update re-derives panels that follow all of them... */
export const CROWD = 200
/** ...during which views are updated this far apart (ms), not every frame. */
export const BUSY_INTERVAL_MS = 100

export const defaultScheduler: Scheduler = {
  now: () => performance.now(),
  frame: (cb) => (typeof requestAnimationFrame === 'function' ? requestAnimationFrame(cb) : setTimeout(cb, 16)),
  cancel: (h) =>
    typeof cancelAnimationFrame === 'function' ? cancelAnimationFrame(h as number) : clearTimeout(h as number),
}

export interface IntakeTarget {
  /** One event, applied to plain data where it can be. */
  apply(ev: LabEvent): void
  /** After a flush's events: write what was summed to reactive state. `n` events were applied;
   * `dirty` when views changed outside a batch. */
  flushed(n: number, dirty: boolean): void
  /** How many socket views there are (a crowd is busy sooner). */
  views(): number
}

export interface Intake {
  receive(batch: LabEvent[]): void
  flush(everything?: boolean): void
  /** Views changed outside a batch: show them with the next frame. */
  touch(): void
  setScheduler(s: Scheduler): void
  stop(): void
}

export function createIntake(target: IntakeTarget): Intake {
  const queue: LabEvent[][] = []
  /** Events queued and not yet applied; the next one is queue[0][offset]. */
  let waiting = 0
  let offset = 0
  /** The last flush applied a flood's worth of events, at `flushedAt`. */
  let busy = false
  let flushedAt = -Infinity
  let delay: ReturnType<typeof setTimeout> | undefined
  let frame: unknown
  let guard: ReturnType<typeof setTimeout> | undefined
  let scheduler = defaultScheduler
  /** Views changed outside a batch (a call's answer), or a panel still catching up. */
  let dirty = false
  /** A flush is applying events: a view it touches (a socket first seen) is shown by that flush,
   * so nothing is scheduled for it (a timer set then would count from the flush before, and
   * cut short the wait a busy store keeps between updates). */
  let applying = false

  /** The scheduler's clock (tests drive it), else the page's. */
  const clock = (): number => scheduler.now?.() ?? performance.now()

  /**
   * Applies what arrived since the last frame, within FLUSH_BUDGET_MS: a burst (a thousand
   * clients dialling at once) is spread over a few frames instead of freezing one.
   */
  function flush(everything = false): void {
    if (frame !== undefined) scheduler.cancel(frame)
    clearTimeout(guard)
    frame = guard = undefined
    const t0 = clock()
    const all = everything || waiting > MAX_WAITING_EVENTS
    let n = 0
    let flood = 0
    applying = true
    try {
      drain: while (queue.length) {
        const batch = queue[0]!
        while (offset < batch.length) {
          const ev = batch[offset++]!
          if (ev.kind === 'data' || ev.kind === 'sent' || ev.kind === 'overflow') flood++
          target.apply(ev)
          n++
          if ((n & 127) === 0 && !all && clock() - t0 > FLUSH_BUDGET_MS) break drain
        }
        queue.shift()
        offset = 0
      }
    } finally {
      applying = false
    }
    waiting -= n
    // A flood is bytes (reads, sends). A crowd is busy once its changes keep coming: the first
    // change after a quiet spell is shown with the next frame, whatever the crowd.
    const t1 = clock()
    busy = flood >= BUSY_EVENTS || (target.views() >= CROWD && t1 - flushedAt < 2 * BUSY_INTERVAL_MS)
    flushedAt = t1
    // The rest of a burst: with the next frame, or when busy, after the same pause as new events
    // (each update re-derives the panels; a burst of 1,000 SYNs must not re-derive them 60 times
    // a second).
    if (queue.length) schedule()
    target.flushed(n, dirty)
    dirty = false
  }

  /**
   * The next flush for new events. Under a flood (the last flush applied BUSY_EVENTS or more)
   * or in a busy crowd, the views are updated BUSY_INTERVAL_MS apart instead of every frame:
   * nobody reads counters or a thousand cells at 60 Hz, and the frames in between stay free for
   * scrolling and clicks.
   */
  function schedule(): void {
    if (frame !== undefined || delay !== undefined) return
    const wait = busy ? BUSY_INTERVAL_MS - (clock() - flushedAt) : 0
    if (wait > 0) {
      delay = setTimeout(() => {
        delay = undefined
        scheduleFrame()
      }, wait)
    } else scheduleFrame()
  }

  function scheduleFrame(): void {
    if (frame !== undefined) return
    frame = scheduler.frame(() => flush())
    // A hidden window gets no animation frames: never let the queue grow without bound.
    guard = setTimeout(() => flush(), 250)
  }

  return {
    receive(batch) {
      queue.push(batch)
      waiting += batch.length
      schedule()
    },
    flush,
    touch() {
      dirty = true
      if (!applying) schedule()
    },
    setScheduler(s) {
      scheduler = s
    },
    stop() {
      clearTimeout(delay)
      delay = undefined
      flush(true)
    },
  }
}
