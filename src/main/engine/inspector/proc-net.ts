/**
 * The kernel's own view of sockets on Linux, read without privileges from /proc/net/*.
 * Parsers are pure (tested on recorded samples); the readers return null where the files do
 * not exist (macOS, Windows) so callers can say the figure is unavailable.
 */
import { readFileSync } from 'node:fs'
import { compressIPv6 } from '../../../shared/ip'

export const TCP_STATES: Record<string, string> = {
  '01': 'ESTABLISHED',
  '02': 'SYN_SENT',
  '03': 'SYN_RECV',
  '04': 'FIN_WAIT1',
  '05': 'FIN_WAIT2',
  '06': 'TIME_WAIT',
  '07': 'CLOSE',
  '08': 'CLOSE_WAIT',
  '09': 'LAST_ACK',
  '0A': 'LISTEN',
  '0B': 'CLOSING',
  '0C': 'NEW_SYN_RECV',
}

export interface ProcSocket {
  local: { address: string; port: number }
  remote: { address: string; port: number }
  state: string
  txQueue: number
  rxQueue: number
  inode: number
}

/** "0100007F" (little-endian 32-bit words) -> "127.0.0.1"; 32 hex digits -> an IPv6 address. */
export function decodeProcAddress(hex: string): string {
  if (hex.length === 8) {
    const n = parseInt(hex, 16)
    return [n & 255, (n >>> 8) & 255, (n >>> 16) & 255, n >>> 24].join('.')
  }
  const bytes: number[] = []
  for (let w = 0; w < 4; w++) {
    const word = hex.slice(w * 8, w * 8 + 8)
    for (let b = 3; b >= 0; b--) bytes.push(parseInt(word.slice(b * 2, b * 2 + 2), 16))
  }
  if (bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 255 && bytes[11] === 255) {
    return `::ffff:${bytes.slice(12).join('.')}`
  }
  const groups: string[] = []
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i]! << 8) | bytes[i + 1]!).toString(16))
  return compressIPv6(groups)
}

function endpoint(s: string): { address: string; port: number } {
  const [addr, port] = s.split(':') as [string, string]
  return { address: decodeProcAddress(addr), port: parseInt(port, 16) }
}

/** The two ports of a row, read without splitting the line: "  12: ADDR:PORT ADDR:PORT ...". */
const PORTS = /^\s*\d+: [0-9A-F]+:([0-9A-F]{4}) [0-9A-F]+:([0-9A-F]{4}) /i

/**
 * Parses /proc/net/tcp, tcp6, udp or udp6. With `ports`, only rows with a local or remote port
 * in it are decoded: the inspector's usual question, and far cheaper on a busy machine.
 */
export function parseProcNet(text: string, udp = false, ports?: ReadonlySet<number>): ProcSocket[] {
  const out: ProcSocket[] = []
  for (const line of text.split('\n').slice(1)) {
    if (ports) {
      const m = PORTS.exec(line)
      if (!m || (!ports.has(parseInt(m[1]!, 16)) && !ports.has(parseInt(m[2]!, 16)))) continue
    }
    const f = line.trim().split(/\s+/)
    if (f.length < 10) continue
    const [tx, rx] = f[4]!.split(':') as [string, string]
    out.push({
      local: endpoint(f[1]!),
      remote: endpoint(f[2]!),
      state: udp ? (f[3] === '07' ? 'UNCONN' : 'ESTABLISHED') : (TCP_STATES[f[3]!.toUpperCase()] ?? f[3]!),
      txQueue: parseInt(tx, 16),
      rxQueue: parseInt(rx, 16),
      inode: Number(f[9]),
    })
  }
  return out
}

/** One group of kernel counters ("TcpExt:", "Udp:"): a header line of names, then a line of values. */
function parseCounters(text: string, prefix: string): Record<string, number> {
  const lines = text.split('\n').filter((l) => l.startsWith(prefix))
  if (lines.length < 2) return {}
  const names = lines[0]!.split(/\s+/).slice(1)
  const values = lines[1]!.split(/\s+/).slice(1)
  return Object.fromEntries(names.map((n, i) => [n, Number(values[i])]))
}

/** The TcpExt counters of /proc/net/netstat. */
export const parseTcpExt = (text: string): Record<string, number> => parseCounters(text, 'TcpExt:')

