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

/** Linux /proc/net/route: the default route (destination 00000000) with the lowest metric. */
export function parseProcNetRoute(text: string): GatewayInfo | null {
  let best: { g: GatewayInfo; metric: number } | undefined
  for (const line of text.split('\n').slice(1)) {
    const f = line.trim().split(/\s+/)
    if (f.length < 8 || f[1] !== '00000000' || !/^[0-9A-Fa-f]{8}$/.test(f[2]!)) continue
    const n = parseInt(f[2]!, 16)
    if (n === 0) continue // a default route with no gateway (a point-to-point link)
    // little-endian, as the kernel stores it
    const address = [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, n >>> 24].join('.')
    const metric = Number(f[6])
    if (!best || metric < best.metric) best = { g: { address, interface: f[0]! }, metric }
  }
  return best?.g ?? null
}

/** macOS `route -n get default`: "gateway: 10.0.0.1" and "interface: en0". */
export function parseRouteGetDefault(text: string): GatewayInfo | null {
  const gw = /^\s*gateway:\s*(\S+)/m.exec(text)?.[1]
  if (!gw || !isIPv4(gw)) return null
  return { address: gw, interface: /^\s*interface:\s*(\S+)/m.exec(text)?.[1] ?? null }
}

/**
 * Windows `route print` (-4), any language: a row "0.0.0.0 0.0.0.0 <gateway> <interface address>
 * <metric>"; the lowest metric wins. The interface is named by its address, as route print does.
 */
export function parseRoutePrint(text: string): GatewayInfo | null {
  let best: { g: GatewayInfo; metric: number } | undefined
  for (const line of text.split(/\r?\n/)) {
    const f = line.trim().split(/\s+/)
    if (f[0] !== '0.0.0.0' || f[1] !== '0.0.0.0' || !isIPv4(f[2] ?? '') || !isIPv4(f[3] ?? '')) continue
    const metric = Number(f[4] ?? NaN)
    if (!best || metric < best.metric) best = { g: { address: f[2]!, interface: f[3]! }, metric }
  }
  return best?.g ?? null
}

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

/** The DNS servers Node's resolver asks, and what they may hide. */
export function dnsServers(platform: NodeJS.Platform = process.platform, servers = dns.getServers()): DnsServers {
  const plain = servers.map((s) => s.replace(/^\[(.*)\](:\d+)?$/, '$1').replace(/:53$/, ''))
  if (platform === 'linux' && plain.length === 1 && plain[0] === '127.0.0.53')
    return { servers: plain, note: 'systemd-stub' }
  if (platform === 'win32' && plain.every((s) => s === '127.0.0.1' || s === '::1'))
    return { servers: [], note: 'windows-loopback' }
  return { servers: plain }
}
