/**
 * The lab store: the only caller of the preload API. It applies pushed event batches at most
 * once per animation frame, keeps exact per-socket counters, a bounded event log (ring buffer)
 * and a bounded list of recent chunks per socket, and ignores events of dismissed sockets.
 */
import { defineStore } from 'pinia'
import { computed, getCurrentScope, markRaw, reactive, ref, shallowRef, toRaw, type ComputedRef } from 'vue'
import type {
  AppInfo,
  BacklogListenReq,
  Endpoint,
  Encoding,
  LabError,
  LabEvent,
  LabEventKind,
  NetInterface,
  Result,
  SocketInfo,
  TcpConnectManyReq,
  TcpConnectReq,
  TcpListenReq,
  UdpBindReq,
  UdpConnectReq,
  UdpFloodReq,
  UdpSendReq,
} from '../../../shared/contract'
import { LIMITS } from '../../../shared/contract'
import { getApi } from '../api'
import { RingBuffer } from '../lib/ring-buffer'
import { sameItems } from '../lib/same'

export interface Chunk {
  /** A read, a send, or a lifecycle mark (connect, half-close, EOF, close, error...). */
  dir: 'in' | 'out' | 'mark'
  mark?: LabEventKind
  /** A mark's detail: the error code, the nickname. */
  note?: string
  t: number
  bytes: number
  preview: string
  truncated: boolean
  peer?: Endpoint
  auto?: boolean
}

export interface SocketView {
  info: SocketInfo
  reads: number
  error?: { code: string; message: string }
  resolved?: { host: string; address: string }
  chunks: Chunk[]
  /** Which panel opened it (connections inherit their server's). */
  tag?: string
  /** Its latest event: the step the code view highlights. */
  last?: { kind: LabEventKind; t: number }
  /** Times (event clock, ms) of the steps a learner watches. */
  times: { created: number; connected?: number; served?: number; done?: number; closed?: number }
  /** A backlog-demo server: its latest queue figures and the first overflow count seen. */
  queue?: Omit<Extract<LabEvent, { kind: 'queue' }>, 'kind' | 'id' | 't'> & { overflowBase: number | null }
  /** A backlog-demo server: the connection it is serving now. */
  serving?: string
  /** A served connection: why its service ended. */
  serveEnd?: 'done' | 'timeout' | 'hang-up'
  /** Bumped (untracked) whenever the store changes this view: what `v-memo` over plain-data
   * views compares, so an unchanged card among hundreds is not re-rendered. */
  rev: number
}

export interface LogRow {
  seq: number
  ev: LabEvent
}

export const CHUNKS_PER_SOCKET = 100
/** Bytes of preview a log row keeps (base64 chars, a multiple of 4): the socket views keep more. */
const LOG_PREVIEW_CHARS = 340
export const DEFAULT_LOG_CAPACITY = 10_000

const ID_KINDS: Record<string, SocketInfo['kind']> = { s: 'tcp-server', a: 'tcp-conn', c: 'tcp-client', u: 'udp' }

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

const defaultScheduler: Scheduler = {
  now: () => performance.now(),
  frame: (cb) => (typeof requestAnimationFrame === 'function' ? requestAnimationFrame(cb) : setTimeout(cb, 16)),
  cancel: (h) =>
    typeof cancelAnimationFrame === 'function' ? cancelAnimationFrame(h as number) : clearTimeout(h as number),
}

