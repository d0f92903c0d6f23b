/**
 * The UDP demo's view: its sockets, and where each one's send form points at first (a pair's
 * sender points at its receiver); and what the panel does (bind one socket, bind a pair).
 */
import { defineStore } from 'pinia'
import { computed, reactive } from 'vue'
import type { LabError, UdpBindReq } from '../../../shared/contract'
import { useLabStore } from './lab'

export const UDP_TAG = 'udp'

export const useUdpStore = defineStore('udp', () => {
  const lab = useLabStore()
  const targets = reactive(new Map<string, { host: string; port: number }>())
  /** The ends of each pair the panel made. */
  const roles = reactive(new Map<string, 'receiver' | 'sender'>())
  const sockets = computed(() => lab.byTag(UDP_TAG))
  /** What each socket was bound with (echo, broadcast): its Python code says so. */
  const bound = reactive(new Map<string, UdpBindReq>())

  async function bind(req: UdpBindReq): Promise<{ id?: string; error?: LabError }> {
    const r = await lab.udpBind(req, UDP_TAG)
    if (r.ok) bound.set(r.data.id, req)
    return r.ok ? { id: r.data.id } : { error: r }
  }

  /** A receiver and a sender on 127.0.0.1, the sender's form pointed at the receiver. */
  async function pair(): Promise<LabError | undefined> {
    const rx = await bind({ host: '127.0.0.1', port: 0 })
    if (!rx.id) return rx.error
    const port = lab.sockets.get(rx.id)?.info.local?.port ?? 0
    roles.set(rx.id, 'receiver')
    const tx = await bind({ host: '127.0.0.1', port: 0 })
    if (tx.id) {
      targets.set(tx.id, { host: '127.0.0.1', port })
      roles.set(tx.id, 'sender')
    }
    return undefined
  }

  return { targets, roles, sockets, bound, bind, pair }
})
