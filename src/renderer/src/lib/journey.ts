/**
 * Seed 000's journey, the parts that need no socket: what was typed (a URL or a host name) read
 * into scheme, host, port and path.
 */
import { isIPv4, isIPv6 } from '../../../shared/ip'
import { checkDnsName } from '../../../shared/dns'

export type JourneyStepName = 'dns' | 'route' | 'arp' | 'tcp' | 'tls' | 'http' | 'close'

export interface Target {
  https: boolean
  host: string
  port: number
  path: string
  /** The host typed is an address: no DNS question. */
  isAddress: boolean
}

/** "https://www.jd.com/", "http://127.0.0.1:8000/a", "www.jd.com" → its parts; undefined if none. */
export function parseTarget(typed: string): Target | undefined {
  const s = typed.trim()
  if (!s) return undefined
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(s) ? s : `http://${s}`
  let u: URL
  try {
    u = new URL(withScheme)
  } catch {
    return undefined
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return undefined
  const host = u.hostname.replace(/^\[|\]$/g, '')
  const isAddress = isIPv4(host) || isIPv6(host)
  if (!isAddress && checkDnsName(host)) return undefined
  const https = u.protocol === 'https:'
  return {
    https,
    host,
    port: u.port ? Number(u.port) : https ? 443 : 80,
    path: `${u.pathname}${u.search}` || '/',
    isAddress,
  }
}
