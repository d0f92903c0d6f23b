/**
 * The inspector's store: polls the OS socket table while the inspector is shown, at a rate that
 * keeps the reading under 1% of a core (500 x what one reading cost, 0.5 s to 10 s), and records
 * the states each lab socket passed through, as seen by those polls.
 */
import { defineStore } from 'pinia'
import { ref, shallowRef } from 'vue'
import {
  inspectorInterval,
  type CaptureFormat,
  type LabError,
  type ParsedTable,
  type SocketTable,
} from '../../../shared/contract'
import { getApi } from '../api'

export interface Seen {
  state: string
  /** Event clock (ms), the same as the lab's events. */
  t: number
}

const MAX_TRACKED = 500
const MAX_STEPS = 40
const now = (): number => performance.timeOrigin + performance.now()

export const useInspectorStore = defineStore('inspector', () => {
  const api = getApi()
  const table = shallowRef<SocketTable>()
  const error = ref<LabError>()
  const all = ref(false)
  const intervalMs = ref(500)
  /** Per lab socket id (and `<id>:peer` for the other end on this machine): states seen. */
  const history = shallowRef(new Map<string, Seen[]>())
  let timer: ReturnType<typeof setTimeout> | undefined
  let running = false

  function record(map: Map<string, Seen[]>, key: string, state: string, t: number): boolean {
    const h = map.get(key) ?? []
    if (h.at(-1)?.state === state) return false
    map.set(key, [...h, { state, t }].slice(-MAX_STEPS))
    return true
  }

  async function poll(): Promise<void> {
    const r = await api.osSockets({ all: all.value })
    if (!r.ok) {
      error.value = r
      return
    }
    error.value = undefined
    table.value = r.data
    const t = now()
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

  function start(): void {
    if (running) return
    running = true
    const loop = async (): Promise<void> => {
      await poll()
      if (running) timer = setTimeout(() => void loop(), intervalMs.value)
    }
    void loop()
  }

  function stop(): void {
    running = false
    clearTimeout(timer)
    timer = undefined
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

  return { table, error, all, intervalMs, history, start, stop, poll, setAll, pasted, pasteError, parsePasted }
})
