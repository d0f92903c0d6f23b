import type { Endpoint, NetInterface } from '../../../shared/contract'
import { isLoopback } from '../../../shared/endpoint'

/**
 * Where classmates can reach a server bound to `local`: the LAN addresses behind a wildcard bind,
 * the address itself otherwise; none for loopback (only this machine can connect there).
 */
export function reachable(local: Endpoint | undefined, interfaces: readonly NetInterface[]): Endpoint[] {
  if (!local) return []
  const wildcard = local.address === '0.0.0.0' || local.address === '::'
  if (!wildcard) return isLoopback(local.address) ? [] : [local]
  return interfaces
    .filter((i) => !i.internal && (local.address === '::' || i.family === 'IPv4'))
    .map((i) => ({ address: i.address, port: local.port, family: i.family }))
}
