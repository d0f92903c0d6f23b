/**
 * Where a packet for HOST would go, as seed 000 asks: the source address the OS would pick comes
 * from a connected UDP socket (no packet is sent), its interface and subnet from the interface
 * list; same subnet → ARP asks for HOST itself, another → the packet goes to the gateway and ARP
 * asks for the gateway's MAC. Only the gateway's address needs the OS: `ip -j route get` (Linux),
 * `route -n get` (macOS), `route print -4` (Windows, any language).
 */
import dgram from 'node:dgram'
import dns from 'node:dns'
import net from 'node:net'
import { networkInterfaces } from 'node:os'
import type { RouteDecision } from '../../../shared/contract'
import { LabFailure } from '../errors'
import { neighborRows } from './neighbors'
import { decodeConsole } from './netstat-windows'
import { consoleCodePage, run, type Runner } from './os-sockets'
import { parseBsdRoutes, parseLinuxRoutes, parseWindowsRoutes, type RouteEntry } from './routes'

const v4 = (a: string): number => a.split('.').reduce((n, o) => n * 256 + Number(o), 0)

/** Whether two addresses share the first `bits` bits. */
export function sameNet(a: string, b: string, bits: number): boolean {
  if (net.isIPv4(a) && net.isIPv4(b)) {
    const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0
    return (v4(a) & mask) >>> 0 === (v4(b) & mask) >>> 0
  }
  const bin = (x: string): string => {
    const [head, tail = ''] = x.replace(/%.*$/, '').split('::')
    const h = head ? head.split(':') : []
    const t = tail ? tail.split(':') : []
    const groups = x.includes('::') ? [...h, ...Array(8 - h.length - t.length).fill('0'), ...t] : h
    return groups
      .map((g) =>
        parseInt(g || '0', 16)
          .toString(2)
          .padStart(16, '0'),
      )
      .join('')
  }
  return bin(a).slice(0, bits) === bin(b).slice(0, bits)
}

/** The source address the kernel would use to reach `dest`: a connected UDP socket's own (nothing is sent). */
export function sourceFor(dest: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = dgram.createSocket(net.isIPv6(dest) ? 'udp6' : 'udp4')
    s.on('error', (e: NodeJS.ErrnoException) => {
      s.close()
      reject(
        e.code === 'ENETUNREACH' || e.code === 'EHOSTUNREACH'
          ? new LabFailure('ENETUNREACH', `no route to ${dest}: this machine has no network that leads there`)
          : e,
      )
    })
    s.connect(9, dest, () => {
      const a = s.address().address
      s.close()
      // a connect with no route may still "succeed" bound to the wildcard (measured on Linux)
      if (a === '0.0.0.0' || a === '::')
        reject(new LabFailure('ENETUNREACH', `no route to ${dest}: this machine has no network that leads there`))
      else resolve(a)
    })
  })
}

/** The most specific route for `dest` in a table (then the lowest metric). */
export function bestRoute(routes: RouteEntry[], dest: string): RouteEntry | undefined {
  return routes
    .filter((r) => net.isIPv4(r.destination) === net.isIPv4(dest) && sameNet(r.destination, dest, r.prefix))
    .sort((a, b) => b.prefix - a.prefix || (a.metric ?? 0) - (b.metric ?? 0))[0]
}

/** The gateway the OS would use for `dest` (null: on the link), and which command said so. */
async function osGateway(
  dest: string,
  platform: NodeJS.Platform,
  runner: Runner,
): Promise<{ gateway: string | null; from: string } | undefined> {
  try {
    if (platform === 'linux') {
      const r = parseLinuxRoutes((await runner('ip', ['-j', 'route', 'get', dest])).toString('utf8'))
      return { gateway: r[0]?.gateway ?? null, from: 'ip -j route get' }
    }
    if (platform === 'darwin') {
      const r = parseBsdRoutes((await runner('route', ['-n', 'get', dest])).toString('utf8'))
      return { gateway: r[0]?.gateway ?? null, from: 'route -n get' }
    }
    if (platform === 'win32') {
      const bytes = await runner('route', ['print', net.isIPv6(dest) ? '-6' : '-4'])
      const best = bestRoute(parseWindowsRoutes(decodeConsole(bytes, await consoleCodePage(runner)).text), dest)
      return { gateway: best?.gateway ?? null, from: 'route print' }
    }
  } catch {
    // the command is missing or failed: the subnet check alone decides
  }
  return undefined
}

export async function routeTo(
  host: string,
  platform: NodeJS.Platform = process.platform,
  runner: Runner = run,
): Promise<RouteDecision> {
  let destination = host.replace(/^\[|\]$/g, '')
  let name: string | undefined
  if (!net.isIP(destination)) {
    name = host
    try {
      destination = (await dns.promises.lookup(host)).address
    } catch (e) {
      throw new LabFailure(
        'ENOTFOUND',
        `${host} does not resolve (${(e as NodeJS.ErrnoException).code}): no address to route to`,
      )
    }
  }
  const source = await sourceFor(destination)
  let iface: { name: string; netmask: string; prefix: number } | undefined
  for (const [n, list] of Object.entries(networkInterfaces()))
    for (const a of list ?? [])
      if (a.address === source.replace(/%.*$/, '') && a.cidr)
        iface = { name: n, netmask: a.netmask, prefix: Number(a.cidr.split('/')[1]) }
  const onLink = iface ? sameNet(source, destination, iface.prefix) : false
  const os = onLink ? undefined : await osGateway(destination, platform, runner)
  const gateway = onLink ? null : (os?.gateway ?? null)
  const nextHop = gateway ?? destination
  // the rows only: the gateway was asked above (readNeighbors would read it, and on Windows spawn
  // route print, again)
  const table = await neighborRows(platform, runner).catch(() => undefined)
  const mac = table?.rows.find((r) => r.ip === nextHop && r.mac)?.mac ?? null
  return {
    destination,
    ...(name ? { name } : {}),
    source,
    interface: iface?.name ?? null,
    netmask: iface?.netmask ?? null,
    prefix: iface?.prefix ?? null,
    sameSubnet: onLink || (os !== undefined && os.gateway === null),
    loopback: /^127\./.test(source) || source === '::1',
    gateway,
    nextHop,
    gatewayMac: mac,
    ...(os ? { gatewayFrom: os.from } : {}),
  }
}
