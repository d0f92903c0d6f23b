/**
 * The classroom DNS server: the teacher's machine answers the names the teacher types
 * (`server.lab → 10.0.0.3`), over UDP and TCP on a high port (53 needs privileges and collides with
 * systemd-resolved's stub). An offline classroom has no other DNS: students' `dig @teacher -p P`
 * and their Python SOCK_DGRAM queries get real answers; a name not known gets NXDOMAIN, a type the
 * name has no record of an empty answer (NODATA), garbage FORMERR. Answers are built by dns-packet,
 * which never compresses names: they are longer than a real server's (a real one points back with
 * C0 0C).
 */
import dgram from 'node:dgram'
import net from 'node:net'
import dnsPacket from 'dns-packet'
import type { LabEvent } from '../../../shared/contract'
import { dnsRecordOf, readDns } from '../../../shared/dns'
import { LabFailure } from '../errors'

export interface DnsRecordSpec {
  name: string
  address: string
}

/** A question answered, as the app's `dns-served` event tells it. */
export type DnsServed = Omit<Extract<LabEvent, { kind: 'dns-served' }>, 'kind' | 'id' | 't'>

const TTL = 60

/** "NAME=IP" as the CLI and the app take a record. */
export function recordOf(s: string): DnsRecordSpec {
  const r = dnsRecordOf(s)
  if ('error' in r) throw new LabFailure('EDNSRECORD', r.error)
  return r
}

/** The answer to one query's bytes (undefined: too broken to answer at all). */
export function answerTo(
  query: Uint8Array,
  records: DnsRecordSpec[],
): { bytes: Buffer; served: Omit<DnsServed, 'from' | 'transport'> } | undefined {
  const q = readDns(query)
  if (query.length < 12 || q.response) return undefined
  const question = q.questions[0]
  const reply = (rcode: string, answers: dnsPacket.Answer[] = []): Buffer =>
    dnsPacket.encode({
      type: 'response',
      id: q.id,
      flags: dnsPacket.AUTHORITATIVE_ANSWER | (q.recursionDesired ? dnsPacket.RECURSION_DESIRED : 0) | rcodeBits(rcode),
      questions:
        question && !q.error ? [{ name: question.name, type: question.type as dnsPacket.RecordType, class: 'IN' }] : [],
      answers,
    })
  const served = (rcode: string, answers: string[] = []): Omit<DnsServed, 'from' | 'transport'> => ({
    name: question?.name ?? '',
    type: question?.type ?? '',
    rcode,
    answers,
  })
  if (q.error || !question || q.questions.length !== 1) return { bytes: reply('FORMERR'), served: served('FORMERR') }
  if (q.opcode !== 0) return { bytes: reply('NOTIMP'), served: served('NOTIMP') }
  const name = question.name.toLowerCase()
  const known = records.filter((r) => r.name === name)
  if (!known.length) return { bytes: reply('NXDOMAIN'), served: served('NXDOMAIN') }
  const wanted = known.filter(
    (r) =>
      question.type === 'ANY' ||
      (question.type === 'A' ? net.isIPv4(r.address) : question.type === 'AAAA' && net.isIPv6(r.address)),
  )
  const answers: dnsPacket.Answer[] = wanted.map((r) => ({
    type: net.isIPv4(r.address) ? 'A' : 'AAAA',
    name: question.name,
    ttl: TTL,
    data: r.address,
  }))
  return {
    bytes: reply('NOERROR', answers),
    served: served(
      'NOERROR',
      wanted.map((r) => r.address),
    ),
  }
}

function rcodeBits(rcode: string): number {
  return ['NOERROR', 'FORMERR', 'SERVFAIL', 'NXDOMAIN', 'NOTIMP', 'REFUSED'].indexOf(rcode)
}

export class ClassroomDns {
  private udp?: dgram.Socket
  private tcp?: net.Server
  private readonly conns = new Set<net.Socket>()

  constructor(
    private records: DnsRecordSpec[],
    private readonly onServed: (s: DnsServed) => void = () => undefined,
  ) {}

  setRecords(records: DnsRecordSpec[]): void {
    this.records = records
  }

  /** Listens on UDP and TCP at host:port (port 0: one port free for both, tried a few times). */
  async listen(host: string, port: number): Promise<{ address: string; port: number }> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.listenOnce(host, port)
      } catch (e) {
        // port 0: the UDP port the OS chose may be taken for TCP by someone else; choose again
        if (port !== 0 || (e as NodeJS.ErrnoException).code !== 'EADDRINUSE' || attempt >= 5) throw e
      }
    }
  }

  private async listenOnce(host: string, port: number): Promise<{ address: string; port: number }> {
    const udp = dgram.createSocket(net.isIPv6(host) ? 'udp6' : 'udp4')
    await new Promise<void>((resolve, reject) => {
      udp.once('error', reject)
      udp.bind(port, host, () => {
        udp.off('error', reject)
        resolve()
      })
    })
    const bound = udp.address()
    const tcp = net.createServer((c) => this.serveTcp(c))
    try {
      await new Promise<void>((resolve, reject) => {
        tcp.once('error', reject)
        tcp.listen(bound.port, host, () => resolve())
      })
    } catch (e) {
      udp.close()
      throw e
    }
    udp.on('message', (m, from) => {
      const a = answerTo(m, this.records)
      if (!a) return
      udp.send(a.bytes, from.port, from.address)
      this.onServed({ from: `${from.address}:${from.port}`, transport: 'udp', ...a.served })
    })
    udp.on('error', () => undefined) // an ICMP error from a student's closed port harms nobody
    this.udp = udp
    this.tcp = tcp
    return { address: bound.address, port: bound.port }
  }

  private serveTcp(c: net.Socket): void {
    this.conns.add(c)
    c.on('close', () => this.conns.delete(c))
    c.on('error', () => undefined)
    c.setTimeout(10_000, () => c.destroy())
    let got = Buffer.alloc(0)
    c.on('data', (d) => {
      got = Buffer.concat([got, d])
      while (got.length >= 2 && got.length >= 2 + got.readUInt16BE(0)) {
        const m = got.subarray(2, 2 + got.readUInt16BE(0))
        got = got.subarray(2 + m.length)
        const a = answerTo(m, this.records)
        if (!a) return void c.destroy()
        c.write(Buffer.concat([Buffer.from([a.bytes.length >> 8, a.bytes.length & 0xff]), a.bytes]))
        this.onServed({ from: `${c.remoteAddress}:${c.remotePort}`, transport: 'tcp', ...a.served })
      }
      if (got.length > 4096) c.destroy()
    })
  }

  async close(): Promise<void> {
    for (const c of this.conns) c.destroy()
    await Promise.all([
      this.udp ? new Promise<void>((r) => this.udp!.close(() => r())) : undefined,
      this.tcp ? new Promise<void>((r) => this.tcp!.close(() => r())) : undefined,
    ])
    this.udp = undefined
    this.tcp = undefined
  }
}
