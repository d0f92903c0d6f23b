import os from 'node:os'
import type { NetInterface } from '../../../shared/contract'

/** This machine's addresses, for the bind-address chooser and the address tool. */
export function listInterfaces(): NetInterface[] {
  const out: NetInterface[] = []
  for (const [name, addrs] of Object.entries(os.networkInterfaces())) {
    for (const a of addrs ?? []) {
      out.push({
        name,
        address: a.address,
        family: a.family === 'IPv6' ? 'IPv6' : 'IPv4',
        netmask: a.netmask,
        mac: a.mac,
        internal: a.internal,
        cidr: a.cidr,
      })
    }
  }
  return out
}
