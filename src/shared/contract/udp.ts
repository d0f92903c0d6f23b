/** UDP: bind, sendto, connect, and the loss experiment. */
import type { SendReq } from './common'

export interface UdpBindReq {
  host: string
  port: number
  broadcast?: boolean
  /** Send every datagram back to its sender (an echo server). */
  echo?: boolean
  /** Join this IPv4 multicast group (224.0.0.0/4)... */
  multicast?: string
  /** ...on the interface with this address, which also carries the socket's multicast sends
   * (IP_MULTICAST_IF; empty: the OS's choice, by its routing table). */
  multicastIface?: string
  /** SO_RCVBUF to ask for (the OS may round it; Linux doubles it). */
  recvBufferBytes?: number
}
export interface UdpSendReq extends SendReq {
  /** Where to; may be left out on a connected socket. */
  host?: string
  port?: number
  /** With `repeat`: milliseconds between datagrams (0: back-to-back). */
  intervalMs?: number
  /** Prefix each datagram with "#<n> " so loss and reordering can be counted. */
  seq?: boolean
}
/** connect() on a UDP socket: a default destination, and ICMP errors reported back. */
export interface UdpConnectReq {
  id: string
  host: string
  port: number
}
/** The loss experiment: K numbered datagrams into a receiver with a small buffer that only
 * gets to read between bursts. */
export interface UdpFloodReq {
  count: number
  size: number
  burst: number
  recvBufferBytes: number
}
/**
 * The loss experiment's first run: a few datagrams more per burst than the small buffer holds
 * (16 KiB asked, 32 KiB on Linux, about 14 datagrams of 1000 bytes), so it loses some (about
 * 20% on Linux), not nearly all: a lesson that UDP can lose, not that it loses everything.
 */
export const FLOOD_DEFAULTS: UdpFloodReq = { count: 1000, size: 1000, burst: 18, recvBufferBytes: 16_384 }
export interface FloodResult {
  sent: number
  received: number
  lost: number
  reordered: number
  duplicates: number
  /** The first missing sequence ranges [from, to]. */
  missing: [number, number][]
  /** The receive buffer the OS actually gave. */
  recvBufferBytes: number
  /** Linux: the machine-wide RcvbufErrors count went up by this much during the test. */
  rcvbufErrors: number | null
  /** Sends the OS refused (macOS: over net.inet.udp.maxdgram, 9,216 bytes: EMSGSIZE): they
   * never left, so they are not counted as sent or lost. */
  sendErrors: number
  /** The first refused send's code. */
  sendError?: string
  ms: number
}
