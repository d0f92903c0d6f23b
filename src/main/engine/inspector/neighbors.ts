/**
 * The neighbour table (ARP for IPv4, NDP for IPv6): which MAC answers for which address on the
 * links this machine is on. Linux `ip neigh` (or /proc/net/arp), macOS `arp -an`, Windows
 * `arp -a`, whose headings and type words are translated (接口 / 物理地址 / 动态 on Chinese
 * Windows, Schnittstelle / Physische Adresse / dynamisch on German): rows are read by the shape
 * of their addresses, never by the words.
 */
import { readFile } from 'node:fs/promises'
import type { NeighborRow, NeighborTable } from '../../../shared/contract'
import { isIPv4, isIPv6 } from '../../../shared/ip'
import { decodeConsole } from './netstat-windows'
import { consoleCodePage, run, type Runner } from './os-sockets'
import { dnsServers, readGateway } from './gateway'

/** "0:11:2:33:44:5", "00-11-02-33-44-05" -> "00:11:02:33:44:05"; undefined if it is no MAC. */
export function normalMac(s: string): string | undefined {
  const parts = s.toLowerCase().split(/[:-]/)
  if (parts.length !== 6 || !parts.every((p) => /^[0-9a-f]{1,2}$/.test(p))) return undefined
  return parts.map((p) => p.padStart(2, '0')).join(':')
}

/** Linux `ip neigh`: "10.0.0.5 dev eth0 lladdr 02:00:00:00:00:05 REACHABLE" (router, proto... may sit between). */
export function parseIpNeigh(text: string): NeighborRow[] {
  const rows: NeighborRow[] = []
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/)
    const ip = f[0] ?? ''
    if (!isIPv4(ip) && !isIPv6(ip)) continue
    const at = (k: string): string | undefined => {
      const i = f.indexOf(k)
      return i >= 0 ? f[i + 1] : undefined
    }
    const state = f.at(-1)!
    rows.push({
      ip,
      mac: normalMac(at('lladdr') ?? '') ?? null,
      interface: at('dev') ?? '',
      state: /^[A-Z_]+$/.test(state) ? state.toLowerCase() : 'unknown',
    })
  }
  return rows
}

/** Linux /proc/net/arp (IPv4 only): flags 0x2 complete, 0x4 permanent, 0x0 incomplete. */
export function parseProcArp(text: string): NeighborRow[] {
  return text
    .split('\n')
    .slice(1)
    .map((l) => l.trim().split(/\s+/))
    .filter((f) => f.length >= 6 && isIPv4(f[0]!))
    .map(([ip, , flags, mac, , dev]) => {
      const fl = parseInt(flags!, 16)
      return {
        ip: ip!,
        mac: fl & 2 ? (normalMac(mac!) ?? null) : null,
        interface: dev!,
        state: fl & 4 ? 'permanent' : fl & 2 ? 'reachable' : 'incomplete',
      }
    })
}

/** macOS `arp -an`: "? (192.168.1.63) at e0:33:8e:67:38:d6 on en0 ifscope [ethernet]". */
export function parseArpAn(text: string): NeighborRow[] {
  const rows: NeighborRow[] = []
  for (const line of text.split('\n')) {
    const m = /\(([\d.]+)\) at (\S+) on (\S+)(.*)$/.exec(line)
    if (!m || !isIPv4(m[1]!)) continue
    const mac = normalMac(m[2]!) ?? null
    const state = m[2] === '(incomplete)' ? 'incomplete' : /\bpermanent\b/.test(m[4]!) ? 'permanent' : 'dynamic'
    rows.push({ ip: m[1]!, mac, interface: m[3]!, state })
  }
  return rows
}

/** The type words of `arp -a` in the Windows display languages a classroom is likely to have. */
const WINDOWS_TYPES: Record<string, 'dynamic' | 'static'> = {
  dynamic: 'dynamic',
  static: 'static',
  动态: 'dynamic',
  静态: 'static',
  動態: 'dynamic',
  靜態: 'static',
  dynamisch: 'dynamic',
  statisch: 'static',
  dynamique: 'dynamic',
  statique: 'static',
  dinámico: 'dynamic',
  estático: 'static',
}

/**
 * Windows `arp -a`, any display language: an interface line is "<word>: <IPv4> --- 0x<n>", a row
 * "<IPv4> <MAC with dashes> <type word>". The interface is named by its address, as arp does.
 */
export function parseArpA(text: string): NeighborRow[] {
  const rows: NeighborRow[] = []
  let iface = ''
  for (const line of text.split(/\r?\n/)) {
    const head = /^\S.*?[:：]\s*([\d.]+)\s+---\s+0x[0-9a-f]+/i.exec(line)
    if (head) {
      iface = head[1]!
      continue
    }
    const m = /^\s+([\d.]+)\s+([0-9a-f]{2}(?:-[0-9a-f]{2}){5})\s+(\S+)\s*$/i.exec(line)
    if (!m || !isIPv4(m[1]!)) continue
    const word = m[3]!.toLowerCase()
    rows.push({ ip: m[1]!, mac: normalMac(m[2]!)!, interface: iface, state: WINDOWS_TYPES[word] ?? word })
  }
  return rows
}

/** This machine's neighbour table, from the source its OS offers; `none` elsewhere. `runner` runs
 * ip, arp and chcp (tests give it a recorded machine's output). */
export async function readNeighbors(
  platform: NodeJS.Platform = process.platform,
  runner: Runner = run,
): Promise<NeighborTable> {
  const [table, gateway] = await Promise.all([neighborRows(platform, runner), readGateway(platform, runner)])
  return { ...table, gateway, dns: dnsServers(platform) }
}

/** The neighbour table's rows alone (no gateway, no DNS servers): what the route needs. */
export async function neighborRows(platform: NodeJS.Platform, runner: Runner): Promise<NeighborTable> {
  if (platform === 'linux') {
    const viaIp = await runner('ip', ['neigh', 'show']).then(
      (b) => b.toString('utf8'),
      () => undefined,
    )
    if (viaIp !== undefined) return { source: 'ip neigh', rows: parseIpNeigh(viaIp) }
    const arp = await readFile('/proc/net/arp', 'utf8')
    return { source: '/proc/net/arp', rows: parseProcArp(arp) }
  }
  if (platform === 'darwin')
    return { source: 'arp -an', rows: parseArpAn((await runner('arp', ['-an'])).toString('utf8')) }
  if (platform === 'win32') {
    const bytes = await runner('arp', ['-a'])
    return { source: 'arp -a', rows: parseArpA(decodeConsole(bytes, await consoleCodePage(runner)).text) }
  }
  return { source: 'none', rows: [] }
}
