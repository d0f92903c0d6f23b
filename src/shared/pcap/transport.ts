/** The transport layer of a decoded packet: TCP, UDP, ICMP and ICMPv6; and ARP beside IP. */
import { Cut, ipv4, ipv6, mac, type Decoded, type Quoted, type TcpOptions } from './packet'

export function transport(c: Cut, p: Decoded, o: number, end: number, proto: number, v6: boolean): void {
  if (proto === 6) tcp(c, p, o, end)
  else if (proto === 17) udp(c, p, o, end)
  else if ((proto === 1 && !v6) || (proto === 58 && v6)) icmp(c, p, o, end, v6)
}

function tcp(c: Cut, p: Decoded, o: number, end: number): void {
  const d = c.d
  p.proto = 'tcp'
  if (!c.has(o, 20)) return
  p.sport = c.u16('tcp', 'src port', o)
  p.dport = c.u16('tcp', 'dst port', o + 2)
  const seq = c.u32('tcp', 'seq', o + 4)
  const ack = c.u32('tcp', 'ack', o + 8)
  const off = (d[o + 12]! >> 4) * 4
  c.mark('tcp', 'header length', o + 12, 1)
  const bits = c.u8('tcp', 'flags', o + 13) | ((d[o + 12]! & 1) << 8)
  const win = c.u16('tcp', 'window', o + 14)
  const NAMES = ['FIN', 'SYN', 'RST', 'PSH', 'ACK', 'URG', 'ECE', 'CWR', 'AE']
  const flags = NAMES.filter((_, i) => bits & (1 << i))
  const options: TcpOptions = {}
  p.tcp = { flags, seq, ack, win, options }
  if (off < 20) {
    c.truncated = true
    return
  }
  const optEnd = Math.min(o + off, d.length)
  if (o + off > d.length) c.truncated = true
  for (let i = o + 20; i < optEnd;) {
    const kind = d[i]!
    if (kind === 0) break
    if (kind === 1) {
      i++
      continue
    }
    if (i + 1 >= optEnd) break
    const len = d[i + 1]!
    if (len < 2 || i + len > optEnd) break // a lying option length: the rest is not read
    c.mark('tcp', 'option', i, len)
    if (kind === 2 && len === 4) options.mss = (d[i + 2]! << 8) | d[i + 3]!
    else if (kind === 3 && len === 3) options.wscale = d[i + 2]!
    else if (kind === 4 && len === 2) options.sackPermitted = true
    else if (kind === 5 && (len - 2) % 8 === 0) {
      const v = new DataView(d.buffer, d.byteOffset + i + 2, len - 2)
      options.sack = Array.from({ length: (len - 2) / 8 }, (_, k) => [v.getUint32(8 * k), v.getUint32(8 * k + 4)])
    } else if (kind === 8 && len === 10) {
      const v = new DataView(d.buffer, d.byteOffset + i + 2, 8)
      options.tsval = v.getUint32(0)
      options.tsecr = v.getUint32(4)
    }
    i += len
  }
  const start = o + off
  p.payloadOffset = start
  p.len = Math.max(0, end - start)
  if (p.len) c.mark('data', 'payload', start, p.len)
}

function udp(c: Cut, p: Decoded, o: number, end: number): void {
  p.proto = 'udp'
  if (!c.has(o, 8)) return
  p.sport = c.u16('udp', 'src port', o)
  p.dport = c.u16('udp', 'dst port', o + 2)
  const length = c.u16('udp', 'length', o + 4)
  c.mark('udp', 'checksum', o + 6, 2)
  p.udp = { length }
  const start = o + 8
  const stop = Math.min(end, length >= 8 ? o + length : end)
  if (o + length > c.d.length) c.truncated = true
  p.payloadOffset = start
  p.len = Math.max(0, stop - start)
  if (p.len) c.mark('data', 'payload', start, p.len)
}

function icmp(c: Cut, p: Decoded, o: number, end: number, v6: boolean): void {
  const d = c.d
  p.proto = v6 ? 'icmpv6' : 'icmp'
  if (!c.has(o, 4)) return
  const type = c.u8('icmp', 'type', o)
  const code = c.u8('icmp', 'code', o + 1)
  p.icmp = { type, code }
  // an error quotes the datagram that caused it, after 8 bytes of ICMP header
  const isError = v6 ? type < 128 : type === 3 || type === 11 || type === 12 || type === 5 || type === 4
  if (!isError) return
  const q = o + 8
  if (q >= end) return
  if (!v6 && q + 20 <= d.length && d[q]! >> 4 === 4) {
    const ihl = (d[q]! & 0x0f) * 4
    const quoted: Quoted = { proto: d[q + 9]!, src: ipv4(d, q + 12), dst: ipv4(d, q + 16) }
    if (ihl >= 20 && q + ihl + 4 <= d.length && (quoted.proto === 6 || quoted.proto === 17)) {
      quoted.sport = (d[q + ihl]! << 8) | d[q + ihl + 1]!
      quoted.dport = (d[q + ihl + 2]! << 8) | d[q + ihl + 3]!
    }
    p.icmp.quoted = quoted
    c.mark('icmp', 'quoted datagram', q, Math.min(end, d.length) - q)
  } else if (v6 && q + 40 <= d.length && d[q]! >> 4 === 6) {
    const quoted: Quoted = { proto: d[q + 6]!, src: ipv6(d, q + 8), dst: ipv6(d, q + 24) }
    if ((quoted.proto === 6 || quoted.proto === 17) && q + 44 <= d.length) {
      quoted.sport = (d[q + 40]! << 8) | d[q + 41]!
      quoted.dport = (d[q + 42]! << 8) | d[q + 43]!
    }
    p.icmp.quoted = quoted
    c.mark('icmp', 'quoted datagram', q, Math.min(end, d.length) - q)
  }
}

export function arp(c: Cut, p: Decoded, o: number): void {
  const d = c.d
  p.proto = 'arp'
  if (!c.has(o, 8)) return
  const htype = c.u16('arp', 'hardware type', o)
  const ptype = c.u16('arp', 'protocol type', o + 2)
  const hlen = d[o + 4]!
  const plen = d[o + 5]!
  const op = c.u16('arp', 'opcode', o + 6)
  if (htype !== 1 || ptype !== 0x0800 || hlen !== 6 || plen !== 4) return
  if (!c.has(o, 28)) return
  c.mark('arp', 'sender MAC', o + 8, 6)
  c.mark('arp', 'sender IP', o + 14, 4)
  c.mark('arp', 'target MAC', o + 18, 6)
  c.mark('arp', 'target IP', o + 24, 4)
  p.arp = {
    op: op === 1 ? 'request' : op === 2 ? 'reply' : op,
    senderMac: mac(d, o + 8),
    senderIp: ipv4(d, o + 14),
    targetMac: mac(d, o + 18),
    targetIp: ipv4(d, o + 24),
  }
  p.src = p.arp.senderIp
  p.dst = p.arp.targetIp
}
