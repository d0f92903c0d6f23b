/**
 * Which lab socket a packet belongs to: a connection by its 4-tuple either way, else a listening
 * or bound socket by its local port (the handshake's first packets come before a client's port is
 * known). The sockets are read into tables on the first packet after they changed, never per
 * packet: a flood and a thousand sockets meet in the backlog demo.
 */
import type { SocketInfo } from '../../../shared/contract'
import { matchAddress } from '../../../shared/endpoint'
import type { Decoded } from '../../../shared/pcap/decode'

/** "address:port" as the inspector matches tuples (IPv4-mapped IPv6 folded). */
const key = (a: string, port: number): string => `${matchAddress(a)}:${port}`

/** The ports that catch every packet of these sockets: a server's or a UDP socket's own, a
 * client's server's (its own is a new one each time; a connection accepted has its server's). */
export function labPorts(sockets: SocketInfo[]): number[] {
  return sockets.map((i) => (i.kind === 'tcp-client' ? i.remote?.port : i.local?.port)).filter((p): p is number => !!p)
}

export class SocketMatcher {
  private table?: { conns: Map<string, string>; ports: Map<number, string> }

  constructor(private readonly sockets: () => SocketInfo[]) {}

  /** A socket opened, connected or closed: the tables are read again. */
  changed(): void {
    this.table = undefined
  }

  /** An ICMP error belongs to the socket whose datagram it quotes (the UDP lesson's ECONNREFUSED). */
  match(p: Decoded): string | undefined {
    const q = p.icmp?.quoted
    if (q) return this.tuple(q.src, q.sport, q.dst, q.dport)
    return this.tuple(p.src, p.sport, p.dst, p.dport)
  }

  private tuple(src?: string, sport?: number, dst?: string, dport?: number): string | undefined {
    if (src === undefined || dst === undefined || sport === undefined || dport === undefined) return undefined
    const t = (this.table ??= this.read())
    const a = key(src, sport)
    const b = key(dst, dport)
    return t.conns.get(`${a}|${b}`) ?? t.conns.get(`${b}|${a}`) ?? t.ports.get(sport) ?? t.ports.get(dport)
  }

  private read(): NonNullable<SocketMatcher['table']> {
    const conns = new Map<string, string>()
    const ports = new Map<number, string>()
    for (const i of this.sockets()) {
      if (!i.local) continue
      if (i.remote) conns.set(`${key(i.local.address, i.local.port)}|${key(i.remote.address, i.remote.port)}`, i.id)
      else if (!ports.has(i.local.port)) ports.set(i.local.port, i.id)
    }
    return { conns, ports }
  }
}
