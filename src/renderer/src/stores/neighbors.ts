/**
 * The neighbour table (ARP / NDP) as the Addresses tab shows it: read while the tab is shown
 * (every second, and at once when asked), each row that appears after the first reading kept as
 * "learned just now" with the lab socket that talked to that address, if one did.
 */
import { defineStore } from 'pinia'
import { computed, reactive, ref, shallowRef, toRaw } from 'vue'
import type { DnsServers, GatewayInfo, LabError, NeighborRow } from '../../../shared/contract'
import { getApi } from '../api'
import { useLabStore } from './lab'

export interface Learned {
  at: number
  /** The lab socket whose peer is this address (its on-screen name), when one is. */
  by?: string
}
export const NEIGHBOR_POLL_MS = 1000

export const useNeighborsStore = defineStore('neighbors', () => {
  const api = getApi()
  const lab = useLabStore()
  const rows = shallowRef<NeighborRow[]>([])
  const gateway = shallowRef<GatewayInfo | null>()
  const dns = shallowRef<DnsServers>()
  const source = ref<string>()
  const error = ref<LabError>()
  const learned = reactive(new Map<string, Learned>())
  let known: Set<string> | undefined
  let timer: ReturnType<typeof setTimeout> | undefined

  /** The lab's peers: the remote address of each lab socket (a classmate's machine). */
  const peers = computed(() => {
    void lab.version
    const m = new Map<string, string>()
    for (const v of toRaw(lab.sockets).values()) {
      const a = v.info.remote?.address.replace(/^::ffff:/, '')
      if (a) m.set(a, lab.displayName(v.info.id))
    }
    return m
  })

  async function refresh(): Promise<void> {
    const r = await api.osNeighbors()
    if (!r.ok) return void (error.value = r)
    error.value = undefined
    source.value = r.data.source
    gateway.value = r.data.gateway
    dns.value = r.data.dns
    const first = known === undefined
    for (const row of r.data.rows) {
      // a row for an address nobody answered (failed, incomplete) taught the table nothing
      if (first || known!.has(row.ip) || !row.mac) continue
      const by = peers.value.get(row.ip)
      learned.set(row.ip, { at: Date.now(), ...(by ? { by } : {}) })
    }
    known = new Set(r.data.rows.map((x) => x.ip))
    rows.value = r.data.rows
  }

  /** Reads now and then every NEIGHBOR_POLL_MS until stop(). */
  function start(): void {
    stop()
    const tick = async (): Promise<void> => {
      await refresh()
      if (timer !== undefined) timer = setTimeout(() => void tick(), NEIGHBOR_POLL_MS)
    }
    timer = setTimeout(() => void tick(), 0)
  }
  function stop(): void {
    clearTimeout(timer)
    timer = undefined
  }

  return { rows, source, gateway, dns, error, learned, peers, refresh, start, stop }
})
