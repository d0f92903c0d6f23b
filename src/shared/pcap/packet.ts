/**
 * What the decoder's parts share: the decoded packet's shape, a cursor that records each field it
 * reads with its offset, and how addresses are written.
 */
export type Layer = 'link' | 'ip' | 'arp' | 'icmp' | 'tcp' | 'udp' | 'data'
export interface Field {
  layer: Layer
  name: string
  offset: number
  length: number
}
export interface TcpOptions {
  mss?: number
  wscale?: number
  sackPermitted?: boolean
  sack?: [number, number][]
  tsval?: number
  tsecr?: number
}
export interface Quoted {
  proto: number
  src: string
  dst: string
  sport?: number
  dport?: number
}
export type Proto = 'tcp' | 'udp' | 'arp' | 'icmp' | 'icmpv6' | 'other'
export type Link = 'null' | 'ethernet' | 'raw' | 'sll' | 'sll2' | 'unknown'

export interface Decoded {
  link: Link
  srcMac?: string
  dstMac?: string
  /** The EtherType (or the NULL header's family turned into one). */
  etherType?: number
  proto: Proto
  ipVersion?: 4 | 6
  src?: string
  dst?: string
  ttl?: number
  /** The IP protocol number (6 TCP, 17 UDP, 1 ICMP, 58 ICMPv6…). */
  ipProto?: number
  sport?: number
  dport?: number
  tcp?: { flags: string[]; seq: number; ack: number; win: number; options: TcpOptions }
  udp?: { length: number }
  arp?: { op: 'request' | 'reply' | number; senderMac: string; senderIp: string; targetMac: string; targetIp: string }
  icmp?: { type: number; code: number; quoted?: Quoted }
  /** Bytes of transport payload (TCP or UDP data), as the headers say and the capture holds. */
  len: number
  /** Where the payload starts in the packet's bytes. */
  payloadOffset?: number
  truncated: boolean
  fields: Field[]
}

export const mac = (d: Uint8Array, o: number): string =>
  [...d.subarray(o, o + 6)].map((b) => b.toString(16).padStart(2, '0')).join(':')
export const ipv4 = (d: Uint8Array, o: number): string => `${d[o]}.${d[o + 1]}.${d[o + 2]}.${d[o + 3]}`
export function ipv6(d: Uint8Array, o: number): string {
  const g: number[] = []
  for (let i = 0; i < 8; i++) g.push((d[o + 2 * i]! << 8) | d[o + 2 * i + 1]!)
  // the longest run of zero groups (two or more) as "::", as RFC 5952 writes it
  let best = -1
  let bestLen = 1
  for (let i = 0; i < 8;) {
    if (g[i] !== 0) {
      i++
      continue
    }
    let j = i
    while (j < 8 && g[j] === 0) j++
    if (j - i > bestLen) [best, bestLen] = [i, j - i]
    i = j
  }
  const hex = g.map((x) => x.toString(16))
  if (best < 0) return hex.join(':')
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`
}

/** A cursor over one packet's bytes that records the fields it reads and knows when data ran out. */
export class Cut {
  truncated = false
  readonly fields: Field[] = []
  constructor(readonly d: Uint8Array) {}
  has(o: number, n: number): boolean {
    if (o + n <= this.d.length) return true
    this.truncated = true
    return false
  }
  u8(layer: Layer, name: string, o: number): number {
    this.fields.push({ layer, name, offset: o, length: 1 })
    return this.d[o]!
  }
  u16(layer: Layer, name: string, o: number): number {
    this.fields.push({ layer, name, offset: o, length: 2 })
    return (this.d[o]! << 8) | this.d[o + 1]!
  }
  u32(layer: Layer, name: string, o: number): number {
    this.fields.push({ layer, name, offset: o, length: 4 })
    return ((this.d[o]! << 24) >>> 0) + (this.d[o + 1]! << 16) + (this.d[o + 2]! << 8) + this.d[o + 3]!
  }
  mark(layer: Layer, name: string, o: number, length: number): void {
    this.fields.push({ layer, name, offset: o, length })
  }
}
