/**
 * Windows `ipconfig /all`, in the display language it was printed in: each adapter's default
 * gateway and DNS servers, where the route table is not at hand (a student pasted it, or Node's
 * resolver answered 127.0.0.1: nodejs/node#62748). The two labels are known in the languages the
 * course meets (English, 简体中文, Deutsch, Français); a line's value is read by the shape of
 * addresses, a continuation line (a second DNS server) by its indent. Other languages: nothing
 * found, said so — never guessed.
 */
import { isIPv4, isIPv6 } from '../../../shared/ip'

export interface IpconfigAdapter {
  name: string
  gateways: string[]
  dnsServers: string[]
}

const GATEWAY = /^(Default Gateway|默认网关|Standardgateway|Passerelle par défaut)(?![A-Za-z])/i
const DNS = /^(DNS Servers|DNS 服务器|DNS-Server|Serveurs DNS)(?![A-Za-z])/i
/** "   Label . . . . : value": the label, then the value after the dotted leader. */
const FIELD = /^\s+(.+?)[\s.]*:\s*(.*)$/
const address = (s: string): string | undefined => {
  const a = s
    .trim()
    .replace(/\(.*\)$/, '')
    .replace(/%\w+$/, '')
  return isIPv4(a) || isIPv6(a) ? a : undefined
}

/** Whether the text is ipconfig /all's (its dotted leaders). */
export const looksLikeIpconfig = (text: string): boolean => /^\s+\S.*(\s\.){3,}.*:/m.test(text)

export function parseIpconfig(text: string): IpconfigAdapter[] {
  const out: IpconfigAdapter[] = []
  let cur: IpconfigAdapter | undefined
  let list: string[] | undefined
  for (const line of text.split(/\r?\n/)) {
    if (/^\S.*:\s*$/.test(line)) {
      cur = { name: line.trim().replace(/\s*:$/, ''), gateways: [], dnsServers: [] }
      out.push(cur)
      list = undefined
      continue
    }
    if (!cur) continue
    const f = FIELD.exec(line)
    if (f && /\.\s*\.|\s:/.test(line.slice(0, line.indexOf(':') + 1))) {
      const label = f[1]!.trim()
      list = GATEWAY.test(label) ? cur.gateways : DNS.test(label) ? cur.dnsServers : undefined
      const a = address(f[2]!)
      if (list && a && a !== '0.0.0.0') list.push(a)
      continue
    }
    // a continuation: a line of only an address under the one before
    const a = address(line)
    if (list && a && a !== '0.0.0.0' && /^\s{10,}/.test(line)) list.push(a)
    else if (!a) list = undefined
  }
  return out
}

/** The first IPv4 default gateway of any adapter, and every DNS server in order, once. */
export function ipconfigSummary(adapters: IpconfigAdapter[]): { defaultGateway: string | null; dnsServers: string[] } {
  const gw = adapters.flatMap((a) => a.gateways).find((g) => isIPv4(g)) ?? null
  return { defaultGateway: gw, dnsServers: [...new Set(adapters.flatMap((a) => a.dnsServers))] }
}
