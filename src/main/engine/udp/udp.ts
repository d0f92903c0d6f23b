/**
 * UDP sockets of the engine: bind (with broadcast, a multicast group, an echo mode and a chosen
 * receive buffer), connect (a default peer, and ICMP errors reported), and sendto, repeated with
 * an interval and numbered if asked. Every datagram is one event, with the sender as recvfrom()
 * returns it.
 */
import dgram from 'node:dgram'
import dns from 'node:dns/promises'
import type {
  Endpoint,
  FloodResult,
  SocketInfo,
  UdpBindReq,
  UdpConnectReq,
  UdpFloodReq,
  UdpSendReq,
} from '../../../shared/contract'
import { isIPv4, isIPv6 } from '../../../shared/validate'
import { now } from '../clock'
import { LabFailure } from '../errors'
import { encodePayload } from '../payload'
import { family, type Entry, type SocketRegistry } from '../registry'
import { floodTest } from './udp-flood'

const endpointOf = (address: string, port: number): Endpoint => ({
  address,
  port,
  family: isIPv6(address) ? 'IPv6' : 'IPv4',
})

export class UdpSockets {
  constructor(private readonly reg: SocketRegistry) {}

  async bind(owner: string, req: UdpBindReq): Promise<SocketInfo> {
    const fam = isIPv6(req.host) ? 'IPv6' : isIPv4(req.host) ? 'IPv4' : family((await dns.lookup(req.host)).family)
    const sock = dgram.createSocket({
      type: fam === 'IPv6' ? 'udp6' : 'udp4',
      // A multicast exercise has every student's receiver on the same port.
      reuseAddr: !!req.multicast,
      ...(req.recvBufferBytes ? { recvBufferSize: req.recvBufferBytes } : {}),
    })
    try {
      await new Promise<void>((resolve, reject) => {
        sock.once('error', reject)
        sock.bind({ address: req.host, port: req.port, exclusive: true }, () => {
          sock.off('error', reject)
          resolve()
        })
      })
      if (req.broadcast) sock.setBroadcast(true)
      if (req.multicast) {
        sock.addMembership(req.multicast, req.multicastIface || undefined)
        sock.setMulticastLoopback(true)
      }
      // Multicast leaves by this interface, not the one the routing table picks (on a
      // multi-homed Windows or macOS PC, often a virtual adapter nobody listens on).
      if (req.multicastIface && fam === 'IPv4') sock.setMulticastInterface(req.multicastIface)
    } catch (err) {
      sock.close()
      throw err
    }
    const a = sock.address()
    const local: Endpoint = { address: a.address, port: a.port, family: family(a.family) }
    const entry = this.reg.add(owner, 'u', { kind: 'udp', state: 'bound', local }, { udp: sock })
    sock.on('message', (msg, rinfo) => {
      entry.info.bytesIn += msg.length
      const from: Endpoint = { address: rinfo.address, port: rinfo.port, family: family(rinfo.family) }
      this.reg.emit(
        owner,
        { kind: 'data', id: entry.info.id, t: now(), bytes: msg.length, preview: '', truncated: false, from },
        msg,
      )
      if (req.echo) this.sendOne(entry, msg, from, true).catch((e: Error) => this.reg.emitError(entry, e))
    })
    // A connected socket hears about ICMP port-unreachable as ECONNREFUSED; an unconnected one never does.
    sock.on('error', (err) => this.reg.emitError(entry, err))
    sock.on('close', () => this.reg.finish(entry, false))
    this.reg.push(entry, { kind: 'listening', transport: 'udp', local })
    return { ...entry.info }
  }

  async connect(owner: string, req: UdpConnectReq): Promise<SocketInfo> {
    const entry = this.reg.find(owner, req.id)
    const sock = this.udpOf(entry)
    await new Promise<void>((resolve, reject) => {
      const onError = (e: Error): void => reject(e)
      sock.once('error', onError)
      sock.connect(req.port, req.host, () => {
        sock.off('error', onError)
        resolve()
      })
    })
    const r = sock.remoteAddress()
    entry.info.remote = { address: r.address, port: r.port, family: family(r.family) }
    this.reg.push(entry, { kind: 'connect', local: entry.info.local!, remote: entry.info.remote })
    return { ...entry.info }
  }

  /**
   * sendto(): one datagram, or `repeat` of them, back-to-back or `intervalMs` apart, numbered
   * "#1 ", "#2 "... with `seq`. Resolves once the first is sent (its error, say EMSGSIZE, is the
   * answer); later errors arrive as events.
   */
  async send(owner: string, req: UdpSendReq): Promise<{ bytes: number }> {
    const entry = this.reg.find(owner, req.id)
    const sock = this.udpOf(entry)
    const connected = !!entry.info.remote
    if (!req.host && !connected)
      throw new LabFailure('EDESTADDRREQ', 'no destination: give host and port, or connect first')
    if (req.host && connected) throw new LabFailure('EISCONN', 'this socket is connected: send without an address')
    const payload = encodePayload(req.data, req.encoding)
    const datagram = (i: number): Buffer => (req.seq ? Buffer.concat([Buffer.from(`#${i} `), payload]) : payload)
    const to = req.host ? endpointOf(req.host, req.port!) : undefined
    const first = datagram(1)
    await this.sendOne(entry, first, to, false)
    const n = req.repeat ?? 1
    const fail = (e: Error): void => this.reg.emitError(entry, e)
    if (n > 1 && !req.intervalMs) {
      for (let i = 2; i <= n && !entry.closed; i++) this.sendOne(entry, datagram(i), to, false).catch(fail)
    } else if (n > 1) {
      let i = 1
      clearInterval(entry.timer)
      entry.timer = setInterval(() => {
        if (++i > n || entry.closed || sock !== this.udpOf(entry)) return clearInterval(entry.timer)
        this.sendOne(entry, datagram(i), to, false).catch(fail)
      }, req.intervalMs)
    }
    return { bytes: first.length }
  }

  /** The loss experiment (its own two sockets, not the owner's). */
  flood(req: UdpFloodReq): Promise<FloodResult> {
    return floodTest(req)
  }

  private sendOne(entry: Entry, buf: Buffer, to: Endpoint | undefined, auto: boolean): Promise<void> {
    const sock = this.udpOf(entry)
    return new Promise((resolve, reject) => {
      const done = (err: Error | null): void => {
        if (err) return reject(err)
        entry.info.bytesOut += buf.length
        const ev = {
          kind: 'sent' as const,
          id: entry.info.id,
          t: now(),
          bytes: buf.length,
          preview: '',
          truncated: false,
        }
        this.reg.emit(entry.owner, { ...ev, to: to ?? entry.info.remote, ...(auto ? { auto: true } : {}) }, buf)
        resolve()
      }
      if (to) sock.send(buf, to.port, to.address, done)
      else sock.send(buf, done)
    })
  }

  private udpOf(entry: Entry): dgram.Socket {
    if (!('udp' in entry.handle)) throw new LabFailure('EPROTOTYPE', 'not a UDP socket')
    return entry.handle.udp
  }
}
