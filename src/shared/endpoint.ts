import type { Endpoint } from './contract'

/** "127.0.0.1:8001" or "[::1]:8001": how an address and port are written everywhere in the lab. */
export function formatEndpoint(e: Endpoint): string {
  return e.family === 'IPv6' ? `[${e.address}]:${e.port}` : `${e.address}:${e.port}`
}
