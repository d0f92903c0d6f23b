/**
 * Windows `netstat -ano`, whatever the display language.
 *
 * The column layout is the same in every language; the headings and the state words are
 * translated (German ABHÖREN, HERGESTELLT, WARTEND...; Chinese keeps the English states), and the
 * output is in the console's code page (CP850 in Germany, CP936/GBK in China). So a row is read
 * by position: Proto, local, foreign, then the state (which may be several words, "IN ASCOLTO"),
 * then the PID. A state word is normalized to the course's Linux names by, in order:
 * 1. the English names and a table of known translations;
 * 2. what the row itself shows, in any language: a TCP row whose foreign address is the wildcard
 *    (0.0.0.0:0, [::]:0) is listening; a row with PID 0 and a real foreign address is in
 *    TIME_WAIT (Windows keeps no owner for it);
 * 3. what the caller learned (`learned`: the lab knows the true state of its own sockets).
 * A word none of these explain is kept, the row's state set to UNKNOWN: never a wrong label.
 */
import iconv from 'iconv-lite'
import type { OsSocket } from '../../../shared/contract'
import { isWildcard, plainAddress } from '../../../shared/endpoint'
import { isIPv4, isIPv6 } from '../../../shared/ip'
import { asBuffer } from '../payload'

/** The English words, and translations seen in real captures or Windows' own strings. */
export const WINDOWS_STATE_WORDS: Record<string, string> = {
  LISTENING: 'LISTEN',
  LISTEN: 'LISTEN',
  ESTABLISHED: 'ESTABLISHED',
  SYN_SENT: 'SYN_SENT',
  SYN_RECEIVED: 'SYN_RECV',
  SYN_RCVD: 'SYN_RECV',
  FIN_WAIT_1: 'FIN_WAIT1',
  FIN_WAIT_2: 'FIN_WAIT2',
  CLOSE_WAIT: 'CLOSE_WAIT',
  CLOSING: 'CLOSING',
  LAST_ACK: 'LAST_ACK',
  TIME_WAIT: 'TIME_WAIT',
  CLOSED: 'CLOSE',
  DELETE_TCB: 'CLOSE',
  BOUND: 'CLOSE',
  // German (de-DE)
  ABHÖREN: 'LISTEN',
  HERGESTELLT: 'ESTABLISHED',
  WARTEND: 'TIME_WAIT',
  SCHLIESSEN_WARTEN: 'CLOSE_WAIT',
  FIN_WARTEN_1: 'FIN_WAIT1',
  FIN_WARTEN_2: 'FIN_WAIT2',
  SYN_GESENDET: 'SYN_SENT',
  SYN_EMPFANGEN: 'SYN_RECV',
  LETZTES_ACK: 'LAST_ACK',
  SCHLIESSEND: 'CLOSING',
  GESCHLOSSEN: 'CLOSE',
  // French (fr-FR)
  ÉCOUTE: 'LISTEN',
  "À L'ÉCOUTE": 'LISTEN',
  ÉTABLIE: 'ESTABLISHED',
  ÉTABLI: 'ESTABLISHED',
  // Spanish (es-ES)
  ESCUCHANDO: 'LISTEN',
  ESTABLECIDO: 'ESTABLISHED',
  // Portuguese (pt-BR)
  ESCUTANDO: 'LISTEN',
  ESTABELECIDA: 'ESTABLISHED',
  // Italian (it-IT)
  'IN ASCOLTO': 'LISTEN',
  STABILITA: 'ESTABLISHED',
}

export interface WindowsParse {
  rows: OsSocket[]
  /** State words no rule explained (their rows say UNKNOWN). */
  unrecognized: string[]
}

/** "0.0.0.0:135", "[::1]:8001", "[fe80::1%12]:5353", "*:*" -> address and port. */
function endpoint(s: string): { address: string; port: number } | undefined {
  if (s === '*:*') return { address: '0.0.0.0', port: 0 }
  const colon = s.lastIndexOf(':')
  if (colon < 0) return undefined
  // the %scope of a link-local address stays: it says which interface (matching ignores it)
  const addr = s.slice(0, colon).replace(/^\[|\]$/g, '')
  const port = s.slice(colon + 1)
  if (port !== '*' && (!/^\d+$/.test(port) || Number(port) > 65535)) return undefined
  const address = addr === '*' ? '0.0.0.0' : addr
  // an address netstat could not have written (an octet over 255, not IPv6 either) is no row
  if (!isIPv4(address) && !isIPv6(address.replace(/%\w+$/, ''))) return undefined
  return { address, port: port === '*' ? 0 : Number(port) }
}

