/**
 * The inspector's store: polls the OS socket table while the inspector is shown, and also, out of
 * sight, whenever the lab has TCP sockets (and for TIME_WAIT's length after the last one closed),
 * so that a connection made on another tab (the HTTP GET's) has its states recorded too. Readings
 * come at a rate that keeps them under 1% of a core (500 x what one reading cost, 0.5 s to 10 s),
 * and at once, then quickly, when a lab socket opens, closes or changes state.
 */
import { defineStore } from 'pinia'
import { ref, shallowRef, watch } from 'vue'
import {
  inspectorInterval,
  type CaptureFormat,
  type LabError,
  type OsSocket,
  type ParsedTable,
  type SocketTable,
} from '../../../shared/contract'
import { getApi } from '../api'
import { useLabStore } from './lab'

export interface Seen {
  state: string
  /** Event clock (ms), the same as the lab's events. */
  t: number
}

const MAX_TRACKED = 500
const MAX_STEPS = 40
/** Closed lab sockets kept in the table, greyed, with their history (the newest ones). */
const MAX_GONE = 100
/** After an action the table is read this often, for this long: the class sees FIN_WAIT2 and
 * TIME_WAIT as they happen instead of waiting for the next slow reading. */
export const FAST_MS = 150
export const FAST_FOR_MS = 3000
/** Recording goes on this long after the lab's last TCP socket closed: TIME_WAIT is 60 s on
 * Linux (2 MSL: 30 s to 4 min elsewhere), and the class should see it end. */
export const LINGER_MS = 70_000
const now = (): number => performance.timeOrigin + performance.now()

