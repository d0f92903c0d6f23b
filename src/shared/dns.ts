/**
 * A DNS message read field by field, each field with the bytes it came from (RFC 1035 §4): the
 * 12-byte header, the questions, then the answer, authority and additional records, names with
 * their compression pointers followed. The byte view of the journey and `socket-lab dns` light a
 * field's bytes from these offsets (dns-packet, which builds the lab's messages, gives none).
 * Bad bytes never throw out of here: a cut or looping message gives what was read and `error`.
 */
import { compressIPv6, isIPv4, isIPv6 } from './ip'

export interface DnsField {
  /** What the course calls it: "ID", "QR", "RCODE", "QNAME", "TTL", … */
  name: string
  start: number
  end: number
  value: string
}

export interface DnsRecord {
  name: string
  type: string
  class: string
  ttl: number
  /** The record's data as dig prints it: an address, a name, "10 mail.example.com", a text. */
  data: string
  start: number
  end: number
}

export interface DnsQuestion {
  name: string
  type: string
  class: string
}

export interface DnsMessage {
  id: number
  response: boolean
  opcode: number
  authoritative: boolean
  truncated: boolean
  recursionDesired: boolean
  recursionAvailable: boolean
  /** NOERROR, FORMERR, SERVFAIL, NXDOMAIN, NOTIMP, REFUSED, or the number. */
  rcode: string
  questions: DnsQuestion[]
  answers: DnsRecord[]
  authority: DnsRecord[]
  additional: DnsRecord[]
  fields: DnsField[]
  /** Why the reading stopped early (a cut message, a pointer loop); absent when read whole. */
  error?: string
}

export const DNS_TYPES: Record<number, string> = {
  1: 'A',
  2: 'NS',
  5: 'CNAME',
  6: 'SOA',
  12: 'PTR',
  15: 'MX',
  16: 'TXT',
  28: 'AAAA',
  33: 'SRV',
  41: 'OPT',
  65: 'HTTPS',
  255: 'ANY',
}
export const DNS_TYPE_CODES: Record<string, number> = Object.fromEntries(
  Object.entries(DNS_TYPES).map(([k, v]) => [v, Number(k)]),
)
const RCODES = ['NOERROR', 'FORMERR', 'SERVFAIL', 'NXDOMAIN', 'NOTIMP', 'REFUSED']
const CLASSES: Record<number, string> = { 1: 'IN', 3: 'CH', 255: 'ANY' }

class Cut extends Error {}
const utf8 = new TextDecoder()