export const useLabStore = defineStore('lab', () => {
  const api = getApi()
  const sockets = reactive(new Map<string, SocketView>())
  const dismissed = new Set<string>()
  const log = markRaw(new RingBuffer<LogRow>(DEFAULT_LOG_CAPACITY))
  const logVersion = ref(0)
  /** Bumped whenever any socket view changes (once per flush at most, on creation, on dismiss). */
  const version = ref(0)
  const totalEvents = ref(0)
  const appInfo = shallowRef<AppInfo>()
  const interfaces = shallowRef<NetInterface[]>([])
  const filter = reactive<{ socket: string; kinds: Set<LabEventKind> }>({ socket: '', kinds: new Set() })

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
  let seq = 0
  let unsubscribe: (() => void) | undefined
  let scheduler = defaultScheduler

  /** The view of socket `id`, made on first sight, for a change about to be made to it. */
  function view(id: string): SocketView | undefined {
    const known = sockets.get(id)
    if (known) {
      toRaw(known).rev++
      return known
    }
    if (dismissed.has(id)) return undefined
    const kind = ID_KINDS[id.replace(/\d+$/, '')] ?? 'tcp-client'
    sockets.set(id, {
      info: { id, kind, state: 'connecting', bytesIn: 0, bytesOut: 0 },
      reads: 0,
      chunks: markRaw([]),
      times: { created: performance.timeOrigin + performance.now() },
      rev: 0,
    })
    return sockets.get(id)
  }

  function upsert(info: SocketInfo, tag?: string): void {
    const fresh = !toRaw(sockets).has(info.id)
    const made = view(info.id)
    if (!made) return
    touch()
    // A view made just now has not been read by anyone yet (adding it to the map is what tells
    // its readers), so it is filled in without a reactive write per field: 1,000 clients at once
    // took ~50 ms of the renderer that way.
    const v = fresh ? toRaw(made) : made
    v.tag ??= tag
    v.info.kind = info.kind
    v.info.queue ??= info.queue
    v.info.parent ??= info.parent
    v.info.local ??= info.local
    v.info.remote ??= info.remote
    if (v.info.state === 'connecting') v.info.state = info.state
  }

  // Hot-path changes (bytes, reads, chunks) are summed on plain data during a flush and written
  // to reactive state once per socket per frame: a flood of reads costs one update, not one each.
  interface Delta {
    bytesIn: number
    bytesOut: number
    reads: number
    chunks: Chunk[]
    last?: { kind: LabEventKind; t: number }
  }
  let deltas = new Map<SocketView, Delta>()

  function delta(v: SocketView): Delta {
    let d = deltas.get(v)
    if (!d) deltas.set(v, (d = { bytesIn: 0, bytesOut: 0, reads: 0, chunks: [] }))
    return d
  }

  function addChunk(d: Delta, c: Chunk): void {
    d.chunks.push(c)
    if (d.chunks.length >= 2 * CHUNKS_PER_SOCKET) d.chunks.splice(0, d.chunks.length - CHUNKS_PER_SOCKET)
  }

  function commitDeltas(): void {
    for (const [v, d] of deltas) {
      if (d.bytesIn) v.info.bytesIn += d.bytesIn
      if (d.bytesOut) v.info.bytesOut += d.bytesOut
      if (d.reads) v.reads += d.reads
      if (d.chunks.length) v.chunks = markRaw(v.chunks.concat(d.chunks).slice(-CHUNKS_PER_SOCKET))
      if (d.last) v.last = d.last
    }
    deltas = new Map()
  }

  function mark(v: SocketView, ev: LabEvent, note?: string): void {
    const c: Chunk = { dir: 'mark', mark: ev.kind, t: ev.t, bytes: 0, preview: '', truncated: false }
    if (note !== undefined) c.note = note
    addChunk(delta(v), c)
  }

  function apply(ev: LabEvent): void {
    if (dismissed.has(ev.id)) return
    const v = view(ev.id)
    if (!v) return
    const s = v.info
    if (ev.kind !== 'queue' && ev.kind !== 'overflow') delta(v).last = { kind: ev.kind, t: ev.t }
    switch (ev.kind) {
      case 'listening':
        s.state = ev.transport === 'udp' ? 'bound' : 'listening'
        s.local = ev.local
        break
      case 'connecting':
        v.times.created = ev.t
        break
      case 'lookup':
        v.resolved = { host: ev.host, address: ev.address }
        break
      case 'connect':
        if (s.kind !== 'udp') s.state = 'open'
        s.local = ev.local
        s.remote = ev.remote
        v.times.connected = ev.t
        mark(v, ev)
        break
      case 'queue':
        v.queue = {
          mode: ev.mode,
          slots: ev.slots,
          kernel: ev.kernel,
          app: ev.app,
          overflows: ev.overflows,
          overflowBase: v.queue?.overflowBase ?? ev.overflows,
        }
        break
      case 'serve': {
        const c = view(ev.conn)
        if (ev.phase === 'start') {
          v.serving = ev.conn
          if (c) c.times.served = ev.t
        } else {
          if (v.serving === ev.conn) v.serving = undefined
          if (c) {
            c.times.done = ev.t
            c.serveEnd = ev.reason
          }
        }
        break
      }
      case 'connection':
        upsert(
          {
            id: ev.conn,
            kind: 'tcp-conn',
            state: 'open',
            parent: ev.id,
            local: ev.local,
            remote: ev.remote,
            bytesIn: 0,
            bytesOut: 0,
          },
          v.tag,
        )
        {
          const c = view(ev.conn)
          if (c) {
            mark(c, ev)
            delta(c).last = { kind: 'connection', t: ev.t }
          }
        }
        break
      case 'data': {
        const d = delta(v)
        d.bytesIn += ev.bytes
        d.reads++
        addChunk(d, {
          dir: 'in',
          t: ev.t,
          bytes: ev.bytes,
          preview: ev.preview,
          truncated: ev.truncated,
          peer: ev.from,
        })
        break
      }
      case 'sent': {
        const d = delta(v)
        d.bytesOut += ev.bytes
        const c: Chunk = {
          dir: 'out',
          t: ev.t,
          bytes: ev.bytes,
          preview: ev.preview,
          truncated: ev.truncated,
          peer: ev.to,
        }
        if (ev.auto) c.auto = true
        addChunk(d, c)
        break
      }
      case 'overflow': {
        const d = delta(v)
        if (ev.of === 'data') {
          d.bytesIn += ev.bytes
          d.reads += ev.reads
        } else d.bytesOut += ev.bytes
        break
      }
      case 'end':
        s.state = s.state === 'half-closed' ? 'closed' : 'peer-ended'
        mark(v, ev)
        break
      case 'shutdown':
        if (s.state !== 'peer-ended') s.state = 'half-closed'
        mark(v, ev)
        break
      case 'close':
        s.state = 'closed'
        v.times.closed = ev.t
        mark(v, ev, ev.reset ? 'reset' : undefined)
        break
      case 'error':
        v.error = { code: ev.code, message: ev.message }
        mark(v, ev, ev.code)
        break
      case 'name':
        s.name = ev.name
        mark(v, ev, ev.name)
        break
    }
    const logged =
      (ev.kind === 'data' || ev.kind === 'sent') && ev.preview.length > LOG_PREVIEW_CHARS
        ? { ...ev, preview: ev.preview.slice(0, LOG_PREVIEW_CHARS), truncated: true }
        : ev
    log.push({ seq: ++seq, ev: logged })
  }

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
          apply(ev)
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
    busy = flood >= BUSY_EVENTS || (sockets.size >= CROWD && t1 - flushedAt < 2 * BUSY_INTERVAL_MS)
    flushedAt = t1
    // The rest of a burst: with the next frame, or when busy, after the same pause as new events
    // (each update re-derives the panels; a burst of 1,000 SYNs must not re-derive them 60 times
    // a second).
    if (queue.length) schedule()
    commitDeltas()
    if (n || dirty) version.value++
    dirty = false
    if (n) {
      totalEvents.value += n
      logVersion.value++
    }
  }

  /** Views changed outside a batch (a call's answer), or a panel still catching up (its paced
   * cards): bump the version with the next frame. */
  let dirty = false
  /** A flush is applying events: a view it touches (a socket first seen) is shown by that flush,
   * so nothing is scheduled for it (a timer set then would count from the flush before, and
   * cut short the wait a busy store keeps between updates). */
  let applying = false
  function touch(): void {
    dirty = true
    if (!applying) schedule()
  }

  function receive(batch: LabEvent[]): void {
    queue.push(batch)
    waiting += batch.length
    schedule()
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

  function start(s: Scheduler = defaultScheduler): void {
    scheduler = s
    unsubscribe ??= api.onEvent(receive)
  }

  function stop(): void {
    unsubscribe?.()
    unsubscribe = undefined
    clearTimeout(delay)
    delay = undefined
    flush(true)
  }

  // --- calls -------------------------------------------------------------------------------

  async function created(p: Promise<Result<SocketInfo>>, tag: string): Promise<Result<SocketInfo>> {
    const r = await p
    if (r.ok) upsert(r.data, tag)
    return r
  }

  const listen = (req: TcpListenReq, tag = '') => created(api.tcpListen(req), tag)
  const backlogListen = (req: BacklogListenReq, tag = '') => created(api.backlogListen(req), tag)
  const backlogMode = () => api.backlogMode()
  const connect = (req: TcpConnectReq, tag = '') => created(api.tcpConnect(req), tag)
  async function connectMany(req: TcpConnectManyReq, tag = ''): Promise<Result<SocketInfo[]>> {
    const r = await api.tcpConnectMany(req)
    if (r.ok) for (const info of r.data) upsert(info, tag)
    return r
  }
  const udpBind = (req: UdpBindReq, tag = '') => created(api.udpBind(req), tag)
  const send = (id: string, data: string, encoding: Encoding, repeat = 1) =>
    api.tcpSend(repeat > 1 ? { id, data, encoding, repeat } : { id, data, encoding })
  const received = (id: string) => api.tcpReceived({ id })
  const saveFile = (name: string, data: string) => api.fileSave({ name, data })
  const udpSend = (req: UdpSendReq) => api.udpSend(req)
  const udpConnect = (req: UdpConnectReq) => api.udpConnect(req)
  const udpFlood = (req: UdpFloodReq) => api.udpFlood(req)
  const shutdown = (id: string) => api.tcpShutdown({ id })
  const reset = (id: string) => api.tcpReset({ id })
  const close = (id: string) => api.socketClose({ id })

  /** Closes a socket if it is open and forgets it; its late events are ignored. */
  async function dismiss(id: string): Promise<void> {
    const v = sockets.get(id)
    if (v && v.info.state !== 'closed') await api.socketClose({ id })
    dismissed.add(id)
    sockets.delete(id)
    touch()
  }

  async function loadInfo(): Promise<LabError | undefined> {
    const [info, ifs] = await Promise.all([api.appInfo(), api.netInterfaces()])
    if (info.ok) appInfo.value = info.data
    if (ifs.ok) interfaces.value = ifs.data
    return !info.ok ? info : !ifs.ok ? ifs : undefined
  }

  // --- log ---------------------------------------------------------------------------------

  /** The rows a filter lets through, or undefined when there is no filter (then the ring is read
   * in place: a flood must not copy 10,000 rows every frame). */
  const filtered = computed<LogRow[] | undefined>(() => {
    const { socket, kinds } = filter
    if (!socket && kinds.size === 0) return undefined
    void logVersion.value
    return log
      .toArray()
      .filter(
        (r) =>
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

  const socketList = computed(() => [...sockets.values()])
  /**
   * One panel's sockets. The same array comes back while that panel's sockets are the same, so a
   * panel does not re-render when another panel's sockets come and go (1,000 backlog clients).
   */
  const scope = getCurrentScope()
  const tagged = new Map<string, ComputedRef<SocketView[]>>()
  const byTag = (tag: string): SocketView[] => {
    let list = tagged.get(tag)
    if (!list) {
      const make = (): ComputedRef<SocketView[]> =>
        computed<SocketView[]>((prev) => {
          return sameItems(
            prev,
            socketList.value.filter((v) => v.tag === tag),
          )
        })
      list = scope ? scope.run(make)! : make()
      tagged.set(tag, list)
    }
    return list.value
  }
  /**
   * The same as plain data that tracks one dependency (version) instead of every field of every
   * view: for panels that follow hundreds of sockets. Readers re-render on each version.
   */
  const rawByTag = (tag: string): SocketView[] => {
    void version.value
    return [...toRaw(sockets).values()].filter((v) => v.tag === tag)
  }

  return {
    sockets,
    socketList,
    byTag,
    rawByTag,
    version,
    appInfo,
    interfaces,
    filter,
    rows,
    rowCount,
    rowsSlice,
    logVersion,
    totalEvents,
    logCapacity: computed(() => (void logVersion.value, log.capacity)),
    logLength: computed(() => (void logVersion.value, log.length)),
    start,
    stop,
    flush,
    listen,
    backlogListen,
    backlogMode,
    connect,
    connectMany,
    udpBind,
    send,
    received,
    saveFile,
    udpSend,
    udpConnect,
    udpFlood,
    shutdown,
    reset,
    close,
    dismiss,
    loadInfo,
    clearLog,
    lastRows,
    setLogCapacity,
    exportJsonl,
    touch,
  }
})
