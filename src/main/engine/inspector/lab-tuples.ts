/**
 * Which OS socket-table rows are the lab's: a lab socket is known by its endpoints (a connection
 * by both, a listener or a UDP socket by its local one). Closed sockets are remembered for a few
 * minutes, since the OS keeps them (TIME_WAIT lasts 60 s on Linux, up to 4 min elsewhere).
 */
import type { OsSocket } from '../../../shared/contract'
import { matchAddress } from '../../../shared/endpoint'
import { tupleKey } from './os-sockets'
import type { Entry } from '../registry'

const KEEP_MS = 4 * 60_000
const MAX_KEPT = 20_000

interface Known {
  owner: string
  id: string
  until: number
  ports: number[]
}

/** A listener or a UDP socket is known by its local endpoint alone. */
const boundKey = (proto: string, local: { address: string; port: number }): string =>
  `${proto} ${matchAddress(local.address)}:${local.port} *`

export class LabTuples {
  private readonly byKey = new Map<string, Known>()

  /** Remembers a socket's endpoints; `closed` starts its grace period. */
  note(e: Entry, closed = false): void {
    const { local, remote, kind, id } = e.info
    if (!local) return
    const proto = kind === 'udp' ? 'udp' : 'tcp'
    const key = remote && kind !== 'udp' ? tupleKey(proto, local, remote) : boundKey(proto, local)
    this.byKey.delete(key) // re-insert: the map stays in age order
    const ports = remote ? [local.port, remote.port] : [local.port]
    this.byKey.set(key, { owner: e.owner, id, until: closed ? Date.now() + KEEP_MS : Infinity, ports })
    this.prune()
  }

  /** Every port the owner's lab sockets use (to skip decoding rows that cannot be theirs). */
  ports(owner: string): Set<number> {
    const out = new Set<number>()
    for (const k of this.byKey.values()) if (k.owner === owner) for (const p of k.ports) out.add(p)
    return out
  }

  mark(owner: string, rows: OsSocket[]): OsSocket[] {
    const now = Date.now()
    return rows.map((r) => {
      const k =
        this.byKey.get(tupleKey(r.proto, r.local, r.remote)) ??
        (r.state === 'LISTEN' || r.proto === 'udp' ? this.byKey.get(boundKey(r.proto, r.local)) : undefined)
      if (k && k.owner === owner && k.until > now) return { ...r, lab: k.id }
      const p = r.proto === 'tcp' && r.remote.port ? this.byKey.get(tupleKey(r.proto, r.remote, r.local)) : undefined
      return p && p.owner === owner && p.until > now ? { ...r, peerOf: p.id } : r
    })
  }

  private prune(): void {
    const now = Date.now()
    for (const [key, k] of this.byKey) {
      if (this.byKey.size <= MAX_KEPT && k.until > now) break
      if (k.until <= now || this.byKey.size > MAX_KEPT) this.byKey.delete(key)
    }
  }
}
