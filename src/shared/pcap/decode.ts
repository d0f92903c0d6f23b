/**
 * One captured packet, layer by layer, as the course draws it: the link header (Ethernet's MACs,
 * or loopback's NULL, Linux's SLL/SLL2, raw IP), IPv4 or IPv6 (extension headers walked), then
 * ARP, ICMP/ICMPv6 (with the datagram an error quotes), TCP (flags, seq, ack, window, options) or
 * UDP. Every field keeps its byte offset and length, for a view that highlights it in the hex.
 * A packet cut short by the snap length or lying about a length is marked `truncated` with what
 * could be read; nothing throws, nothing reads past the data. Anything else is "other", kept.
 */

import { Cut, ipv4, ipv6, mac, type Decoded } from './packet'
import { arp, transport } from './transport'

export type { Decoded, Field, Layer, Link, Proto, Quoted, TcpOptions } from './packet'

export const LINKTYPE = {
  NULL: 0,
  ETHERNET: 1,
  RAW: 101,
  LINUX_SLL: 113,
  IPV4: 228,
  IPV6: 229,
  LINUX_SLL2: 276,
} as const

/** Decodes one packet of link type `linkType` (a LINKTYPE_ number). Never throws. */
export function decodePacket(linkType: number, data: Uint8Array): Decoded {
  const c = new Cut(data)
  const p: Decoded = { link: 'unknown', proto: 'other', len: 0, truncated: false, fields: c.fields }
  let o = 0
  let etherType: number | undefined
  switch (linkType) {
    case LINKTYPE.ETHERNET:
      p.link = 'ethernet'
      if (!c.has(0, 14)) break
      c.mark('link', 'dst', 0, 6)
      c.mark('link', 'src', 6, 6)
      p.dstMac = mac(data, 0)
      p.srcMac = mac(data, 6)
      etherType = c.u16('link', 'type', 12)
      o = 14
      // 802.1Q VLAN tags
      while ((etherType === 0x8100 || etherType === 0x88a8) && c.has(o, 4)) {
        etherType = c.u16('link', 'type', o + 2)
        o += 4
      }
      break
    case LINKTYPE.NULL: {
      p.link = 'null'
      if (!c.has(0, 4)) break
      c.mark('link', 'family', 0, 4)
      // the AF_ value in the capturing host's byte order: 2 IPv4; 24, 28, 30 IPv6 (BSDs, macOS)
      const le = data[0]! | (data[1]! << 8) | (data[2]! << 16) | (data[3]! << 24)
      const be = (data[0]! << 24) | (data[1]! << 16) | (data[2]! << 8) | data[3]!
      const fam = le > 0 && le < 256 ? le : be
      etherType = fam === 2 ? 0x0800 : fam === 24 || fam === 28 || fam === 30 ? 0x86dd : undefined
      o = 4
      break
    }
    case LINKTYPE.RAW:
    case LINKTYPE.IPV4:
    case LINKTYPE.IPV6:
      p.link = 'raw'
      if (!c.has(0, 1)) break
      etherType = data[0]! >> 4 === 6 ? 0x86dd : data[0]! >> 4 === 4 ? 0x0800 : undefined
      break
    case LINKTYPE.LINUX_SLL:
      p.link = 'sll'
      if (!c.has(0, 16)) break
      // packet type (2), ARPHRD (2), address length (2), address (8), protocol (2)
      if (c.u16('link', 'hatype', 2) === 1 && c.u16('link', 'halen', 4) === 6) {
        c.mark('link', 'src', 6, 6)
        p.srcMac = mac(data, 6)
      }
      etherType = c.u16('link', 'type', 14)
      o = 16
      break
    case LINKTYPE.LINUX_SLL2:
      p.link = 'sll2'
      if (!c.has(0, 20)) break
      // protocol (2), reserved (2), ifindex (4), ARPHRD (2), packet type (1), address length (1), address (8)
      etherType = c.u16('link', 'type', 0)
      if (c.u16('link', 'hatype', 8) === 1 && data[11] === 6) {
        c.mark('link', 'src', 12, 6)
        p.srcMac = mac(data, 12)
      }
      o = 20
      break
  }
  p.etherType = etherType
  if (etherType === 0x0800) network4(c, p, o)
  else if (etherType === 0x86dd) network6(c, p, o)
  else if (etherType === 0x0806) arp(c, p, o)
  p.truncated = c.truncated
  return p
}

function network4(c: Cut, p: Decoded, o: number): void {
  const d = c.d
  if (!c.has(o, 20)) return
  const ihl = (d[o]! & 0x0f) * 4
  p.ipVersion = 4
  c.mark('ip', 'version', o, 1)
  const total = c.u16('ip', 'length', o + 2)
  p.ttl = c.u8('ip', 'ttl', o + 8)
  p.ipProto = c.u8('ip', 'protocol', o + 9)
  c.mark('ip', 'src', o + 12, 4)
  c.mark('ip', 'dst', o + 16, 4)
  p.src = ipv4(d, o + 12)
  p.dst = ipv4(d, o + 16)
  if (ihl < 20) {
    c.truncated = true // a header length that cannot be: nothing after it is trusted
    return
  }
  const fragOff = ((d[o + 6]! & 0x1f) << 8) | d[o + 7]!
  // the end of this datagram: its own length, or what was captured, whichever is less
  const end = total >= ihl ? Math.min(o + total, d.length) : d.length
  if (o + total > d.length) c.truncated = true
  if (fragOff !== 0) return // a later fragment: no transport header in it
  transport(c, p, o + ihl, end, p.ipProto, false)
}

function network6(c: Cut, p: Decoded, o: number): void {
  const d = c.d
  if (!c.has(o, 40)) return
  p.ipVersion = 6
  c.mark('ip', 'version', o, 1)
  const payload = c.u16('ip', 'length', o + 4)
  let next = c.u8('ip', 'next header', o + 6)
  p.ttl = c.u8('ip', 'hop limit', o + 7)
  c.mark('ip', 'src', o + 8, 16)
  c.mark('ip', 'dst', o + 24, 16)
  p.src = ipv6(d, o + 8)
  p.dst = ipv6(d, o + 24)
  const end = Math.min(o + 40 + payload, d.length)
  if (o + 40 + payload > d.length) c.truncated = true
  let at = o + 40
  // extension headers: hop-by-hop, routing, fragment, destination options, AH; a few at most
  for (let i = 0; i < 8 && [0, 43, 44, 60, 51].includes(next); i++) {
    if (!c.has(at, 8)) return
    const hdr = next
    next = d[at]!
    if (hdr === 44) {
      const fragOff = ((d[at + 2]! << 8) | d[at + 3]!) >> 3
      at += 8
      if (fragOff !== 0) {
        p.ipProto = next
        return
      }
    } else at += hdr === 51 ? (d[at + 1]! + 2) * 4 : (d[at + 1]! + 1) * 8
  }
  p.ipProto = next
  transport(c, p, at, end, next, true)
}