/** The Udp counters of /proc/net/snmp. */
export const parseSnmpUdp = (text: string): Record<string, number> => parseCounters(text, 'Udp:')

/**
 * macOS `netstat -Lan -p tcp`: "qlen/incqlen/maxqlen  local-address" rows, where the address ends
 * in ".port" ("127.0.0.1.8002", "*.8002", "::1.8002"). XNU's qlen counts every unaccepted
 * connection, the half-open ones (SYN_RECV) included; incqlen counts those half-open ones alone
 * (so qlen − incqlen wait for accept()); maxqlen is the backlog in force, and a full queue is
 * qlen ≥ maxqlen, half-open and complete together.
 */
export interface ListenQueueRow {
  qlen: number
  incqlen: number
  maxqlen: number
  address: string
  port: number
}

export function parseNetstatListen(text: string): ListenQueueRow[] {
  const out: ListenQueueRow[] = []
  for (const line of text.split('\n')) {
    const m = /^\s*(\d+)\/(\d+)\/(\d+)\s+(\S+)/.exec(line)
    if (!m) continue
    const local = m[4]!
    const dot = local.lastIndexOf('.')
    out.push({
      qlen: Number(m[1]),
      incqlen: Number(m[2]),
      maxqlen: Number(m[3]),
      address: local.slice(0, dot),
      port: Number(local.slice(dot + 1)),
    })
  }
  return out
}

function read(path: string): string | null {
  try {
    return readFileSync(path, 'utf8')
  } catch {
    return null
  }
}

/** /proc/net/tcp and tcp6 as text (null where absent): read once, for every figure of one reading. */
export const readTcpTables = (): (string | null)[] => [read('/proc/net/tcp'), read('/proc/net/tcp6')]

/** The kernel's count of connections waiting in a listening socket's accept queue, or null. */
export function listenQueue(port: number, texts = readTcpTables()): number | null {
  let seen = false
  let total = 0
  for (const text of texts) {
    if (text === null) continue
    for (const s of parseProcNet(text, false, new Set([port]))) {
      if (s.state === 'LISTEN' && s.local.port === port) {
        seen = true
        total += s.rxQueue
      }
    }
  }
  return seen ? total : null
}

/**
 * Handshakes around one listening port, from both ends' rows: the client ports whose handshake
 * the server has not finished (SYN_RECV on the server's side: its final ACK was dropped because
 * the accept queue was full, though the client believes it is connected), and how many clients
 * are still in SYN_SENT (their SYN dropped, retrying). Null where there is no /proc.
 */
export function handshakes(port: number, texts = readTcpTables()) {
  if (texts.every((t) => t === null)) return null
  const synRecv: number[] = []
  const retrying: number[] = []
  const queued: number[] = []
  let synSent = 0
  for (const text of texts) {
    if (text === null) continue
    for (const s of parseProcNet(text, false, new Set([port]))) {
      if (s.local.port === port && (s.state === 'SYN_RECV' || s.state === 'NEW_SYN_RECV')) synRecv.push(s.remote.port)
      else if (s.remote.port === port && s.state === 'SYN_SENT') {
        synSent++
        retrying.push(s.local.port)
      }
      // a connection the kernel finished that no accept() took yet: in the accept queue, no
      // file (inode 0) until a program accepts it
      else if (s.local.port === port && s.state === 'ESTABLISHED' && s.inode === 0) queued.push(s.remote.port)
    }
  }
  const cap = (xs: number[]): number[] => xs.sort((a, b) => a - b).slice(0, MAX_PORTS)
  return { synRecv: synRecv.sort((a, b) => a - b), synSent, queuedPorts: cap(queued), synSentPorts: cap(retrying) }
}
/** At most this many ports named per list in a queue event (a thousand clients: counts only). */
const MAX_PORTS = 64

function counter(path: string, parse: (text: string) => Record<string, number>, name: string): number | null {
  const text = read(path)
  return text === null ? null : (parse(text)[name] ?? null)
}

/** Connections the kernel dropped because an accept queue was full (machine-wide), or null. */
export const listenOverflows = (): number | null => counter('/proc/net/netstat', parseTcpExt, 'ListenOverflows')

/** Datagrams the kernel dropped because a receive buffer was full (machine-wide), or null. */
export const rcvbufErrors = (): number | null => counter('/proc/net/snmp', parseSnmpUdp, 'RcvbufErrors')
