/**
 * The event log: every applied event in a bounded ring (10,000 rows by default), a filter by
 * socket and kind, and the rows a view asks for, read in place (a flood must not copy 10,000
 * rows every frame). Filled by the lab store as it applies events.
 */
import { defineStore } from 'pinia'
import { computed, markRaw, reactive, ref } from 'vue'
import type { SocketEvent } from '../../../shared/contract'
import { RingBuffer } from '../lib/ring-buffer'

export interface LogRow {
  seq: number
  ev: SocketEvent
  /** The panel whose socket it is (the lab store's tag), for the log that follows the tab. */
  tag?: string
  /** The same event this many times in a row (a repeat folds into the row before: "×N"). */
  times?: number
}

/** Events whose repeats say nothing new: folded into "×N" (bytes never are: each read counts). */
const FOLDABLE = new Set(['error', 'queue', 'close', 'end', 'shutdown', 'name', 'listening', 'lookup'])
const sameButTime = (a: SocketEvent, b: SocketEvent): boolean =>
  a.kind === b.kind && a.id === b.id && JSON.stringify({ ...a, t: 0 }) === JSON.stringify({ ...b, t: 0 })

/** Bytes of preview a log row keeps (base64 chars, a multiple of 4): the socket views keep more. */
const LOG_PREVIEW_CHARS = 340
export const DEFAULT_LOG_CAPACITY = 10_000

export const useLogStore = defineStore('log', () => {
  const log = markRaw(new RingBuffer<LogRow>(DEFAULT_LOG_CAPACITY))
  /** Bumped once per flush that added rows (and on clear and resize). */
  const logVersion = ref(0)
  const totalEvents = ref(0)
  /** `tab`: only the rows of that panel ('' every panel); the log follows the tab shown. */
  const filter = reactive<{ socket: string; kinds: Set<SocketEvent['kind']>; tab: string }>({
    socket: '',
    kinds: new Set(),
    tab: '',
  })
  let seq = 0

  /** One applied event (not yet shown: `flushed` shows a flush's rows at once). */
  function push(ev: SocketEvent, tag?: string): void {
    const last = log.length ? log.at(log.length - 1) : undefined
    if (last && FOLDABLE.has(ev.kind) && sameButTime(last.ev, ev)) {
      last.times = (last.times ?? 1) + 1
      return
    }
    const logged =
      (ev.kind === 'data' || ev.kind === 'sent') && ev.preview.length > LOG_PREVIEW_CHARS
        ? { ...ev, preview: ev.preview.slice(0, LOG_PREVIEW_CHARS), truncated: true }
        : ev
    const row: LogRow = { seq: ++seq, ev: logged }
    if (tag) row.tag = tag
    log.push(row)
  }

  function flushed(n: number): void {
    if (!n) return
    totalEvents.value += n
    logVersion.value++
  }

  /** The rows a filter lets through, or undefined when there is no filter (then the ring is read
   * in place). */
  const filtered = computed<LogRow[] | undefined>(() => {
    const { socket, kinds, tab } = filter
    if (!socket && kinds.size === 0 && !tab) return undefined
    void logVersion.value
    return log
      .toArray()
      .filter(
        (r) =>
          (!tab || r.tag === tab) &&
          (!socket || r.ev.id === socket || (r.ev.kind === 'connection' && r.ev.conn === socket)) &&
          (kinds.size === 0 || kinds.has(r.ev.kind)),
      )
  })
  const rows = computed<LogRow[]>(() => filtered.value ?? (void logVersion.value, log.toArray()))
  const rowCount = computed(() => filtered.value?.length ?? (void logVersion.value, log.length))
  /** Rows [from, to) of what the filter shows, without copying the rest. */
  function rowsSlice(from: number, to: number): LogRow[] {
    const f = filtered.value
    if (f) return f.slice(from, to)
    void logVersion.value
    const out: LogRow[] = []
    for (let i = from; i < Math.min(to, log.length); i++) out.push(log.at(i)!)
    return out
  }

  /** The newest `n` log rows that match, oldest first, without copying the whole log. */
  function lastRows(match: (r: LogRow) => boolean, n: number): LogRow[] {
    void logVersion.value
    const out: LogRow[] = []
    for (let i = log.length - 1; i >= 0 && out.length < n; i--) {
      const r = log.at(i)!
      if (match(r)) out.push(r)
    }
    return out.reverse()
  }

  function clearLog(): void {
    log.clear()
    logVersion.value++
  }

  function setLogCapacity(n: number): void {
    log.resize(Math.max(100, Math.min(1_000_000, Math.floor(n))))
    logVersion.value++
  }

  function exportJsonl(): string {
    return rows.value.map((r) => JSON.stringify(r.ev)).join('\n') + (rows.value.length ? '\n' : '')
  }

  return {
    filter,
    rows,
    rowCount,
    rowsSlice,
    lastRows,
    logVersion,
    totalEvents,
    logCapacity: computed(() => (void logVersion.value, log.capacity)),
    logLength: computed(() => (void logVersion.value, log.length)),
    push,
    flushed,
    clearLog,
    setLogCapacity,
    exportJsonl,
  }
})
