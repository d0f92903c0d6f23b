/** The DNS and route requests, checked: a name a query can carry, a server as IP[:PORT], records NAME=IP. */
import { DNS_LIMITS, type DnsQueryReq, type DnsServeReq, type RouteReq } from './contract'
import { checkDnsName, DNS_TYPE_CODES, dnsRecordOf, dnsServerOf } from './dns'
import { isIPv4, isIPv6 } from './ip'

type Fail = (field: string, reason: string, message: string) => never

function rec(v: unknown, fail: Fail): Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v))
    fail('request', 'not-object', 'the request must be an object')
  return v as Record<string, unknown>
}

const isIp = (s: string): boolean => isIPv4(s) || isIPv6(s)

export function checkDnsQuery(raw: unknown, fail: Fail): DnsQueryReq {
  const r = rec(raw, fail)
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
  for (const k of ['tcp', 'lookup'] as const)
    if (r[k] !== undefined) {
      if (typeof r[k] !== 'boolean') fail(k, 'boolean', `${k} must be true or false`)
      out[k] = r[k]
    }
  if (r.timeoutMs !== undefined) {
    const t = r.timeoutMs
    if (typeof t !== 'number' || !Number.isInteger(t) || t < DNS_LIMITS.minTimeoutMs || t > DNS_LIMITS.maxTimeoutMs)
      fail('timeoutMs', 'int-range', `timeoutMs must be ${DNS_LIMITS.minTimeoutMs} to ${DNS_LIMITS.maxTimeoutMs}`)
    out.timeoutMs = t
  }
  return out
}

export function checkDnsServe(raw: unknown, fail: Fail): DnsServeReq {
  const r = rec(raw, fail)
  if (typeof r.host !== 'string' || !isIp(r.host))
    fail('host', 'host-syntax', 'host must be an IP address to listen on')
  if (typeof r.port !== 'number' || !Number.isInteger(r.port) || r.port < 0 || r.port > 65535)
    fail('port', 'port-range', 'port must be 0 to 65535')
  if (!Array.isArray(r.records) || r.records.length > DNS_LIMITS.maxRecords)
    fail('records', 'dns-record', `records must be a list of up to ${DNS_LIMITS.maxRecords} NAME=IP`)
  const records = r.records as unknown[]
  records.forEach((x, i) => {
    if (typeof x !== 'string' || 'error' in dnsRecordOf(x))
      fail(`records.${i}`, 'dns-record', `records.${i} must be NAME=IP, e.g. server.lab=10.0.0.3`)
  })
  return { host: r.host, port: r.port, records: records as string[] }
}

export function checkRouteReq(raw: unknown, fail: Fail): RouteReq {
  const r = rec(raw, fail)
  const h = r.host
  if (typeof h !== 'string' || !(isIp(h.replace(/^\[|\]$/g, '')) || !checkDnsName(h)))
    fail('host', 'host-syntax', 'host must be an IP address or a host name')
  return { host: h }
}
