/**
 * Captured packets as the Packets tab lists them: decoded with the engine's own decoder, TCP's
 * seq/ack made relative to each side's first sequence number (as Wireshark shows them by
 * default), Linux's second copy of a loopback packet recognised, and each packet said in the
 * course's words (an i18n key and its values).
 */
import { decodePacket, type Decoded } from '../../../shared/pcap/decode'
import type { CaptureRecord } from '../../../shared/pcap/reader'
import type { MessageKey } from '../i18n'

export interface PacketRow {
  /** Its number in the capture (or the file), from 1. */
  n: number
  /** Capture time, seconds since the epoch (with the fraction, for showing), and exactly as the
   * capture has it (for a file written back). */
  time: number
  sec: number
  nsec: number
  linkType: number
  /** The bytes this page holds (the start of the packet), and the packet's captured and wire lengths. */
  bytes: Uint8Array
  caplen: number
  origLen: number
  p: Decoded
  /** The lab socket whose packet it is (live capture only). */
  socket?: string
  /** TCP: seq and ack relative to each side's first sequence number. */
  rel?: { seq: number; ack: number }
  /** The connection (or UDP flow) it belongs to, the same either way: "a:1|b:2". */
  flow?: string
  /** Linux `any`: the same loopback packet seen again (leaving, then arriving). */
  twin?: boolean
  /** TCP: a SYN sent again (the same seq, no answer came in time). */
  again?: boolean
  /** TCP: the MSS the receiver announced in its SYN (the most its sender should put in one
   * segment), when the capture has it. */
  mss?: number
}

/** Wireshark's summary of TCP flags: "SYN", "SYN,ACK", "PSH,ACK", "FIN,ACK", "RST,ACK". */
export const flagsText = (p: Decoded): string => p.tcp?.flags.join(',') ?? ''

/** "a:1", "[::1]:1", or the address alone: how a packet's ends are written. */
export const ep = (a: string | undefined, port: number | undefined): string =>
  a === undefined ? '?' : port === undefined ? a : a.includes(':') ? `[${a}]:${port}` : `${a}:${port}`

/** A connection's (or UDP flow's) key, the same whichever end is written first. */
export const flowKey = (a: string, b: string): string => (a < b ? `${a}|${b}` : `${b}|${a}`)

/** Where the IP header starts (after the link header), to compare two copies of one packet. */
function ipStart(p: Decoded): number | undefined {
  return p.fields.find((f) => f.layer === 'ip' || f.layer === 'arp')?.offset
}

/**
 * Turns records into rows, keeping what relative numbers need: each direction's first sequence
 * number, and the previous packet (a twin is the same IP bytes within 1 ms).
 */
export class PacketRows {
  private isn = new Map<string, number>()
  private mss = new Map<string, number>()
  private syns = new Set<string>()
  private last?: { row: PacketRow; ip: number }

  row(
    r: Pick<CaptureRecord, 'n' | 'sec' | 'nsec' | 'linkType' | 'origLen'> & { bytes: Uint8Array; caplen: number },
    socket?: string,
  ): PacketRow {
    const p = decodePacket(r.linkType, r.bytes)
    const row: PacketRow = {
      n: r.n,
      time: r.sec + r.nsec / 1e9,
      sec: r.sec,
      nsec: r.nsec,
      linkType: r.linkType,
      bytes: r.bytes,
      caplen: r.caplen,
      origLen: r.origLen,
      p,
      ...(socket ? { socket } : {}),
    }
    if (p.sport !== undefined && p.dport !== undefined) {
      const a = ep(p.src, p.sport)
      const b = ep(p.dst, p.dport)
      row.flow = flowKey(a, b)
      if (p.tcp) {
        const fwd = `${a}>${b}`
        const back = `${b}>${a}`
        // a new SYN starts the direction again (a port used again)
        if (!this.isn.has(fwd) || (p.tcp.flags.includes('SYN') && !p.tcp.flags.includes('ACK') && !this.twinOf(row)))
          this.isn.set(fwd, p.tcp.seq)
        if (p.tcp.options.mss !== undefined) this.mss.set(fwd, p.tcp.options.mss)
        if (p.tcp.flags.includes('SYN')) {
          const syn = `${fwd} ${p.tcp.seq} ${p.tcp.flags.join()}`
          if (this.syns.has(syn) && !this.twinOf(row)) row.again = true
          this.syns.add(syn)
        }
        // what this side may send is what the other side announced
        const mss = this.mss.get(back)
        if (mss !== undefined) row.mss = mss
        const base = this.isn.get(fwd)!
        const other = this.isn.get(back)
        const acked = p.tcp.flags.includes('ACK')
        row.rel = {
          seq: (p.tcp.seq - base) >>> 0,
          ack: !acked ? 0 : other === undefined ? p.tcp.ack : (p.tcp.ack - other) >>> 0,
        }
      }
    }
    if (this.twinOf(row)) row.twin = true
    const ip = ipStart(p)
    this.last = ip === undefined ? undefined : { row, ip }
    return row
  }

