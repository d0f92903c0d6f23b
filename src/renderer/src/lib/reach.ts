import type { Endpoint, NetInterface, SocketInfo } from '../../../shared/contract'
import { isLoopback, isWildcard } from '../../../shared/endpoint'

/** fe80::/10 and 169.254.0.0/16: good on one link only, and an IPv6 one needs its %scope to be
 * dialled at all — no address to put on the board for a class. */
export function isLinkLocal(address: string): boolean {
  return /^fe[89ab][0-9a-f]:/i.test(address) || address.startsWith('169.254.')
}

/**
 * An adapter that leads to a virtual machine, a container or a VPN on this PC rather than to the
 * classroom LAN: Hyper-V and WSL ("vEthernet (WSL)"), VMware ("VMware Network Adapter VMnet8",
 * vmnet1), VirtualBox ("VirtualBox Host-Only Network", vboxnet0), Docker (docker0, br-…), libvirt
 * (virbr0), macOS tunnels (utun3) and bridges (bridge100).
 */
export function isVirtualAdapter(name: string): boolean {
  return /vEthernet|WSL|Hyper-V|VMware|VMnet|VirtualBox|vboxnet|docker|^br-|virbr|^veth|^utun|^bridge\d|^awdl|^llw|Loopback Pseudo/i.test(
    name,
  )
}

/**
 * Where classmates can reach a server bound to `local`: the LAN addresses behind a wildcard bind,
 * the address itself otherwise; none for loopback (only this machine can connect there). Link-local
 * addresses are left out, and so are virtual adapters' while a real one is there (a classmate
 * cannot reach a WSL or VMware network); a PC with nothing else still gets them.
 */
export function reachable(local: Endpoint | undefined, interfaces: readonly NetInterface[]): Endpoint[] {
  if (!local) return []
  if (!isWildcard(local.address)) return isLoopback(local.address) ? [] : [local]
  const lan = interfaces.filter(
    (i) => !i.internal && !isLinkLocal(i.address) && (local.address === '::' || i.family === 'IPv4'),
  )
  const real = lan.filter((i) => !isVirtualAdapter(i.name))
  return (real.length ? real : lan).map((i) => ({ address: i.address, port: local.port, family: i.family }))
}

/**
 * The other listening TCP servers that hold `me`'s port at an overlapping address: the same one,
 * or a wildcard beside a single address. Linux refuses such a second server (EADDRINUSE); Windows
 * and macOS let both listen, and a client reaches whichever is bound to exactly the address it
 * dialled, else the wildcard one — a second server that silently takes part of the traffic.
 */
export function samePortServers(me: SocketInfo, all: readonly SocketInfo[]): SocketInfo[] {
  const l = me.local
  if (me.kind !== 'tcp-server' || me.state !== 'listening' || !l) return []
  const v6wild = (a: string): boolean => a === '::' // dual-stack: it takes IPv4 too
  return all.filter((o) => {
    const ol = o.local
    if (o.id === me.id || o.kind !== 'tcp-server' || o.state !== 'listening' || !ol || ol.port !== l.port) return false
    if (ol.address === l.address) return true
    const sameFamily = ol.family === l.family || v6wild(ol.address) || v6wild(l.address)
    return sameFamily && (isWildcard(ol.address) || isWildcard(l.address))
  })
}
