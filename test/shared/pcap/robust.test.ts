/**
 * Malformed captures: random truncations and bit flips of a capture never make the reader or the
 * decoder throw, loop or read past the input; a file that is not a capture, a lying length field
 * and a cut-off record are each a clear error at their byte offset, after the packets before them.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { decodePacket } from '../../../src/shared/pcap/decode'
import { CaptureReader, MAX_BLOCK, readCapture, type CaptureRecord } from '../../../src/shared/pcap/reader'
import { concatBytes, PcapngWriter } from '../../../src/shared/pcap/writer'

const hex = (s: string): Uint8Array =>
  Uint8Array.from(
    s
      .replace(/\s+/g, '')
      .match(/../g)!
      .map((b) => parseInt(b, 16)),
  )
// Ethernet + IPv4 + TCP SYN with MSS 1460, window scale, SACK permitted, timestamps
const SYN = hex(`
  020000000002 020000000001 0800
  4500003c 1c46 4000 4006 0000 0a000001 0a000002
  9012 1f90 e1a2b3c4 00000000 a002 faf0 0000 0000
  020405b4 0402 080a 00000001 00000000 0103 0307`)
// an ARP request, broadcast
const ARP = hex(`ffffffffffff 020000000001 0806 0001 0800 06 04 0001 020000000001 0a000001 000000000000 0a00000c`)
// UDP "hi"
const UDP = hex(
  `020000000002 020000000001 0800 4500001e 0001 0000 4011 0000 0a000001 0a000002 d431 270f 000a 0000 6869`,
)
// ICMP port unreachable quoting a UDP datagram to 9999
const ICMP = hex(`020000000001 020000000002 0800 45c00038 0002 0000 4001 0000 0a000002 0a000001 0303 0000 00000000
  4500001e 0001 0000 4011 0000 0a000001 0a000002 d431 270f 000a 0000`)
// IPv6 + TCP SYN+ACK
const V6 =
  hex(`020000000002 020000000001 86dd 60000000 0014 0640 fe800000000000000000000000000001 fe800000000000000000000000000002
  1f90 9012 00000001 e1a2b3c5 5012 ffff 0000 0000`)

function capture(): Uint8Array {
  const w = new PcapngWriter()
  const parts = [
    w.header(),
    ...[SYN, ARP, UDP, ICMP, V6].map((data, i) =>
      w.packet({ linkType: 1, sec: 1_700_000_000 + i, nsec: 5, data, origLen: data.length }),
    ),
  ]
  return concatBytes(...parts)
}

describe('the decoder on packets written by hand', () => {
  it('reads each layer: the SYN’s options, ARP’s who-has, UDP’s payload, what ICMP quotes, IPv6', () => {
    const { records, error } = readCapture(capture())
    expect(error).toBeUndefined()
    const [syn, arp, udp, icmp, v6] = records.map((r) => decodePacket(r.linkType, r.data))
    expect(syn).toMatchObject({
      proto: 'tcp',
      src: '10.0.0.1',
      dst: '10.0.0.2',
      sport: 36882,
      dport: 8080,
      ttl: 64,
      len: 0,
    })
    expect(syn!.tcp).toEqual({
      flags: ['SYN'],
      seq: 0xe1a2b3c4,
      ack: 0,
      win: 64240,
      options: { mss: 1460, sackPermitted: true, tsval: 1, tsecr: 0, wscale: 7 },
    })
    expect(arp).toMatchObject({
      proto: 'arp',
      dstMac: 'ff:ff:ff:ff:ff:ff',
      arp: { op: 'request', senderIp: '10.0.0.1', targetIp: '10.0.0.12' },
    })
    expect(udp).toMatchObject({ proto: 'udp', sport: 54321, dport: 9999, len: 2, udp: { length: 10 } })
    expect(icmp).toMatchObject({
      proto: 'icmp',
      icmp: { type: 3, code: 3, quoted: { proto: 17, dst: '10.0.0.2', dport: 9999 } },
    })
    expect(v6).toMatchObject({
      proto: 'tcp',
      ipVersion: 6,
      src: 'fe80::1',
      dst: 'fe80::2',
      tcp: { flags: ['SYN', 'ACK'] },
    })
    for (const p of [syn, arp, udp, icmp, v6]) expect(p!.truncated).toBe(false)
  })

  it('a packet cut by the snap length is marked truncated, with what could be read', () => {
    const p = decodePacket(1, SYN.subarray(0, 40))
    expect(p).toMatchObject({ proto: 'tcp', src: '10.0.0.1', truncated: true })
  })

  it('not a capture, a lying length, a cut-off record: clear errors with the byte offset, the packets before kept', () => {
    expect(readCapture(new TextEncoder().encode('GET / HTTP/1.1\r\n')).error?.message).toMatch(
      /^not a capture file: it starts with 47 45 54 20/,
    )
    const good = capture()
    const cut = readCapture(good.subarray(0, good.length - 10))
    expect(cut.records).toHaveLength(4)
    expect(cut.error?.message).toMatch(/ends inside a block \(at byte \d+\)/)
    const lying = good.slice()
    // the last EPB's length field: far beyond anything
    const at = good.length - (5 + SYN.length > 0 ? 0 : 0)
    void at
    new DataView(lying.buffer).setUint32(lying.length - 4, MAX_BLOCK * 4, true)
    const r = readCapture(lying)
    expect(r.records.length).toBe(4)
    expect(r.error?.message).toMatch(/length/)
  })
})

describe('malformed input (property)', () => {
  const whole = capture()
  it('random truncations and bit flips never throw, hang or read past the input', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: whole.length }),
        fc.array(fc.tuple(fc.nat(whole.length - 1), fc.integer({ min: 0, max: 7 })), { maxLength: 12 }),
        fc.integer({ min: 1, max: 64 }),
        (cut, flips, chunk) => {
          const bytes = whole.slice(0, cut)
          for (const [i, bit] of flips) if (i < bytes.length) bytes[i]! ^= 1 << bit
          const reader = new CaptureReader()
          const records: CaptureRecord[] = []
          // fed in small chunks, as a pipe gives them
          for (let o = 0; o < bytes.length; o += chunk) records.push(...reader.push(bytes.subarray(o, o + chunk)))
          try {
            reader.end()
          } catch (e) {
            expect((e as Error).message).toMatch(/at byte \d+/)
          }
          for (const r of records) {
            expect(r.data.length).toBeLessThanOrEqual(bytes.length)
            const p = decodePacket(r.linkType, r.data)
            for (const f of p.fields) expect(f.offset + f.length).toBeLessThanOrEqual(r.data.length)
          }
        },
      ),
      { numRuns: 2000 },
    )
  })

  it('random bytes as one packet of every link type never throw, and no field lies outside them', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 120 }),
        fc.constantFrom(0, 1, 101, 113, 228, 229, 276, 9999),
        (data, link) => {
          const p = decodePacket(link, data)
          for (const f of p.fields) expect(f.offset + f.length).toBeLessThanOrEqual(data.length)
        },
      ),
      { numRuns: 3000 },
    )
  })
})
