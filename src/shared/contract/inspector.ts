/** The socket inspector: the operating system's own socket table. */
import type { Family } from './common'

/** Where the inspector's socket table comes from. */
export type TableSource = '/proc/net' | 'netstat -an' | 'netstat -ano' | 'none'

/** One socket as the operating system reports it (states in the Linux names the course uses). */
export interface OsSocket {
  proto: 'tcp' | 'udp'
  family: Family
  local: { address: string; port: number }
  remote: { address: string; port: number }
  /** LISTEN, SYN_SENT, SYN_RECV, ESTABLISHED, FIN_WAIT1/2, CLOSE_WAIT, LAST_ACK, TIME_WAIT, CLOSING,
   * CLOSED; UDP: UNCONN or CONNECTED. */
  state: string
  /** The state word as the OS wrote it, when no rule could name it (state is then UNKNOWN): a
   * translated Windows whose word is in no table yet. */
  word?: string
  /** Bytes in the send / receive queue, where the OS reports them (not on Windows). */
  sendQ: number | null
  recvQ: number | null
  pid?: number
  /** Linux: the socket's inode (what /proc/<pid>/fd links to). */
  inode?: number
  /** The lab socket this row belongs to (also for a few minutes after the lab closed it). */
  lab?: string
  /** The other end, on this machine, of lab connection `peerOf` (a classmate's script, say). */
  peerOf?: string
}
export interface SocketTable {
  source: TableSource
  rows: OsSocket[]
  /** What one reading cost (ms, CPU or wall, whichever is larger), to keep polling under 1% of a core. */
  costMs: number
  /** The table lists only this user's sockets (macOS 27's netstat for a non-root process): other
   * users' programs are missing from it, not closed. */
  partial?: 'own-user'
  /** The rows are those of an earlier reading, taken at this time (ms, the events' clock): none of
   * the lab's sockets has had an event since, and none was in a state it leaves by itself. */
  unchangedSince?: number
}
/** A table that nothing the lab did can have changed is still read again this often. */
export const INSPECTOR_HEARTBEAT_MS = 10_000
/**
 * How often the inspector reads the table: 500 x one reading's measured cost, 0.5–10 s. A
 * reading costs two to four times its measured time once everything is counted (garbage collection,
 * cold caches after the pause), so 500 keeps the total under 1% of a core: `npm run bench`
 * measures it side by side with the same process idle.
 */
export function inspectorInterval(costMs: number): number {
  // At most 2 s: a spawned netstat (Windows, macOS) costs 20-80 ms of wall time, and 500x that
  // (the old 10 s cap) missed SYN_SENT, FIN_WAIT, CLOSE_WAIT and LAST_ACK altogether.
  return Math.min(MAX_INSPECTOR_INTERVAL_MS, Math.max(500, Math.ceil(costMs * 500)))
}
export const MAX_INSPECTOR_INTERVAL_MS = 2000

export interface OsSocketsReq {
  /** Every socket of the machine, not only the lab's (always read: any program may change it). */
  all?: boolean
  /** Read the OS's table now, even when nothing in the lab has changed (the refresh button). */
  fresh?: boolean
}

/** The socket tables `os:parse` reads: Windows netstat -ano, BSD/macOS netstat -an, Linux /proc/net. */
export type CaptureFormat = 'windows' | 'bsd' | 'proc'
export const CAPTURE_FORMATS: readonly CaptureFormat[] = ['windows', 'bsd', 'proc']

/** A table captured on another machine, pasted as text; the format is recognised if not given. */
export interface OsParseReq {
  text: string
  format?: CaptureFormat
}
export interface ParsedTable {
  format: CaptureFormat
  encoding: string
  rows: OsSocket[]
  /** State words no rule could name (their rows say UNKNOWN). */
  unrecognized: string[]
}

/** One entry of the neighbour table (ARP / NDP): who answers for `ip` on the link. */
export interface NeighborRow {
  ip: string
  /** null while the address is being resolved (incomplete) or failed. */
  mac: string | null
  /** Linux, macOS: the interface's name; Windows: the interface's address (as `arp -a` names it). */
  interface: string
  /** reachable, stale, delay, probe, incomplete, failed, permanent, noarp (Linux); dynamic, static
   * (Windows, macOS); a word no table knows, as written. */
  state: string
}
export interface NeighborTable {
  source: 'ip neigh' | '/proc/net/arp' | 'arp -an' | 'arp -a' | 'none'
  rows: NeighborRow[]
  /** The default gateway (IPv4): where a packet for another subnet goes. Null: none, or unknown. */
  gateway?: GatewayInfo | null
  dns?: DnsServers
}
export interface GatewayInfo {
  address: string
  /** Its interface: a name (eth0, en0), or on Windows the interface's address. */
  interface: string | null
}
export interface DnsServers {
  servers: string[]
  /** systemd-stub: 127.0.0.53 is systemd-resolved on this machine, which asks the real servers;
   * windows-loopback: Node reports 127.0.0.1 on this Windows, so the real servers are unknown. */
  note?: 'systemd-stub' | 'windows-loopback'
}
