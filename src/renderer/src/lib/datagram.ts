/**
 * The size of the datagram a send will make, before sending it (the engine encodes; this
 * predicts for the form). GBK: one byte for ASCII, two for each other character it encodes.
 */
import { parseHex } from '../../../shared/codec'
import type { Encoding } from '../../../shared/contract'

/** IPv4's limit for one UDP datagram: 65,535 - 20 (IP header) - 8 (UDP header). */
export const MAX_UDP_IPV4 = 65_507
/** macOS refuses more by default (sysctl net.inet.udp.maxdgram): EMSGSIZE. */
export const MAX_UDP_MACOS = 9216

/** The largest datagram a send succeeds with on this OS, by default. */
export const maxDatagram = (os: string): number => (os === 'darwin' ? MAX_UDP_MACOS : MAX_UDP_IPV4)

export function payloadSize(text: string, encoding: Encoding): number | undefined {
  if (encoding === 'hex') {
    try {
      return parseHex(text).length
    } catch {
      return undefined
    }
  }
  if (encoding === 'utf-8') return new TextEncoder().encode(text).length
  let n = 0
  for (const ch of text) n += ch.codePointAt(0)! < 0x80 ? 1 : 2
  return n
}

/** With "#<n> " numbering, the largest datagram of a run of `repeat`. */
export function datagramSize(text: string, encoding: Encoding, seq: boolean, repeat: number): number | undefined {
  const p = payloadSize(text, encoding)
  return p === undefined ? undefined : p + (seq ? `#${repeat} `.length : 0)
}