/** Reads a DNS message; never throws. */
export function readDns(b: Uint8Array): DnsMessage {
  const fields: DnsField[] = []
  const field = (name: string, start: number, end: number, value: string | number | boolean): void => {
    fields.push({ name, start, end, value: String(value) })
  }
  const u8 = (o: number): number => {
    if (o >= b.length) throw new Cut(`the message ends at byte ${b.length}, in the middle of a field`)
    return b[o]!
  }
  const u16 = (o: number): number => (u8(o) << 8) | u8(o + 1)
  const u32 = (o: number): number => u16(o) * 65536 + u16(o + 2)

  /** A name at `o`: its text and where the bytes after it (in place) begin. */
  const name = (o: number): { text: string; next: number } => {
    const labels: string[] = []
    let next = -1
    let jumps = 0
    for (;;) {
      const len = u8(o)
      if (len === 0) {
        if (next < 0) next = o + 1
        break
      }
      if ((len & 0xc0) === 0xc0) {
        const to = ((len & 0x3f) << 8) | u8(o + 1)
        if (next < 0) next = o + 2
        // a pointer goes back to a name already seen; one that does not, or too many, is a loop
        if (to >= o || ++jumps > 64) throw new Cut(`a name's compression pointer at byte ${o} loops`)
        o = to
        continue
      }
      if (len & 0xc0) throw new Cut(`a label at byte ${o} has an unknown kind (0x${len.toString(16)})`)
      if (o + 1 + len > b.length) throw new Cut(`a name's label at byte ${o} runs past the end`)
      labels.push(String.fromCharCode(...b.subarray(o + 1, o + 1 + len)))
      o += 1 + len
      if (labels.join('.').length > 253) throw new Cut('a name longer than 253 characters')
    }
    return { text: labels.length ? labels.join('.') : '.', next }
  }

  const msg: DnsMessage = {
    id: 0,
    response: false,
    opcode: 0,
    authoritative: false,
    truncated: false,
    recursionDesired: false,
    recursionAvailable: false,
    rcode: 'NOERROR',
    questions: [],
    answers: [],
    authority: [],
    additional: [],
    fields,
  }
  try {
    if (b.length < 12) throw new Cut(`${b.length} bytes: a DNS message has a 12-byte header`)
    msg.id = u16(0)
    field('ID', 0, 2, `0x${msg.id.toString(16).padStart(4, '0')}`)
    const flags = u16(2)
    msg.response = (flags & 0x8000) !== 0
    msg.opcode = (flags >> 11) & 0xf
    msg.authoritative = (flags & 0x0400) !== 0
    msg.truncated = (flags & 0x0200) !== 0
    msg.recursionDesired = (flags & 0x0100) !== 0
    msg.recursionAvailable = (flags & 0x0080) !== 0
    msg.rcode = RCODES[flags & 0xf] ?? String(flags & 0xf)
    field('QR', 2, 3, msg.response ? 'response' : 'query')
    field('OPCODE', 2, 3, msg.opcode)
    field('AA', 2, 3, msg.authoritative)
    field('TC', 2, 3, msg.truncated)
    field('RD', 2, 3, msg.recursionDesired)
    field('RA', 3, 4, msg.recursionAvailable)
    field('RCODE', 3, 4, msg.rcode)
    const counts = [u16(4), u16(6), u16(8), u16(10)] as const
    ;['QDCOUNT', 'ANCOUNT', 'NSCOUNT', 'ARCOUNT'].forEach((n, i) => field(n, 4 + 2 * i, 6 + 2 * i, counts[i]!))
    let o = 12
    for (let i = 0; i < counts[0]; i++) {
      const n = name(o)
      field('QNAME', o, n.next, n.text)
      const type = DNS_TYPES[u16(n.next)] ?? String(u16(n.next))
      field('QTYPE', n.next, n.next + 2, type)
      const cls = CLASSES[u16(n.next + 2)] ?? String(u16(n.next + 2))
      field('QCLASS', n.next + 2, n.next + 4, cls)
      msg.questions.push({ name: n.text, type, class: cls })
      o = n.next + 4
    }
    const sections = [msg.answers, msg.authority, msg.additional]
    for (let s = 0; s < 3; s++)
      for (let i = 0; i < counts[s + 1]!; i++) {
        const start = o
        const n = name(o)
        const t = u16(n.next)
        const type = DNS_TYPES[t] ?? String(t)
        const cls = t === 41 ? String(u16(n.next + 2)) : (CLASSES[u16(n.next + 2)] ?? String(u16(n.next + 2)))
        const ttl = u32(n.next + 4)
        const len = u16(n.next + 8)
        const d = n.next + 10
        if (d + len > b.length) throw new Cut(`a record's data at byte ${d} runs past the end`)
        field('NAME', o, n.next, n.text)
        field('TYPE', n.next, n.next + 2, type)
        field('CLASS', n.next + 2, n.next + 4, cls)
        field('TTL', n.next + 4, n.next + 8, ttl)
        field('RDLENGTH', n.next + 8, d, len)
        const data = rdata(t, d, len)
        field('RDATA', d, d + len, data)
        sections[s]!.push({ name: n.text, type, class: cls, ttl, data, start, end: d + len })
        o = d + len
      }
    if (o < b.length) msg.error = `${b.length - o} bytes after the last record`
  } catch (e) {
    if (!(e instanceof Cut)) throw e
    msg.error = e.message
  }
  return msg

  function rdata(t: number, d: number, len: number): string {
    if (t === 1 && len === 4) return [u8(d), u8(d + 1), u8(d + 2), u8(d + 3)].join('.')
    if (t === 28 && len === 16) {
      const groups = Array.from({ length: 8 }, (_, i) => u16(d + 2 * i).toString(16))
      return compressIPv6(groups)
    }
    if (t === 2 || t === 5 || t === 12) return name(d).text
    if (t === 15) return `${u16(d)} ${name(d + 2).text}`
    if (t === 16) {
      const parts: string[] = []
      for (let i = d; i < d + len; i += 1 + u8(i))
        parts.push(JSON.stringify(utf8.decode(b.subarray(i + 1, i + 1 + u8(i)))))
      return parts.join(' ')
    }
    if (t === 6) {
      const m = name(d)
      const r = name(m.next)
      const nums = [0, 4, 8, 12, 16].map((k) => u32(r.next + k))
      return `${m.text} ${r.text} ${nums.join(' ')}`
    }
    return Array.from(b.subarray(d, d + len), (x) => x.toString(16).padStart(2, '0')).join('')
  }
}

/** A name as a query may carry it: labels of 1–63 letters, digits, '-' or '_', 253 in all. */
export function checkDnsName(name: string): string | undefined {
  const n = name.replace(/\.$/, '')
  if (!n) return 'the name is empty'
  if (n.length > 253) return 'a name has at most 253 characters'
  for (const label of n.split('.')) {
    if (!label) return `"${name}" has an empty label (two dots in a row)`
    if (label.length > 63) return `the label "${label.slice(0, 20)}…" is longer than 63 characters`
    if (!/^[A-Za-z0-9_-]+$/.test(label))
      return `"${label}" has characters a DNS name cannot carry (letters, digits, - and _ only; an IDN as punycode, xn--…)`
  }
  return undefined
}

/** A DNS server as typed: IP, IP:PORT or [IPv6]:PORT (53 when no port); undefined if it is none. */
export function dnsServerOf(s: string): { server: string; port: number } | undefined {
  const m = /^\[([^\]]+)\](?::(\d{1,5}))?$/.exec(s) ?? /^([^:]+)(?::(\d{1,5}))?$/.exec(s)
  const host = m ? m[1]! : s
  const port = m?.[2] ? Number(m[2]) : 53
  if (!(isIPv4(host) || isIPv6(host)) || port < 1 || port > 65535) return undefined
  return { server: host, port }
}

/** A classroom DNS record as typed, "NAME=IP" (the name lower-cased, no final dot), or why not. */
export function dnsRecordOf(s: string): { name: string; address: string } | { error: string } {
  const m = /^([^=\s]+)=(\S+)$/.exec(s.trim())
  if (!m) return { error: `"${s}" is not NAME=IP (e.g. server.lab=10.0.0.3)` }
  const name = m[1]!.replace(/\.$/, '').toLowerCase()
  const bad = checkDnsName(name)
  if (bad) return { error: `"${s}": ${bad}` }
  if (!isIPv4(m[2]!) && !isIPv6(m[2]!)) return { error: `"${s}": ${m[2]} is not an IPv4 or IPv6 address` }
  return { name, address: m[2]! }
}
