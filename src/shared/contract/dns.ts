/** Seed 000's first steps: a DNS question asked for real, the classroom DNS server, the route. */
import type { DnsMessage } from '../dns'

export interface DnsQueryReq {
  name: string
  /** A, AAAA, CNAME, MX, NS, TXT, PTR, SOA, SRV or ANY; A when not given. */
  type?: string
  /** IP, IP:PORT or [IPv6]:PORT; the OS resolver's first server when not given. */
  server?: string
  tcp?: boolean
  timeoutMs?: number
  /** Also ask getaddrinfo (the hosts file, the OS's cache). */
  lookup?: boolean
}

/** One message sent and the one that came back, bytes as base64, the answer read field by field. */
export interface DnsExchangeView {
  server: string
  port: number
  transport: 'udp' | 'tcp'
  id: number
  query: string
  answer: string
  ms: number
  message: DnsMessage
}

export interface DnsQueryRes {
  /** The servers the OS's resolver uses, and what a loopback one means here. */
  servers: string[]
  serversNote?: string
  lookup?: { addresses: string[]; hostsFile: string; ms: number } | { error: string }
  exchanges: DnsExchangeView[]
}

export interface DnsServeReq {
  host: string
  port: number
  /** NAME=IP, one a record. */
  records: string[]
}
export interface DnsServeRes {
  address: string
  port: number
  records: { name: string; address: string }[]
}

export interface RouteReq {
  host: string
}

/** Where a packet for a host goes from this machine (see src/main/engine/inspector/route-to.ts). */
export interface RouteDecision {
  destination: string
  name?: string
  source: string
  interface: string | null
  netmask: string | null
  prefix: number | null
  sameSubnet: boolean
  loopback: boolean
  gateway: string | null
  nextHop: string
  gatewayMac: string | null
  gatewayFrom?: string
}

export const DNS_LIMITS = { maxRecords: 200, maxTimeoutMs: 30_000, minTimeoutMs: 100 } as const
