/**
 * The DNS reader against dns-packet (the oracle): every record the course meets, names compressed
 * as real servers send them, each field's bytes where they are; bad bytes (cut, looping pointers,
 * random garbage) give what was read and why, never a throw.
 */
import dnsPacket from 'dns-packet'
import { describe, expect, it } from 'vitest'
import { checkDnsName, readDns } from '../../src/shared/dns'

const answer = dnsPacket.encode({
  type: 'response',
  id: 0xbeef,
  flags: dnsPacket.RECURSION_DESIRED | dnsPacket.RECURSION_AVAILABLE,
  questions: [{ type: 'A', name: 'www.jd.com' }],
  answers: [
    { type: 'CNAME', name: 'www.jd.com', ttl: 120, data: 'www.jd.com.gslb.qianxun.com' },
    { type: 'A', name: 'www.jd.com.gslb.qianxun.com', ttl: 60, data: '111.13.149.108' },
    { type: 'AAAA', name: 'www.jd.com.gslb.qianxun.com', ttl: 60, data: '2409:8c00:6c21:1051::3' },
    { type: 'MX', name: 'jd.com', ttl: 300, data: { preference: 10, exchange: 'mx.jd.com' } },
    { type: 'TXT', name: 'jd.com', ttl: 300, data: ['v=spf1 -all', '你好'] },
  ],
  authorities: [
    {
      type: 'SOA',
      name: 'jd.com',
      ttl: 600,
      data: { mname: 'ns1.jd.com', rname: 'admin.jd.com', serial: 7, refresh: 1, retry: 2, expire: 3, minimum: 4 },
    },
  ],
})

describe('readDns', () => {
  it('reads what dns-packet wrote: header, question, each section, each record’s data as dig prints it', () => {
    const m = readDns(answer)
    const d = dnsPacket.decode(answer)
    expect(m.error).toBeUndefined()
    expect(m.id).toBe(d.id)
    expect(m).toMatchObject({ response: true, recursionDesired: true, recursionAvailable: true, rcode: 'NOERROR' })
    expect(m.questions).toEqual([{ name: 'www.jd.com', type: 'A', class: 'IN' }])
    expect(m.answers.map((r) => [r.name, r.type, r.ttl])).toEqual(
      d.answers!.map((r) => [r.name, r.type, (r as { ttl: number }).ttl]),
    )
    expect(m.answers.map((r) => r.data)).toEqual([
      'www.jd.com.gslb.qianxun.com',
      '111.13.149.108',
      '2409:8c00:6c21:1051::3',
      '10 mx.jd.com',
      '"v=spf1 -all" "你好"',
    ])
    expect(m.authority[0]!.data).toBe('ns1.jd.com admin.jd.com 7 1 2 3 4')
  })

  it('each field names its bytes: the ID is bytes 0–1, QNAME the labels from byte 12, the A record’s RDATA its 4 bytes', () => {
    const m = readDns(answer)
    const f = (n: string, i = 0) => m.fields.filter((x) => x.name === n)[i]!
    expect(f('ID')).toEqual({ name: 'ID', start: 0, end: 2, value: '0xbeef' })
    expect(f('QNAME')).toMatchObject({ start: 12, end: 12 + 12, value: 'www.jd.com' })
    const a = f('RDATA', 1)
    expect(Array.from(answer.subarray(a.start, a.end))).toEqual([111, 13, 149, 108])
    expect(f('ANCOUNT').value).toBe('5')
    // every record's bytes are the span its fields cover
    for (const r of m.answers) expect(r.end).toBeGreaterThan(r.start)
    expect(m.additional.length ? m.additional.at(-1)!.end : m.authority.at(-1)!.end).toBe(answer.length)
  })

  it('follows compression pointers as real servers send them (C0 0C: the question’s name)', () => {
    // a real answer: the record's name is a pointer to byte 12
    const q = dnsPacket.encode({ type: 'query', id: 1, questions: [{ type: 'A', name: 'example.com' }] })
    const rec = Buffer.from([0xc0, 0x0c, 0, 1, 0, 1, 0, 0, 0x0e, 0x10, 0, 4, 93, 184, 216, 34])
    const b = Buffer.concat([q, rec])
    b.writeUInt16BE(0x8180, 2)
    b.writeUInt16BE(1, 6)
    const m = readDns(b)
    expect(m.error).toBeUndefined()
    expect(m.answers).toEqual([
      { name: 'example.com', type: 'A', class: 'IN', ttl: 3600, data: '93.184.216.34', start: q.length, end: b.length },
    ])
    expect((dnsPacket.decode(b).answers![0] as { data: unknown }).data).toBe('93.184.216.34')
  })

  it('a pointer that loops, a message cut short, a record running past the end: what was read, and why it stopped', () => {
    const loop = Buffer.from([0, 1, 0x81, 0x80, 0, 1, 0, 0, 0, 0, 0, 0, 0xc0, 0x0c, 0, 1, 0, 1])
    expect(readDns(loop).error).toMatch(/loops/)
    const cut = answer.subarray(0, 40)
    const m = readDns(cut)
    expect(m.error).toBeDefined()
    expect(m.questions).toHaveLength(1)
    expect(readDns(Buffer.from('HTTP/1.1')).error).toMatch(/12-byte header/)
  })

  it('never throws on random bytes (10,000 tries)', () => {
    let seed = 7
    const rand = (): number => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) % 256
    for (let i = 0; i < 10_000; i++) {
      const b = Buffer.from(Array.from({ length: 12 + (i % 80) }, rand))
      // a real message's start sometimes, so the sections are walked
      if (i % 2) answer.copy(b, 0, 0, Math.min(b.length, 24))
      expect(() => readDns(b)).not.toThrow()
    }
  })
})

describe('checkDnsName', () => {
  it('accepts names a query can carry, says why the others cannot', () => {
    expect(checkDnsName('www.jd.com')).toBeUndefined()
    expect(checkDnsName('server.lab.')).toBeUndefined()
    expect(checkDnsName('_dns._udp.lab')).toBeUndefined()
    expect(checkDnsName('a..b')).toMatch(/empty label/)
    expect(checkDnsName('京东.com')).toMatch(/punycode/)
    expect(checkDnsName('x'.repeat(64) + '.com')).toMatch(/63/)
    expect(checkDnsName('')).toMatch(/empty/)
  })
})
