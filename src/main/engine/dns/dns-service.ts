/**
 * DNS and the route for the app: a question asked for real (the bytes as base64, the answer read
 * field by field), and each owner's classroom DNS server, whose answers are told as `dns-served`
 * events; closed with its owner.
 */
import type { DnsQueryReq, DnsQueryRes, DnsServeReq, DnsServeRes, LabEvent } from '../../../shared/contract'
import { now } from '../clock'
import { LabFailure } from '../errors'
import { dnsServerOf } from '../../../shared/dns'
import { askDns, lookupName, resolverServers } from './query'
import { ClassroomDns, recordOf } from './server'

const b64 = (b: Uint8Array): string => Buffer.from(b).toString('base64')

export class DnsService {
  private readonly servers = new Map<string, ClassroomDns>()

  constructor(private readonly emit: (owner: string, ev: LabEvent) => void) {}

  async query(r: DnsQueryReq): Promise<DnsQueryRes> {
    const sys = await resolverServers()
    const first = r.server ?? sys.servers[0]
    const target = first ? dnsServerOf(first) : undefined
    if (!target) throw new LabFailure('EDNSNOSERVER', 'this machine has no DNS server set: give one')
    const lookup = r.lookup ? await lookupName(r.name).catch((e: Error) => ({ error: e.message })) : undefined
    const exchanges = await askDns({
      name: r.name,
      type: r.type ?? 'A',
      ...target,
      tcp: r.tcp === true,
      timeoutMs: r.timeoutMs ?? 3000,
    })
    return {
      servers: sys.servers,
      ...(sys.note ? { serversNote: sys.note } : {}),
      ...(lookup ? { lookup } : {}),
      exchanges: exchanges.map((x) => ({ ...x, query: b64(x.query), answer: b64(x.answer) })),
    }
  }

  /** Starts (or restarts, with new records) this owner's classroom DNS server. */
  async serve(owner: string, r: DnsServeReq): Promise<DnsServeRes> {
    const records = r.records.map(recordOf)
    await this.stop(owner)
    const s = new ClassroomDns(records, (x) => this.emit(owner, { kind: 'dns-served', id: '', t: now(), ...x }))
    const bound = await s.listen(r.host, r.port)
    this.servers.set(owner, s)
    return { ...bound, records }
  }

  async stop(owner: string): Promise<void> {
    const s = this.servers.get(owner)
    this.servers.delete(owner)
    await s?.close()
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.servers.keys()].map((o) => this.stop(o)))
  }
}
