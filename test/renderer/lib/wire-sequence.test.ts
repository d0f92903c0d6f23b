/** The inspector's diagram from real segments (the recorded lessons): arrows, notes, states placed. */
import { describe, expect, it } from 'vitest'
import { LESSONS } from '../../../src/shared/pcap/lessons'
import { PacketRows, type PacketRow } from '../../../src/renderer/src/lib/packets'
import { wireDrawing } from '../../../src/renderer/src/lib/wire-sequence'
import { readCapture } from '../../../src/shared/pcap/reader'
import type { Endpoint } from '../../../src/shared/contract'

function rowsOf(id: string): PacketRow[] {
  const maker = new PacketRows()
  return readCapture(Buffer.from(LESSONS[id]!.base64, 'base64')).records.map((r) =>
    maker.row({ ...r, bytes: r.data, caplen: r.data.length }),
  )
}
const end = (address: string, port: number): Endpoint => ({ address, port, family: 'IPv4' })

describe('the diagram from real segments', () => {
  it('the handshake lesson: every segment in order, relative seq/ack, states beside the segment that brought them', () => {
    const rows = rowsOf('handshake')
    const syn = rows[0]!.p
    const client = end(`::ffff:${syn.src}`, syn.sport!) // Node's IPv4-mapped form is the same end
    const server = end(syn.dst!, syn.dport!)
    const d = wireDrawing(rows, client, server, {
      client: ['SYN_SENT', 'ESTABLISHED', 'FIN_WAIT1', 'FIN_WAIT2', 'TIME_WAIT'],
      server: ['LISTEN', 'ESTABLISHED', 'CLOSE_WAIT', 'LAST_ACK', 'CLOSED'],
    })!
    expect(d.arrows.map((a) => `${a.from} ${a.label} ${a.seqAck}`)).toEqual([
      'client SYN seq=0',
      'server SYN+ACK seq=0 ack=1',
      'client ACK seq=1 ack=1',
      'client PSH+ACK seq=1 ack=1 len=7',
      'server ACK seq=1 ack=8',
      'server PSH+ACK seq=1 ack=8 len=15',
      'client ACK seq=8 ack=16',
      'client FIN+ACK seq=8 ack=16',
      'server FIN+ACK seq=16 ack=9',
      'client ACK seq=9 ack=17',
    ])
    expect(d.arrows[0]!.abs).toBe(`seq ${syn.tcp!.seq}`)
    expect(Object.fromEntries(d.client.map((s) => [s.state, s.at]))).toEqual({
      SYN_SENT: 0,
      ESTABLISHED: 2,
      FIN_WAIT1: 7,
      FIN_WAIT2: 9,
      TIME_WAIT: 9,
    })
    expect(Object.fromEntries(d.server.map((s) => [s.state, s.at]))).toEqual({
      LISTEN: -0.5,
      ESTABLISHED: 3,
      CLOSE_WAIT: 8,
      LAST_ACK: 8,
      CLOSED: 10.5,
    })
    expect(d.more).toBe(0)
  })

  it('the backlog lesson: a dropped client’s SYNs drawn again and again, each marked sent again; none for another connection', () => {
    const rows = rowsOf('backlog')
    const retried = rows.filter((r) => r.p.tcp?.flags.join() === 'SYN').at(-1)!.p
    const d = wireDrawing(rows, end(retried.src!, retried.sport!), end(retried.dst!, retried.dport!), {
      client: [],
      server: [],
    })!
    expect(d.arrows.every((a) => a.label === 'SYN')).toBe(true)
    expect(d.arrows.slice(1).every((a) => a.note === 'retransmit')).toBe(true)
    expect(d.arrows[0]!.note).toBeUndefined()
    expect(wireDrawing(rows, end('127.0.0.9', 1), end('127.0.0.1', 2), { client: [], server: [] })).toBeUndefined()
  })

  it('the reset lesson: the RST drawn from the end that sent it', () => {
    const rows = rowsOf('reset')
    const syn = rows[0]!.p
    const d = wireDrawing(rows, end(syn.src!, syn.sport!), end(syn.dst!, syn.dport!), { client: [], server: [] })!
    expect(d.arrows.at(-1)).toMatchObject({ from: 'server', label: 'RST+ACK' })
  })
})
