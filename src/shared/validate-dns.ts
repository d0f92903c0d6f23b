/** The DNS and route requests, checked: a name a query can carry, a server as IP[:PORT], records NAME=IP. */
import { DNS_LIMITS, type DnsQueryReq, type DnsServeReq, type RouteReq } from './contract'
import { checkDnsName, DNS_TYPE_CODES, dnsRecordOf, dnsServerOf } from './dns'
import { isIPv4, isIPv6 } from './ip'
import { checkBool, checkInt, checkPort, fail, record } from './validate-core'

const isIp = (s: string): boolean => isIPv4(s) || isIPv6(s)

export function checkDnsQuery(raw: unknown): DnsQueryReq {
  const r = record(raw)
  if (typeof r.name !== 'string') fail('name', 'dns-name', 'name must be a DNS name')
  const bad = checkDnsName(r.name)
  if (bad) fail('name', 'dns-name', bad)
  const out: DnsQueryReq = { name: r.name }
  if (r.type !== undefined) {
    if (typeof r.type !== 'string' || !(r.type in DNS_TYPE_CODES) || r.type === 'OPT')
      fail('type', 'one-of', 'type must be A, AAAA, CNAME, MX, NS, TXT, PTR, SOA, SRV or ANY')
    out.type = r.type
  }
  if (r.server !== undefined) {
    if (typeof r.server !== 'string' || !dnsServerOf(r.server))
      fail('server', 'dns-server', 'server must be an IP address, IP:PORT or [IPv6]:PORT')
    out.server = r.server
  }
  for (const k of ['tcp', 'lookup'] as const) if (r[k] !== undefined) out[k] = checkBool(r[k], k)
  if (r.timeoutMs !== undefined)
    out.timeoutMs = checkInt(r.timeoutMs, 'timeoutMs', DNS_LIMITS.minTimeoutMs, DNS_LIMITS.maxTimeoutMs)
  return out
}

export function checkDnsServe(raw: unknown): DnsServeReq {
  const r = record(raw)
  if (typeof r.host !== 'string' || !isIp(r.host))
    fail('host', 'host-syntax', 'host must be an IP address to listen on')
  const port = checkPort(r.port)
  if (!Array.isArray(r.records) || r.records.length > DNS_LIMITS.maxRecords)
    fail('records', 'dns-record', `records must be a list of up to ${DNS_LIMITS.maxRecords} NAME=IP`)
  const records = r.records as unknown[]
  records.forEach((x, i) => {
    if (typeof x !== 'string' || 'error' in dnsRecordOf(x))
      fail(`records.${i}`, 'dns-record', `records.${i} must be NAME=IP, e.g. server.lab=10.0.0.3`)
  })
  return { host: r.host, port, records: records as string[] }
}

export function checkRouteReq(raw: unknown): RouteReq {
  const r = record(raw)
  const h = r.host
  if (typeof h !== 'string' || !(isIp(h.replace(/^\[|\]$/g, '')) || !checkDnsName(h)))
    fail('host', 'host-syntax', 'host must be an IP address or a host name')
  return { host: h }
}