const wildcard = (e: { address: string; port: number }): boolean => e.port === 0 && isWildcard(e.address)

export function parseWindowsTable(text: string, learned?: ReadonlyMap<string, string>): WindowsParse {
  const rows: OsSocket[] = []
  const unrecognized = new Set<string>()
  for (const line of text.split(/\r?\n/)) {
    const f = line.trim().split(/\s+/)
    const proto = f[0]?.toUpperCase()
    if (proto !== 'TCP' && proto !== 'UDP') continue
    const local = endpoint(f[1] ?? '')
    const remote = endpoint(f[2] ?? '')
    const pidText = f.at(-1) ?? ''
    if (!local || !remote || !/^\d+$/.test(pidText) || f.length < 4) continue
    const pid = Number(pidText)
    const r: OsSocket = {
      proto: proto === 'TCP' ? 'tcp' : 'udp',
      family: local.address.includes(':') ? 'IPv6' : 'IPv4',
      local: { address: plainAddress(local.address), port: local.port },
      remote: { address: plainAddress(remote.address), port: remote.port },
      state: '',
      sendQ: null,
      recvQ: null,
      pid,
    }
    if (proto === 'UDP') {
      r.state = remote.port === 0 ? 'UNCONN' : 'CONNECTED'
    } else {
      const word = f.slice(3, -1).join(' ').toUpperCase()
      const known = WINDOWS_STATE_WORDS[word] ?? learned?.get(word)
      if (known) r.state = known
      else if (wildcard(remote)) r.state = 'LISTEN'
      else if (pid === 0 && word) r.state = 'TIME_WAIT'
      else {
        r.state = 'UNKNOWN'
        r.word = word
        unrecognized.add(word)
      }
    }
    rows.push(r)
  }
  return { rows, unrecognized: [...unrecognized] }
}

/**
 * Text from netstat's bytes: UTF-16 (PowerShell's `>` writes it, with a BOM), UTF-8 where the
 * bytes are valid UTF-8, else the console's code page (`codePage`, from `chcp`; for a file of
 * unknown origin the code page under which the text reads best as a netstat table).
 */
export function decodeConsole(bytes: Uint8Array, codePage?: number): { text: string; encoding: string } {
  const buf = asBuffer(bytes)
  if (buf[0] === 0xff && buf[1] === 0xfe) return { text: buf.subarray(2).toString('utf16le'), encoding: 'utf-16le' }
  if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf)
    return { text: buf.subarray(3).toString('utf8'), encoding: 'utf-8' }
  const utf8 = new TextDecoder('utf-8', { fatal: false }).decode(buf)
  if (!utf8.includes('\ufffd')) return { text: utf8, encoding: 'utf-8' }
  const candidates = codePage ? [`cp${codePage}`] : ['cp850', 'cp936', 'cp437', 'cp1252', 'cp866', 'cp932', 'cp949']
  let best = { text: utf8, encoding: 'utf-8', score: -Infinity }
  for (const enc of candidates) {
    if (!iconv.encodingExists(enc)) continue
    const text = iconv.decode(buf, enc)
    const score = readability(text)
    if (score > best.score) best = { text, encoding: enc, score }
  }
  return { text: best.text, encoding: best.encoding }
}

/** How well a decoding reads as a netstat table: known state words and headings, few stray signs. */
function readability(text: string): number {
  let score = 0
  for (const line of text.split(/\r?\n/)) {
    const f = line.trim().split(/\s+/)
    if (f[0] === 'TCP' && f.length >= 5 && WINDOWS_STATE_WORDS[f.slice(3, -1).join(' ').toUpperCase()]) score += 2
  }
  if (/活动连接|协议|本地地址/.test(text)) score += 20
  if (/Aktive Verbindungen|Lokale Adresse/.test(text)) score += 20
  if (/接口|物理地址/.test(text)) score += 20 // arp -a on Chinese Windows
  score -= (text.match(/[\u2500-\u25ff\u0080-\u009f]/g) ?? []).length // box drawing, C1 controls: a wrong code page
  return score
}
