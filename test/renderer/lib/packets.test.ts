/**
 * The Packets tab's rows from the recorded lessons (real captures): relative seq/ack as Wireshark
 * shows them, each packet in the course's words, the layers' fields where their bytes are.
 */
import { describe, expect, it } from 'vitest'
import { LESSONS } from '../../../src/shared/pcap/lessons'
import { bandsOf, hexLines } from '../../../src/renderer/src/lib/layers'
import { flagsText, packetWords, PacketRows, type PacketRow } from '../../../src/renderer/src/lib/packets'
import { readCapture } from '../../../src/shared/pcap/reader'

function rowsOf(id: string): PacketRow[] {
  const maker = new PacketRows()
  return readCapture(Buffer.from(LESSONS[id]!.base64, 'base64')).records.map((r) =>
    maker.row({ ...r, bytes: r.data, caplen: r.data.length }),
  )
}

describe('packet rows', () => {
  it('the handshake lesson: relative seq/ack per side, data lengths adding up, both FINs', () => {
    const rows = rowsOf('handshake')
    expect(rows.map((r) => `${flagsText(r.p)} ${r.rel!.seq} ${r.rel!.ack} ${r.p.len}`)).toEqual([
      'SYN 0 0 0',
      'SYN,ACK 0 1 0',
      'ACK 1 1 0',
      'PSH,ACK 1 1 7',
      'ACK 1 8 0',
      'PSH,ACK 1 8 15',
      'ACK 8 16 0',
      'FIN,ACK 8 16 0',
      'FIN,ACK 16 9 0',
      'ACK 9 17 0',
    ])
    expect(rows.map((r) => packetWords(r, 'C1').key.split('.').at(-1))).toEqual([
      'syn',
      'synAck',
      'thirdAck',
      'data',
      'ack',
      'data',
      'ack',
      'fin',
      'fin',
      'ack',
    ])
    // one flow, the same key either way
    expect(new Set(rows.map((r) => r.flow)).size).toBe(1)
    // the receiver's MSS bounds what the sender may send (65495 on loopback)
    expect(rows[3]!.mss).toBe(65495)
  })

  it('ARP in words; the ICMP port unreachable names the datagram it answers; no twins on one interface', () => {
    const arp = rowsOf('arp')
    expect(packetWords(arp[0]!, '?')).toMatchObject({
      key: 'packets.words.arpRequest',
      values: { sender: arp[0]!.p.arp!.senderIp },
    })
    expect(packetWords(arp[1]!, '?').key).toBe('packets.words.arpReply')
    const udp = rowsOf('udpIcmp')
    const w = packetWords(udp[1]!, '?')
    expect(w.key).toBe('packets.words.portUnreachable')
    expect(w.values['about']).toBe(`127.0.0.1:${udp[0]!.p.dport}`)
    expect([...arp, ...udp].some((r) => r.twin)).toBe(false)
  })

  it('a loopback packet seen twice (Linux `any`, leaving and arriving) is a twin; a retransmitted SYN is not', () => {
    const maker = new PacketRows()
    const [syn] = readCapture(Buffer.from(LESSONS['handshake']!.base64, 'base64')).records
    const once = maker.row({ ...syn!, bytes: syn!.data, caplen: syn!.data.length })
    const again = maker.row({ ...syn!, nsec: syn!.nsec + 5000, n: 2, bytes: syn!.data, caplen: syn!.data.length })
    expect([once.twin, again.twin]).toEqual([undefined, true])
    const backlog = rowsOf('backlog')
    const retried = backlog.filter((r) => flagsText(r.p) === 'SYN')
    expect(retried.length).toBeGreaterThan(4)
    expect(retried.some((r) => r.twin)).toBe(false)
  })

  it('the layers: each field where its bytes are, seq shown relative with the absolute beside it', () => {
    const syn = rowsOf('arp').find((r) => flagsText(r.p) === 'SYN')!
    const bands = bandsOf(syn)
    expect(bands.map((b) => b.layer)).toEqual(['link', 'ip', 'tcp'])
    const seq = bands[2]!.fields.find((f) => f.name === 'seq')!
    expect(seq).toMatchObject({
      key: 'packets.fields.tcp_seq',
      value: `0 (${syn.p.tcp!.seq})`,
      offset: 14 + 20 + 4,
      length: 4,
    })
    expect(bands[2]!.fields.filter((f) => f.name === 'option').map((f) => f.value)).toContain('MSS 1460')
    expect(bands[0]!.fields.map((f) => f.value)).toEqual([syn.p.dstMac, syn.p.srcMac, '0x0800 (IPv4)'])
    const lines = hexLines(syn.bytes)
    expect(lines[0]!.bytes).toHaveLength(16)
    expect(lines.map((l) => l.offset).at(-1)).toBe(
      (Math.ceil(syn.bytes.length / 16) * 16 - 16).toString(16).padStart(4, '0'),
    )
  })
})
