/**
 * A decoded packet as the CLI prints it: one JSON object (`capture --json`), or one line in the
 * course's words, like `tcpdump -n` but saying what each packet is.
 */
import type { CaptureRecord } from './reader'
import type { Decoded } from './decode'

const LINKS: Record<Decoded['link'], string> = {
  null: 'null',
  ethernet: 'ethernet',
  raw: 'raw',
  sll: 'linux-sll',
  sll2: 'linux-sll2',
  unknown: 'unknown',
}

/** `{"event":"packet","n":1,"time":…,"link":"ethernet","proto":"tcp",…}` (seq/ack absolute). */
export function packetJson(r: CaptureRecord, p: Decoded): Record<string, unknown> {
  const o: Record<string, unknown> = {
    event: 'packet',
    n: r.n,
    time: Number(`${r.sec}.${String(r.nsec).padStart(9, '0')}`),
    link: LINKS[p.link],
    proto: p.proto,
  }
  if (p.srcMac) o['srcMac'] = p.srcMac
  if (p.dstMac) o['dstMac'] = p.dstMac
  if (p.src !== undefined) o['src'] = p.src
  if (p.dst !== undefined) o['dst'] = p.dst
  if (p.ttl !== undefined) o['ttl'] = p.ttl
  if (p.sport !== undefined) o['sport'] = p.sport
  if (p.dport !== undefined) o['dport'] = p.dport
  if (p.tcp) {
    o['flags'] = p.tcp.flags
    o['seq'] = p.tcp.seq
    o['ack'] = p.tcp.ack
    o['win'] = p.tcp.win
    o['options'] = p.tcp.options
  }
  if (p.arp) o['arp'] = p.arp
  if (p.icmp) o['icmp'] = p.icmp
  if (p.proto === 'other' && p.ipProto !== undefined) o['ipProto'] = p.ipProto
  if (p.proto === 'other' && p.etherType !== undefined) o['etherType'] = p.etherType
  o['len'] = p.len
  o['wireLen'] = r.origLen
  if (p.truncated || r.data.length < r.origLen) o['truncated'] = true
  return o
}

const ICMP_WORDS: Record<string, string> = {
  '0:0': 'echo reply',
  '8:0': 'echo request (ping)',
  '3:0': 'network unreachable',
  '3:1': 'host unreachable',
  '3:3': 'port unreachable: nobody listens on that UDP port (a connected socket gets ECONNREFUSED)',
  '11:0': 'time exceeded (TTL reached 0)',
}
const ICMP6_WORDS: Record<string, string> = {
  '1:4': 'port unreachable: nobody listens on that UDP port (a connected socket gets ECONNREFUSED)',
  '128:0': 'echo request (ping)',
  '129:0': 'echo reply',
  '135:0': 'neighbour solicitation (IPv6’s ARP “who has”)',
  '136:0': 'neighbour advertisement (IPv6’s ARP reply)',
}

/** What a TCP segment is, in the course's words. */
function tcpWords(f: string[], len: number): string {
  const has = (x: string): boolean => f.includes(x)
  if (has('SYN') && has('ACK')) return 'SYN+ACK: the server agrees (second step of the handshake)'
  if (has('SYN')) return 'SYN: asks to connect (first step of the handshake)'
  if (has('RST')) return 'RST: the connection is reset'
  if (has('FIN')) return `FIN: done sending${len ? `, with ${len} bytes` : ''}`
  if (len) return `data, ${len} bytes`
  return 'ACK'
}

/** One line: time, who to whom, what it is in words. */
export function packetLine(r: CaptureRecord, p: Decoded): string {
  const t = new Date(r.sec * 1000).toISOString().slice(11, 19) + '.' + String(r.nsec).padStart(9, '0').slice(0, 6)
  const ep = (a?: string, port?: number): string =>
    a === undefined ? '?' : port === undefined ? a : a.includes(':') ? `[${a}]:${port}` : `${a}:${port}`
  const cut = p.truncated ? ' (cut short by the capture)' : ''
  if (p.arp) {
    const a = p.arp
    const what =
      a.op === 'request'
        ? `ARP: who has ${a.targetIp}? tell ${a.senderIp}${p.dstMac === 'ff:ff:ff:ff:ff:ff' ? ' (broadcast)' : ''}`
        : a.op === 'reply'
          ? `ARP: ${a.senderIp} is at ${a.senderMac}`
          : `ARP opcode ${a.op}`
    return `${r.n} ${t} ${what}${cut}`
  }
  if (p.tcp) {
    const f = p.tcp.flags.join(',')
    const opt = p.tcp.options.mss !== undefined ? ` MSS ${p.tcp.options.mss}` : ''
    return (
      `${r.n} ${t} TCP ${ep(p.src, p.sport)} > ${ep(p.dst, p.dport)} [${f}] seq ${p.tcp.seq} ack ${p.tcp.ack} ` +
      `win ${p.tcp.win}${opt} len ${p.len}: ${tcpWords(p.tcp.flags, p.len)}${cut}`
    )
  }
  if (p.proto === 'udp')
    return `${r.n} ${t} UDP ${ep(p.src, p.sport)} > ${ep(p.dst, p.dport)} len ${p.len}: a datagram${cut}`
  if (p.icmp) {
    const key = `${p.icmp.type}:${p.icmp.code}`
    const words = (p.proto === 'icmpv6' ? ICMP6_WORDS : ICMP_WORDS)[key] ?? `type ${p.icmp.type} code ${p.icmp.code}`
    const q = p.icmp.quoted
    const about = q && q.dport !== undefined ? ` (about a datagram to ${ep(q.dst, q.dport)})` : ''
    return `${r.n} ${t} ${p.proto === 'icmpv6' ? 'ICMPv6' : 'ICMP'} ${p.src} > ${p.dst}: ${words}${about}${cut}`
  }
  const what =
    p.ipProto !== undefined
      ? `IP protocol ${p.ipProto}`
      : p.etherType !== undefined
        ? `EtherType 0x${p.etherType.toString(16).padStart(4, '0')}`
        : `link type ${r.linkType}`
  return `${r.n} ${t} other: ${what}${p.src ? ` ${p.src} > ${p.dst}` : ''}, ${r.origLen} bytes${cut}`
}
