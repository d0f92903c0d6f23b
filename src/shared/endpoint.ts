import type { Endpoint } from './contract'

/** "127.0.0.1:8001" or "[::1]:8001": how an address and port are written everywhere in the lab.
 * (Only an IPv6 address contains a colon, so the family need not be given.) */
export function formatEndpoint(e: Pick<Endpoint, 'address' | 'port'>): string {
  return e.address.includes(':') ? `[${e.address}]:${e.port}` : `${e.address}:${e.port}`
}

/** 127.0.0.0/8, ::1, or 127.x written as an IPv4-mapped IPv6 address: reachable from this machine only. */
export function isLoopback(address: string): boolean {
  return /^(127\.|::1$|::ffff:127\.)/i.test(address)
}

/** "::ffff:127.0.0.1" -> "127.0.0.1": the same IPv4 endpoint, whichever table it came from. */
export function plainAddress(a: string): string {
  return a.toLowerCase().startsWith('::ffff:') && a.includes('.') ? a.slice(7) : a
}

/**
 * An address as two socket tables can compare it: IPv4 without its IPv6 mapping, and a
 * link-local IPv6 address without its %scope, which every source writes its own way (Node and
 * macOS netstat "fe80::1%en0", Windows netstat "%12", Linux's /proc none).
 */
export function matchAddress(a: string): string {
  return plainAddress(a).replace(/%.*$/, '')
}

/** 0.0.0.0 or `::`: bound to every interface (of its family; `::` takes IPv4 too). */
export function isWildcard(address: string): boolean {
  return address === '0.0.0.0' || address === '::'
}

/**
 * The address a client on this machine dials to reach a server bound to `address`: a wildcard
 * bind (every interface) is reached through loopback of the same family.
 */
export function dialable(address: string): string {
  return address === '0.0.0.0' ? '127.0.0.1' : address === '::' ? '::1' : address
}
