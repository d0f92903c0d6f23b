/**
 * Route tables as the OSes print them, in any display language, read by the shape of addresses
 * (网关 / Gateway / Passerelle are never looked for; "On-link", 在链路上 and "Auf Verbindung" are
 * whatever stands between the mask and the interface's address, kept as written): Windows
 * `route print` and `netstat -rn`, macOS `netstat -rn` and `route -n get`, Linux `ip route`,
 * `ip -j route get`, `route -n` and /proc/net/route.
 */
import { isIPv4, isIPv6 } from '../../../shared/ip'
import { decodeProcAddress } from './proc-net'

export interface RouteEntry {
  destination: string
  prefix: number
  /** The next hop's address; null when the destination is on the link (no gateway). */
  gateway: string | null
  /** What the table says instead of a gateway ("On-link", "在链路上", "link#9"), as written. */
  via?: string
  interface: string
  metric: number | null
}

export type RouteFormat = 'windows' | 'bsd' | 'linux'

const maskBits = (mask: string): number =>
  mask.split('.').reduce((n, o) => n + (Number(o) >>> 0).toString(2).replace(/0/g, '').length, 0)
const num = (s: string | undefined): number | null => (s !== undefined && /^\d+$/.test(s) ? Number(s) : null)

/** Which table the text is, by its shape. */
export function guessRouteFormat(text: string): RouteFormat | undefined {
  if (/^\s*\d+\.\d+\.\d+\.\d+\s+\d+\.\d+\.\d+\.\d+\s+\S.*\s\d+\.\d+\.\d+\.\d+\s+\d+\s*$/m.test(text)) return 'windows'
  if (/^\s*\[/.test(text) || /^Iface\s+Destination/m.test(text) || /Genmask/.test(text)) return 'linux'
  if (/^(default|[\d./]+)\s+(via\s|dev\s)/m.test(text)) return 'linux'
  if (/\bNetif\b/.test(text) || /^\s*route to:/m.test(text) || /link#\d+/.test(text)) return 'bsd'
  return undefined
}

/** Windows `route print` / `netstat -rn`: active IPv4 rows "dest mask gateway… iface metric", IPv6 "if metric dest gateway". */
export function parseWindowsRoutes(text: string): RouteEntry[] {
  const out: RouteEntry[] = []
  const lines = text.split(/\r?\n/)
  for (let i = 0; i < lines.length; i++) {
    const f = lines[i]!.trim().split(/\s+/)
    // IPv4: the persistent routes' rows (dest mask gateway metric) have no interface: not taken twice
    if (f.length >= 5 && isIPv4(f[0]!) && isIPv4(f[1]!) && isIPv4(f.at(-2)!) && num(f.at(-1)) !== null) {
      const between = f.slice(2, -2).join(' ')
      out.push({
        destination: f[0]!,
        prefix: maskBits(f[1]!),
        gateway: isIPv4(between) ? between : null,
        ...(isIPv4(between) ? {} : { via: between }),
        interface: f.at(-2)!,
        metric: num(f.at(-1)),
      })
      continue
    }
    // IPv6: "If Metric Destination Gateway", the gateway on the next line when the destination is long
    if (f.length >= 3 && num(f[0]) !== null && num(f[1]) !== null && /^[0-9a-f:]+(%\w+)?\/\d+$/i.test(f[2]!)) {
      let gw = f.slice(3).join(' ')
      if (!gw && i + 1 < lines.length && !/\d\s/.test(lines[i + 1]!.trim())) gw = lines[++i]!.trim()
      const [dest, bits] = f[2]!.split('/')
      out.push({
        destination: dest!,
        prefix: Number(bits),
        gateway: isIPv6(gw) ? gw : null,
        ...(isIPv6(gw) ? {} : { via: gw }),
        interface: f[0]!,
        metric: Number(f[1]),
      })
    }
  }
  return out
}

/** A BSD destination as netstat abbreviates it: "default", "127", "10.10.56/24", "fe80::%lo0/64". */
function bsdDestination(d: string): { destination: string; prefix: number } | undefined {
  if (d === 'default') return { destination: '0.0.0.0', prefix: 0 }
  const [addr, bits] = d.split('/')
  if (addr!.includes(':')) {
    const a = addr!.replace(/%.*$/, '')
    return isIPv6(a) ? { destination: a, prefix: bits ? Number(bits) : 128 } : undefined
  }
  const octets = addr!.split('.')
  if (octets.length > 4 || !octets.every((o) => /^\d{1,3}$/.test(o) && Number(o) < 256)) return undefined
  const full = [...octets, '0', '0', '0'].slice(0, 4).join('.')
  return { destination: full, prefix: bits ? Number(bits) : octets.length === 4 ? 32 : octets.length * 8 }
}

/** macOS `netstat -rn` (old and new columns: Netif found by the header) or `route -n get`. */
export function parseBsdRoutes(text: string): RouteEntry[] {
  const get = (k: string): string | undefined => new RegExp(`^\\s*${k}:\\s*(\\S+)`, 'm').exec(text)?.[1]
  if (get('route to') !== undefined) {
    const dest = bsdDestination(get('destination') ?? 'default')
    const mask = get('mask')
    const gw = get('gateway')
    if (!dest) return []
    return [
      {
        destination: dest.destination,
        prefix: mask && isIPv4(mask) ? maskBits(mask) : dest.prefix,
        gateway: gw && (isIPv4(gw) || isIPv6(gw)) ? gw : null,
        ...(gw && !isIPv4(gw) && !isIPv6(gw) ? { via: gw } : {}),
        interface: get('interface') ?? '',
        metric: null,
      },
    ]
  }
  const out: RouteEntry[] = []
  let netif = 5
  for (const line of text.split(/\r?\n/)) {
    const f = line.trim().split(/\s+/)
    if (f[0] === 'Destination') {
      netif = f.indexOf('Netif')
      continue
    }
    const dest = f.length > netif && netif > 0 ? bsdDestination(f[0]!) : undefined
    if (!dest) continue
    const gw = f[1]!.replace(/%.*$/, '')
    const isGw = isIPv4(gw) || isIPv6(gw)
    out.push({
      ...dest,
      gateway: isGw ? gw : null,
      ...(isGw ? {} : { via: f[1]! }),
      interface: f[netif]!,
      metric: null,
    })
  }
  return out
}

/** Linux: `ip route`, `ip -j route get`, `route -n`, /proc/net/route. */
export function parseLinuxRoutes(text: string): RouteEntry[] {
  const t = text.trim()
  if (t.startsWith('[')) {
    const rows = JSON.parse(t) as { dst: string; gateway?: string; dev: string; metric?: number }[]
    return rows.map((r) => {
      const [d, bits] = r.dst === 'default' ? ['0.0.0.0', '0'] : r.dst.split('/')
      return {
        destination: d!,
        prefix: bits !== undefined ? Number(bits) : d!.includes(':') ? 128 : 32,
        gateway: r.gateway ?? null,
        interface: r.dev,
        metric: r.metric ?? null,
      }
    })
  }
  const out: RouteEntry[] = []
  for (const line of t.split('\n')) {
    const f = line.trim().split(/\s+/)
    if (f.length >= 8 && /^[0-9A-F]{8}$/i.test(f[1]!) && /^[0-9A-F]{8}$/i.test(f[7]!)) {
      const gw = decodeProcAddress(f[2]!)
      out.push({
        destination: decodeProcAddress(f[1]!),
        prefix: maskBits(decodeProcAddress(f[7]!)),
        gateway: gw === '0.0.0.0' ? null : gw,
        interface: f[0]!,
        metric: num(f[6]),
      })
    } else if (f.length >= 8 && isIPv4(f[0]!) && isIPv4(f[1]!) && isIPv4(f[2]!)) {
      out.push({
        destination: f[0]!,
        prefix: maskBits(f[2]!),
        gateway: f[1] === '0.0.0.0' ? null : f[1]!,
        interface: f.at(-1)!,
        metric: num(f[4]),
      })
    } else if (f[0] === 'default' || /^[\d.]+(\/\d+)?$|^[0-9a-f:]+\/\d+$/i.test(f[0] ?? '')) {
      const at = (k: string): string | undefined => (f.includes(k) ? f[f.indexOf(k) + 1] : undefined)
      if (!at('dev')) continue
      const [d, bits] = f[0] === 'default' ? ['0.0.0.0', '0'] : f[0]!.split('/')
      out.push({
        destination: d!,
        prefix: bits !== undefined ? Number(bits) : d!.includes(':') ? 128 : 32,
        gateway: at('via') ?? null,
        interface: at('dev')!,
        metric: num(at('metric')),
      })
    }
  }
  return out
}

export function parseRoutes(text: string, format: RouteFormat): RouteEntry[] {
  return format === 'windows'
    ? parseWindowsRoutes(text)
    : format === 'bsd'
      ? parseBsdRoutes(text)
      : parseLinuxRoutes(text)
}

/** The IPv4 default route with a gateway, the lowest metric first (the first of equals). */
export function defaultRoute(routes: RouteEntry[]): RouteEntry | undefined {
  return routes
    .filter((r) => r.prefix === 0 && r.destination === '0.0.0.0' && r.gateway)
    .sort((a, b) => (a.metric ?? 0) - (b.metric ?? 0))[0]
}

/** The default route's gateway, or null. */
export const defaultGateway = (routes: RouteEntry[]): string | null => defaultRoute(routes)?.gateway ?? null
