/**
 * The inspector's rows in the order a class reads them: a connection's two ends (both on this
 * machine) next to each other, each pair where its first row was; closed lab sockets kept.
 */
import type { OsSocket } from '../../../shared/contract'
import { formatEndpoint } from '../../../shared/endpoint'

export interface ShownRow extends OsSocket {
  /** A closed lab socket, kept (greyed) after its row left the OS table: when it left. */
  goneAt?: number
}

const pairKey = (r: OsSocket): string =>
  `${r.proto} ${[formatEndpoint(r.local), formatEndpoint(r.remote)].sort().join(' ')}`

export function groupEnds(rows: ShownRow[]): ShownRow[] {
  const groups = new Map<string, ShownRow[]>()
  for (const r of rows) {
    const k = r.state === 'LISTEN' || r.proto === 'udp' ? `${pairKey(r)} ${groups.size}` : pairKey(r)
    const g = groups.get(k)
    if (g) g.push(r)
    else groups.set(k, [r])
  }
  return [...groups.values()].flat()
}