export const useInspectorStore = defineStore('inspector', () => {
  const api = getApi()
  const table = shallowRef<SocketTable>()
  const error = ref<LabError>()
  const all = ref(false)
  const intervalMs = ref(500)
  /** Per lab socket id (and `<id>:peer` for the other end on this machine): states seen. */
  const history = shallowRef(new Map<string, Seen[]>())
  /** Lab sockets whose rows left the OS table: their last row and when it went. */
  const gone = shallowRef(new Map<string, { row: OsSocket; t: number }>())
  let timer: ReturnType<typeof setTimeout> | undefined
  let running = false
  let fastUntil = 0
  let polling: Promise<void> | undefined

  function record(map: Map<string, Seen[]>, key: string, state: string, t: number): boolean {
    const h = map.get(key) ?? []
    if (h.at(-1)?.state === state) return false
    map.set(key, [...h, { state, t }].slice(-MAX_STEPS))
    return true
  }

  let lastReadAt = 0
  /** Out of sight: a lab TCP socket changed after the last reading was asked for (it is due a
   * second after that one, not at the next heartbeat). */
  let unread = false
  /** The next reading goes to the OS whatever the lab did (the refresh button). */
  let freshNext = false
  async function poll(): Promise<void> {
    lastReadAt = Date.now()
    unread = false
    const fresh = freshNext
    freshNext = false
    const r = await api.osSockets(fresh ? { all: all.value, fresh } : { all: all.value })
    if (!r.ok) {
      error.value = r
      return
    }
    error.value = undefined
    const t = now()
    keepGone(table.value?.rows ?? [], r.data.rows, t)
    table.value = r.data
    const map = new Map(history.value)
    let changed = false
    const seen = new Set<string>()
    for (const row of r.data.rows) {
      const key = row.lab ?? (row.peerOf ? `${row.peerOf}:peer` : undefined)
      if (!key || seen.has(key)) continue
      seen.add(key)
      changed = record(map, key, row.state, t) || changed
    }
    for (const key of map.keys()) if (!seen.has(key)) changed = record(map, key, 'CLOSED', t) || changed
    while (map.size > MAX_TRACKED) map.delete(map.keys().next().value as string)
    if (changed) history.value = map
    intervalMs.value = inspectorInterval(r.data.costMs)
  }

  /** Lab rows in the last reading that are missing from this one are kept, as closed. */
  function keepGone(before: OsSocket[], after: OsSocket[], t: number): void {
    const present = new Set(after.map((r) => r.lab).filter(Boolean))
    const left = before.filter((r) => r.lab && r.proto === 'tcp' && !present.has(r.lab))
    const back = [...gone.value.keys()].some((id) => present.has(id))
    if (!left.length && !back) return
    const map = new Map(gone.value)
    for (const id of present) map.delete(id!)
    for (const row of left) map.set(row.lab!, { row: { ...row, state: 'CLOSED', sendQ: null, recvQ: null }, t })
    while (map.size > MAX_GONE) map.delete(map.keys().next().value as string)
    gone.value = map
  }

  const pollOnce = (): Promise<void> => (polling ??= poll().finally(() => (polling = undefined)))
  /** Fast readings still keep to ~3% of a core: a table that costs more is read less often. */
  const delay = (): number =>
    Date.now() < fastUntil ? Math.max(FAST_MS, 30 * (table.value?.costMs ?? 0)) : intervalMs.value

  /** Whether the inspector is on screen; out of sight it reads only while `recording()`. */
  let shown = false
  let lingerUntil = 0
  /** Whether the lab has a TCP socket open (follow() keeps it). */
  let openTcp = false
  const recording = (): boolean => openTcp || Date.now() < lingerUntil

  /** The inspector is shown: read now and on, whatever the lab has. */
  function start(): void {
    shown = true
    run()
  }
  function run(): void {
    if (running) return
    running = true
    void loop()
  }
  /** One chain of readings at a time: a loop started again (quicken) ends the one before. */
  let chain = 0
  /** When the next reading of the chain is due (Date.now() time). */
  let nextAt = 0
  async function loop(): Promise<void> {
    clearTimeout(timer)
    const mine = ++chain
    await pollOnce()
    if (mine !== chain || !running) return
    if (!shown && !recording()) return halt()
    const at = Date.now() + delay()
    wake(unread ? Math.min(at, lastReadAt + 1000) : at)
  }
  /** The chain's next reading at `at` (a loop started then). */
  function wake(at: number): void {
    clearTimeout(timer)
    nextAt = at
    timer = setTimeout(() => void loop(), Math.max(0, at - Date.now()))
  }

  /** Something was done to a socket: read the table now, then quickly for a few seconds. */
  function quicken(): void {
    const fast = Date.now() < fastUntil
    fastUntil = Date.now() + FAST_FOR_MS
    if (running && !fast) void loop()
  }

  /** The inspector is hidden: readings go on only while the lab has TCP sockets to record. */
  function stop(): void {
    shown = false
    if (!recording()) halt()
  }
  function halt(): void {
    running = false
    fastUntil = 0
    clearTimeout(timer)
    timer = undefined
  }

  /**
   * Records the lab's TCP sockets wherever the page is: a lab TCP socket opened, closed or changed
   * state starts (or quickens) the readings; the data they carry does not (a flood would keep
   * them fast). Called once, when the app starts.
   */
  let following = false
  function follow(): void {
    if (following) return
    following = true
    const lab = useLabStore()
    const tcpStates = (): string =>
      lab.socketList
        .filter((v) => v.info.kind.startsWith('tcp'))
        .map((v) => `${v.info.id}:${v.info.state}`)
        .join(' ')
    watch(tcpStates, (now, before) => {
      if (now === before) return
      openTcp = lab.socketList.some((v) => v.info.kind.startsWith('tcp') && v.info.state !== 'closed')
      if (openTcp || before) lingerUntil = Date.now() + LINGER_MS
      if (!recording()) return
      if (shown) return quicken()
      // Out of sight: a reading at once, at most one a second (the backlog demo's thousand
      // clients change all the time): a change within a second of the last reading, or while it
      // is on its way, is read a second after it, not at the next heartbeat (a connection of
      // 1.5 s fell between two, twice in CI).
      if (!running) return run()
      unread = true
      if (polling) return // the chain goes on when the reading is back (loop)
      if (Date.now() - lastReadAt >= 1000) void loop()
      else if (nextAt > lastReadAt + 1000) wake(lastReadAt + 1000)
    })
  }

  /** The refresh button: the OS's table read now, then quickly for a few seconds. */
  function refresh(): void {
    freshNext = true
    fastUntil = Date.now() + FAST_FOR_MS
    if (running) void loop()
    else void pollOnce()
  }

  function setAll(v: boolean): void {
    all.value = v
    if (running) void poll()
  }

  /** A table pasted from another machine (a student's netstat -ano), read by the engine's parsers. */
  const pasted = shallowRef<ParsedTable>()
  const pasteError = ref<LabError>()
  async function parsePasted(text: string, format?: CaptureFormat): Promise<void> {
    const r = await api.osParse(format ? { text, format } : { text })
    pasted.value = r.ok ? r.data : undefined
    pasteError.value = r.ok ? undefined : r
  }

  return {
    table,
    error,
    all,
    intervalMs,
    history,
    gone,
    start,
    stop,
    follow,
    poll: pollOnce,
    quicken,
    refresh,
    setAll,
    pasted,
    pasteError,
    parsePasted,
  }
})
