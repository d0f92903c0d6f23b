/**
 * A decoded packet as the layers view draws it: one band per layer, the seeds' way (以太网, IP,
 * TCP/UDP/ARP/ICMP, 数据), each field with its label key, its value as the course writes it and
 * the bytes it occupies (for the hex dump's highlight).
 */
import type { Field, Layer } from '../../../shared/pcap/decode'
import { mac } from '../../../shared/pcap/packet'
import { en } from '../../../shared/i18n/en'
import type { MessageKey } from '../i18n'
import type { PacketRow } from './packets'

export interface ShownField {
  key: MessageKey | undefined
  name: string
  value: string
  offset: number
  length: number
}
export interface Band {
  layer: Layer
  title: MessageKey
  fields: ShownField[]
}

const hex2 = (b: number): string => b.toString(16).padStart(2, '0')
const num = (d: Uint8Array, o: number, n: number): number => {
  let v = 0
  for (let i = 0; i < n && o + i < d.length; i++) v = v * 256 + d[o + i]!
  return v
}
const PROTOS: Record<number, string> = { 1: 'ICMP', 6: 'TCP', 17: 'UDP', 58: 'ICMPv6' }
const TYPES: Record<number, string> = { 0x0800: 'IPv4', 0x86dd: 'IPv6', 0x0806: 'ARP' }
const OPTIONS: Record<number, string> = {
  0: 'EOL',
  1: 'NOP',
  2: 'MSS',
  3: 'WS',
  4: 'SACK permitted',
  5: 'SACK',
  8: 'TS',
}

/** A TCP option as the course names it: "MSS 1460", "WS ×128", "SACK permitted". */
function option(d: Uint8Array, o: number, len: number): string {
  const kind = d[o]!
  const name = OPTIONS[kind] ?? `kind ${kind}`
  if (kind === 2 && len >= 4) return `MSS ${num(d, o + 2, 2)}`
  if (kind === 3 && len >= 3) return `WS ×${2 ** d[o + 2]!}`
  if (kind === 8 && len >= 10) return `TS ${num(d, o + 2, 4)} / ${num(d, o + 6, 4)}`
  return name
}

function valueOf(row: PacketRow, f: Field): string {
  const d = row.bytes
  const p = row.p
  const id = `${f.layer}:${f.name}`
  if (f.length === 6 && (id === 'link:dst' || id === 'link:src' || id.endsWith('MAC'))) return mac(d, f.offset)
  switch (id) {
    case 'link:type':
      return `0x${num(d, f.offset, 2).toString(16).padStart(4, '0')} (${TYPES[num(d, f.offset, 2)] ?? '?'})`
    case 'ip:src':
      return p.src ?? ''
    case 'ip:dst':
      return p.dst ?? ''
    case 'ip:version':
      return String(d[f.offset]! >> 4)
    case 'ip:protocol':
    case 'ip:next header': {
      const n = num(d, f.offset, 1)
      return `${n} (${PROTOS[n] ?? '?'})`
    }
    case 'arp:sender IP':
      return p.arp?.senderIp ?? ''
    case 'arp:target IP':
      return p.arp?.targetIp ?? ''
    case 'arp:opcode':
      return `${num(d, f.offset, 2)} (${p.arp?.op === 'request' ? 'request' : p.arp?.op === 'reply' ? 'reply' : '?'})`
    case 'tcp:seq':
      return row.rel ? `${row.rel.seq} (${p.tcp!.seq})` : String(p.tcp?.seq)
    case 'tcp:ack':
      return row.rel ? `${row.rel.ack} (${p.tcp!.ack})` : String(p.tcp?.ack)
    case 'tcp:flags':
      return p.tcp?.flags.join(', ') ?? ''
    case 'tcp:header length':
      return `${(d[f.offset]! >> 4) * 4}`
    case 'tcp:option':
      return option(d, f.offset, f.length)
    case 'icmp:quoted datagram': {
      const q = p.icmp?.quoted
      return q ? `${PROTOS[q.proto] ?? q.proto} ${q.src}:${q.sport ?? ''} → ${q.dst}:${q.dport ?? ''}` : ''
    }
    case 'data:payload':
      return `${p.len}`
  }
  if (f.length <= 4) return String(num(d, f.offset, f.length))
  return Array.from(d.subarray(f.offset, f.offset + Math.min(f.length, 16)), hex2).join(' ')
}

const TITLES: Record<Layer, MessageKey> = {
  link: 'packets.layers.link',
  ip: 'packets.layers.ip',
  arp: 'packets.layers.arp',
  icmp: 'packets.layers.icmp',
  tcp: 'packets.layers.tcp',
  udp: 'packets.layers.udp',
  data: 'packets.layers.data',
}
const FIELD_KEYS = en.packets.fields as Record<string, string>

/** The bands of a packet, in the order they are on the wire. */
export function bandsOf(row: PacketRow): Band[] {
  const bands: Band[] = []
  for (const f of row.p.fields) {
    let band = bands.at(-1)
    if (band?.layer !== f.layer) {
      let title = TITLES[f.layer]
      if (f.layer === 'link' && row.p.link !== 'ethernet')
        title = row.p.link === 'null' ? 'packets.layers.loop' : 'packets.layers.cooked'
      bands.push((band = { layer: f.layer, title, fields: [] }))
    }
    const k = `${f.layer}_${f.name.replace(/ /g, '_')}`
    band.fields.push({
      key: k in FIELD_KEYS ? (`packets.fields.${k}` as MessageKey) : undefined,
      name: f.name,
      value: valueOf(row, f),
      offset: f.offset,
      length: f.length,
    })
  }
  return bands
}

/** The hex dump's lines: offset, 16 bytes, and their printable characters. */
export interface HexLine {
  offset: string
  bytes: { i: number; hex: string }[]
  ascii: string
}
export function hexLines(d: Uint8Array): HexLine[] {
  const out: HexLine[] = []
  for (let o = 0; o < d.length; o += 16) {
    const part = d.subarray(o, o + 16)
    out.push({
      offset: o.toString(16).padStart(4, '0'),
      bytes: Array.from(part, (b, j) => ({ i: o + j, hex: hex2(b) })),
      ascii: Array.from(part, (b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join(''),
    })
  }
  return out
}