  private twinOf(row: PacketRow): boolean {
    const l = this.last
    if (!l || l.row === row || Math.abs(row.time - l.row.time) > 0.001) return false
    const ip = ipStart(row.p)
    if (ip === undefined) return false
    const a = l.row.bytes.subarray(l.ip)
    const b = row.bytes.subarray(ip)
    return a.length === b.length && a.every((x, i) => x === b[i])
  }
}

export interface Words {
  key: MessageKey
  values: Record<string, string | number>
}

const ICMP_KEYS: Record<string, MessageKey> = {
  '0:0': 'packets.words.echoReply',
  '8:0': 'packets.words.echoRequest',
  '3:0': 'packets.words.netUnreachable',
  '3:1': 'packets.words.hostUnreachable',
  '3:3': 'packets.words.portUnreachable',
  '11:0': 'packets.words.ttlExceeded',
}
const ICMP6_KEYS: Record<string, MessageKey> = {
  '1:4': 'packets.words.portUnreachable',
  '128:0': 'packets.words.echoRequest',
  '129:0': 'packets.words.echoReply',
  '135:0': 'packets.words.neighborSolicit',
  '136:0': 'packets.words.neighborAdvert',
}

/** What a packet is, in the course's words; `who` names its sender (a lab socket's id, or its address). */
export function packetWords(row: PacketRow, who: string): Words {
  const p = row.p
  if (p.arp) {
    const a = p.arp
    if (a.op === 'request')
      return { key: 'packets.words.arpRequest', values: { target: a.targetIp, sender: a.senderIp } }
    if (a.op === 'reply') return { key: 'packets.words.arpReply', values: { sender: a.senderIp, mac: a.senderMac } }
    return { key: 'packets.words.arpOther', values: { op: a.op } }
  }
  if (p.tcp) {
    const f = p.tcp.flags
    const len = p.len
    if (f.includes('SYN') && f.includes('ACK')) return { key: 'packets.words.synAck', values: { who } }
    if (f.includes('SYN')) return { key: row.again ? 'packets.words.synAgain' : 'packets.words.syn', values: { who } }
    if (f.includes('RST')) return { key: 'packets.words.rst', values: { who } }
    if (f.includes('FIN')) return { key: len ? 'packets.words.finData' : 'packets.words.fin', values: { who, len } }
    if (len) return { key: 'packets.words.data', values: { who, len } }
    if (row.rel?.seq === 1 && row.rel.ack === 1) return { key: 'packets.words.thirdAck', values: { who } }
    return { key: 'packets.words.ack', values: { who } }
  }
  if (p.proto === 'udp') return { key: 'packets.words.udp', values: { who, len: p.len } }
  if (p.icmp) {
    const k = (p.proto === 'icmpv6' ? ICMP6_KEYS : ICMP_KEYS)[`${p.icmp.type}:${p.icmp.code}`]
    const q = p.icmp.quoted
    const about = q?.dport !== undefined ? ep(q.dst, q.dport) : ''
    return k
      ? { key: k, values: { about } }
      : { key: 'packets.words.icmpOther', values: { type: p.icmp.type, code: p.icmp.code } }
  }
  const what =
    p.ipProto !== undefined
      ? `IP ${p.ipProto}`
      : p.etherType !== undefined
        ? `EtherType 0x${p.etherType.toString(16).padStart(4, '0')}`
        : `link type ${row.linkType}`
  return { key: 'packets.words.other', values: { what } }
}

/** "10.0.0.3:5000" or "10.0.0.3" or an ARP sender, for the list's from/to. */
export function ends(p: Decoded): { from: string; to: string } {
  if (p.arp) return { from: p.arp.senderIp, to: p.arp.targetIp }
  return { from: ep(p.src, p.sport), to: ep(p.dst, p.dport) }
}
