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
