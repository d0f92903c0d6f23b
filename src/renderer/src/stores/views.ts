/**
 * The socket views: one per socket the page knows, made on first sight, changed by each event.
 * Hot-path changes (bytes, reads, chunks) are summed on plain data during a flush and written to
 * reactive state once per socket per frame (`commitDeltas`): a flood of reads costs one update.
 */
import { markRaw, toRaw } from 'vue'
import type { Endpoint, LabEvent, LabEventKind, SocketEvent, SocketInfo } from '../../../shared/contract'

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
  /** Its name on screen, numbered per panel and kind: S1 (a server), C1 (a client), A1 (a
   * connection accept() returned), U1 (a UDP socket). The engine's id (s1, c67) stays the key. */
  name?: string
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
  /** A TLS connection: its handshake, once done. */
  tls?: Omit<Extract<LabEvent, { kind: 'tls' }>, 'kind' | 'id' | 't'>
  /** Bumped (untracked) whenever the store changes this view: what `v-memo` over plain-data
   * views compares, so an unchanged card among hundreds is not re-rendered. */
  rev: number
}

export const CHUNKS_PER_SOCKET = 100

const ID_KINDS: Record<string, SocketInfo['kind']> = { s: 'tcp-server', a: 'tcp-conn', c: 'tcp-client', u: 'udp' }
const LETTER: Record<SocketInfo['kind'], string> = { 'tcp-server': 'S', 'tcp-conn': 'A', 'tcp-client': 'C', udp: 'U' }

/** Names numbered per panel and kind, in the order the sockets were first shown to that panel.
 * The name is written through the view given: a reactive view (one an event made before its
 * creation's answer) tells its readers, as the tab names of shared names need. */
export function createNamer(): (v: SocketView) => string {
  const counters = new Map<string, number>()
  return (v) => {
    if (v.name) return v.name
    const letter = LETTER[v.info.kind]
    const key = `${v.tag ?? ''} ${letter}`
    const n = (counters.get(key) ?? 0) + 1
    counters.set(key, n)
    return (v.name = `${letter}${n}`)
  }
}

export interface Views {
  view(id: string): SocketView | undefined
  upsert(info: SocketInfo, tag?: string): void
  /** Applies one event; the socket's view, or undefined when the socket was dismissed. */
  apply(ev: SocketEvent): SocketView | undefined
  commitDeltas(): void
}

/** `sockets` is the store's reactive map; `touch` asks for the next frame to show a change. */
export function createViews(sockets: Map<string, SocketView>, dismissed: Set<string>, touch: () => void): Views {
  const nameOf = createNamer()
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
    if (v.tag !== undefined) nameOf(v)
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

  function mark(v: SocketView, ev: SocketEvent, note?: string): void {
    const c: Chunk = { dir: 'mark', mark: ev.kind, t: ev.t, bytes: 0, preview: '', truncated: false }
    if (note !== undefined) c.note = note
    addChunk(delta(v), c)
  }

  /** Applies one event to its socket's view, and returns it; undefined when the socket was dismissed. */
  function apply(ev: SocketEvent): SocketView | undefined {
    if (dismissed.has(ev.id)) return undefined
    const v = view(ev.id)
    if (!v) return undefined
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
          synRecv: ev.synRecv,
          synSent: ev.synSent,
          queuedPorts: ev.queuedPorts,
          synSentPorts: ev.synSentPorts,
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
      case 'tls': {
        const facts: Record<string, unknown> = { ...ev }
        for (const k of ['kind', 'id', 't']) delete facts[k]
        v.tls = facts as NonNullable<SocketView['tls']>
        mark(v, ev, ev.protocol)
        break
      }
    }
    return v
  }

  return { view, upsert, apply, commitDeltas }
}
