/**
 * The default gateway and the DNS servers, as seed 000 sends students to `ipconfig /all` for:
 * Linux /proc/net/route, macOS `route -n get default`, Windows `route print -4` in any display
 * language (read by the shape of addresses: 网关 / Gateway / Passerelle are never looked for).
 * The DNS servers are what Node's resolver uses, with what they hide said: systemd-resolved's stub
 * on Linux, and the loopback answer Windows gives with some Node versions (nodejs/node#62748).
 */
import dns from 'node:dns'
import { readFile } from 'node:fs/promises'
import type { DnsServers, GatewayInfo } from '../../../shared/contract'
import { isIPv4 } from '../../../shared/ip'
import { decodeConsole } from './netstat-windows'
import { consoleCodePage, run, type Runner } from './os-sockets'
import { defaultRoute, parseBsdRoutes, parseLinuxRoutes, parseWindowsRoutes, type RouteEntry } from './routes'

/** The default route's gateway (IPv4) and its interface, from a route table read by routes.ts. */
function gatewayOf(routes: RouteEntry[]): GatewayInfo | null {
  const d = defaultRoute(routes)
  return d?.gateway && isIPv4(d.gateway) ? { address: d.gateway, interface: d.interface || null } : null
}

/** Linux /proc/net/route: the default route (destination 00000000) with the lowest metric; one
 * without a gateway (a point-to-point link) is none. */
export const parseProcNetRoute = (text: string): GatewayInfo | null => gatewayOf(parseLinuxRoutes(text))

/** macOS `route -n get default`: "gateway: 10.0.0.1" and "interface: en0". */
export const parseRouteGetDefault = (text: string): GatewayInfo | null => gatewayOf(parseBsdRoutes(text))

/**
 * Windows `route print` (-4), any language: a row "0.0.0.0 0.0.0.0 <gateway> <interface address>
 * <metric>"; the lowest metric wins. The interface is named by its address, as route print does.
 */
export const parseRoutePrint = (text: string): GatewayInfo | null => gatewayOf(parseWindowsRoutes(text))

/** This machine's default gateway (IPv4), or null where there is none or it cannot be read. */
export async function readGateway(
  platform: NodeJS.Platform = process.platform,
  runner: Runner = run,
  procRoute = '/proc/net/route',
): Promise<GatewayInfo | null> {
  try {
    if (platform === 'linux') return parseProcNetRoute(await readFile(procRoute, 'utf8'))
    if (platform === 'darwin')
      return parseRouteGetDefault((await runner('route', ['-n', 'get', 'default'])).toString('utf8'))
    if (platform === 'win32') {
      const bytes = await runner('route', ['print', '-4'])
      return parseRoutePrint(decodeConsole(bytes, await consoleCodePage(runner)).text)
    }
  } catch {
    // no route command, no /proc: not known
  }
  return null
}

/** Node's list of DNS servers as addresses ("[2001:db8::1]:53" → "2001:db8::1"), and what they may
 * hide here: systemd-resolved's stub (Linux), the loopback answer of some Node versions (Windows). */
export function resolverList(
  platform: NodeJS.Platform = process.platform,
  servers = dns.getServers(),
): { servers: string[]; hides?: 'systemd-stub' | 'windows-loopback' } {
  const plain = servers.map((s) => s.replace(/^\[(.*)\](:\d+)?$/, '$1').replace(/:53$/, ''))
  if (platform === 'linux' && plain.length === 1 && plain[0] === '127.0.0.53')
    return { servers: plain, hides: 'systemd-stub' }
  if (platform === 'win32' && plain.every((s) => s === '127.0.0.1' || s === '::1'))
    return { servers: plain, hides: 'windows-loopback' }
  return { servers: plain }
}

/** The DNS servers Node's resolver asks, and what they may hide (a loopback answer on Windows is none). */
export function dnsServers(platform: NodeJS.Platform = process.platform, servers = dns.getServers()): DnsServers {
  const r = resolverList(platform, servers)
  if (r.hides === 'windows-loopback') return { servers: [], note: r.hides }
  return r.hides ? { servers: r.servers, note: r.hides } : { servers: r.servers }
}
