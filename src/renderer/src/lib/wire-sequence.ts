/**
 * The sequence diagram from the real segments of a connection, where a capture has them: each
 * arrow one segment (its flags, relative seq/ack with the absolute values beside them, its
 * length), in the order captured; the OS states seen at each end written on its lifeline beside
 * the segment that brought them. A retransmitted SYN, a RST, a zero window are drawn as they are.
 */
import type { Endpoint } from '../../../shared/contract'
import { ep, flowKey, type PacketRow } from './packets'
import type { DrawnState, End } from './sequence'

export interface WireArrow {
  row: number
  from: End
  /** "SYN", "SYN+ACK", "ACK", "PSH+ACK", "FIN+ACK", "RST+ACK". */
  label: string
  /** "seq=0 ack=1 len=5"; the absolute values in `abs`. */
  seqAck: string
  abs: string
  /** A SYN sent again (the same seq), a window of 0. */
  note?: 'retransmit' | 'zero-window'
  n: number
}
export interface WireDrawing {
  arrows: WireArrow[]
  client: DrawnState[]
  server: DrawnState[]
  /** Segments of this connection beyond the ones drawn. */
  more: number
}

/** At most this many segments are drawn (the rest counted): a diagram, not a capture list. */
export const MAX_ARROWS = 30

const plain = (a: string): string => a.replace(/^::ffff:/, '')

/** The flow key PacketRows gives this connection's packets (the same either way). */
export function flowOf(local: Endpoint, remote: Endpoint): string {
  return flowKey(ep(plain(local.address), local.port), ep(plain(remote.address), remote.port))
}

export function wireDrawing(
  rows: PacketRow[],
  client: Endpoint,
  server: Endpoint,
  states: { client: string[]; server: string[] },
): WireDrawing | undefined {
  const flow = flowOf(client, server)
  const segs = rows.filter((r) => r.p.tcp && !r.twin && r.flow === flow)
  if (!segs.length) return undefined
  const clientKey = ep(plain(client.address), client.port)
  const syns = new Set<string>()
  const arrows: WireArrow[] = segs.slice(0, MAX_ARROWS).map((r, row) => {
    const tcp = r.p.tcp!
    const from: End = ep(r.p.src!, r.p.sport!) === clientKey ? 'client' : 'server'
    const acked = tcp.flags.includes('ACK')
    const rel = r.rel ?? { seq: tcp.seq, ack: tcp.ack }
    const label = tcp.flags.join('+')
    const a: WireArrow = {
      row,
      from,
      label,
      seqAck: `seq=${rel.seq}${acked ? ` ack=${rel.ack}` : ''}${r.p.len ? ` len=${r.p.len}` : ''}`,
      abs: `seq ${tcp.seq}${acked ? ` ack ${tcp.ack}` : ''}`,
      n: r.n,
    }
    if (tcp.flags.includes('SYN')) {
      const key = `${from} ${tcp.seq} ${label}`
      if (syns.has(key)) a.note = 'retransmit'
      syns.add(key)
    } else if (tcp.win === 0 && !tcp.flags.includes('RST')) a.note = 'zero-window'
    return a
  })
  const at = (pred: (a: WireArrow) => boolean, after = -1): number | undefined =>
    arrows.find((a) => a.row > after && pred(a))?.row
  const synAck = at((a) => a.label === 'SYN+ACK')
  const third = synAck === undefined ? undefined : at((a) => a.from === 'client' && !a.label.includes('SYN'), synAck)
  const fin = (e: End): number | undefined => at((a) => a.from === e && a.label.includes('FIN'))
  const plus = (n: number | undefined): number | undefined => (n === undefined ? undefined : n + 1)
  const place = (end: End, list: string[]): DrawnState[] => {
    const other: End = end === 'client' ? 'server' : 'client'
    const mine = fin(end)
    const theirs = fin(other)
    const first = mine !== undefined && (theirs === undefined || mine < theirs)
    const where: Record<string, number | undefined> = {
      LISTEN: -0.5,
      SYN_SENT: at((a) => a.label === 'SYN'),
      SYN_RECV: synAck,
      ESTABLISHED: end === 'client' ? plus(synAck) : plus(third),
      FIN_WAIT1: first ? mine : undefined,
      FIN_WAIT2: first ? plus(at((a) => a.from === other && a.label.includes('ACK'), mine)) : undefined,
      CLOSING: first ? plus(theirs) : undefined,
      TIME_WAIT: first ? plus(theirs) : undefined,
      CLOSE_WAIT: !first ? plus(theirs) : undefined,
      LAST_ACK: !first ? mine : undefined,
      CLOSED: arrows.length + 0.5,
    }
    const out: DrawnState[] = []
    for (const s of list) {
      const y = where[s]
      if (y !== undefined && !out.some((d) => d.state === s)) out.push({ state: s, at: y })
    }
    return out
  }
  return {
    arrows,
    client: place('client', states.client),
    server: place('server', states.server),
    more: Math.max(0, segs.length - MAX_ARROWS),
  }
}
