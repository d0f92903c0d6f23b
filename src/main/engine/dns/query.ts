/**
 * One DNS question asked for real, as seed 000's first step: a query datagram built by hand
 * (dns-packet) and sent with node:dgram to the server, its answer read field by field; over TCP
 * (a 2-byte length before each message) when asked, or when the UDP answer came truncated (TC).
 * Beside it, what getaddrinfo says (`lookup`): the hosts file and the OS's cache first, which is
 * why the two may differ. What the OS's resolver is set to use comes from dns.getServers(), with
 * what it hides said (systemd-resolved's stub; the loopback answer some Node versions give on
 * Windows, nodejs/node#62748).
 */
import dgram from 'node:dgram'
import dns from 'node:dns'
import net from 'node:net'
import { randomInt } from 'node:crypto'
import dnsPacket from 'dns-packet'
import { DNS_TYPE_CODES, readDns, type DnsMessage } from '../../../shared/dns'
import { LabFailure } from '../errors'
import { resolverList } from '../inspector/gateway'
import { ipconfigSummary, parseIpconfig } from '../inspector/ipconfig'
import { decodeConsole } from '../inspector/netstat-windows'
import { consoleCodePage, run, type Runner } from '../inspector/os-sockets'

export interface DnsQuery {
  name: string
  type: string
  server: string
  port: number
  tcp?: boolean
  timeoutMs: number
}

/** One message sent and what came back. */
export interface DnsExchange {
  server: string
  port: number
  transport: 'udp' | 'tcp'
  id: number
  query: Uint8Array
  answer: Uint8Array
  message: DnsMessage
  ms: number
}

/** The query's bytes: one question, recursion desired (as a stub resolver asks). */
export function queryBytes(name: string, type: string, id: number): Buffer {
  if (!(type in DNS_TYPE_CODES)) throw new LabFailure('EDNSTYPE', `unknown record type ${type}`)
  return dnsPacket.encode({
    type: 'query',
    id,
    flags: dnsPacket.RECURSION_DESIRED,
    questions: [{ type: type as dnsPacket.RecordType, name: name.replace(/\.$/, '') }],
  })
}

/** Asks over UDP (then TCP if the answer was cut), or over TCP when asked: every exchange in order. */
export async function askDns(q: DnsQuery): Promise<DnsExchange[]> {
  const out: DnsExchange[] = []
  if (!q.tcp) {
    const udp = await exchange(q, 'udp')
    out.push(udp)
    if (!udp.message.truncated) return out
  }
  out.push(await exchange(q, 'tcp'))
  return out
}

async function exchange(q: DnsQuery, transport: 'udp' | 'tcp'): Promise<DnsExchange> {
  const id = randomInt(0, 0x10000)
  const query = queryBytes(q.name, q.type, id)
  const t0 = performance.now()
  const answer = await (transport === 'udp' ? overUdp : overTcp)(q, query, id)
  const message = readDns(answer)
  return { server: q.server, port: q.port, transport, id, query, answer, message, ms: performance.now() - t0 }
}

const noAnswer = (q: DnsQuery, how: string): LabFailure =>
  new LabFailure(
    'EDNSTIMEOUT',
    `no answer from ${q.server} port ${q.port} (${how}) within ${q.timeoutMs} ms: no DNS server there, or the network is offline`,
  )

const notAnswers = (q: DnsQuery, got: Buffer[]): LabFailure => {
  const first = got[0]!
    .subarray(0, 40)
    .toString('latin1')
    .replace(/[^\x20-\x7e]/g, '.')
  return new LabFailure(
    'EDNSBAD',
    `${q.server} port ${q.port} sent ${got.length} datagram(s) that are not the answer to this query (another ID, or not DNS at all: "${first}")`,
  )
}

function overUdp(q: DnsQuery, query: Buffer, id: number): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const sock = dgram.createSocket(net.isIPv6(q.server) ? 'udp6' : 'udp4')
    const done = (err: Error | null, b?: Uint8Array): void => {
      clearTimeout(timer)
      sock.close()
      if (err) reject(err)
      else resolve(b!)
    }
    // a datagram with another ID is not the answer (it could be a spoof): kept, to say what came
    const others: Buffer[] = []
    const timer = setTimeout(() => done(others.length ? notAnswers(q, others) : noAnswer(q, 'UDP')), q.timeoutMs)
    sock.on('message', (m) => (m.length >= 12 && m.readUInt16BE(0) === id ? done(null, m) : others.push(m)))
    sock.on('error', (e: NodeJS.ErrnoException) =>
      done(
        e.code === 'ECONNREFUSED'
          ? new LabFailure('ECONNREFUSED', `nothing answers DNS at ${q.server} port ${q.port} (ICMP port unreachable)`)
          : e,
      ),
    )
    // connected: an ICMP port unreachable comes back as ECONNREFUSED
    sock.connect(q.port, q.server, () => sock.send(query))
  })
}

function overTcp(q: DnsQuery, query: Buffer, id: number): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const sock = net.connect(q.port, q.server)
    let got = Buffer.alloc(0)
    const done = (err: Error | null, b?: Uint8Array): void => {
      clearTimeout(timer)
      sock.destroy()
      if (err) reject(err)
      else resolve(b!)
    }
    const timer = setTimeout(() => done(noAnswer(q, 'TCP')), q.timeoutMs)
    sock.on('connect', () => sock.write(Buffer.concat([Buffer.from([query.length >> 8, query.length & 0xff]), query])))
    sock.on('data', (d) => {
      got = Buffer.concat([got, d])
      if (got.length < 2) return
      const len = got.readUInt16BE(0)
      if (got.length < 2 + len) return
      const m = got.subarray(2, 2 + len)
      if (m.length >= 2 && m.readUInt16BE(0) !== id)
        return done(new LabFailure('EDNSBAD', 'the answer over TCP carries another ID than the query'))
      done(null, m)
    })
    sock.on('end', () =>
      done(new LabFailure('EDNSBAD', `the server closed the TCP connection after ${got.length} bytes`)),
    )
    sock.on('error', done)
  })
}

/** The DNS servers the OS's resolver is set to use, and what a loopback one means here. */
export function systemServers(platform: NodeJS.Platform = process.platform): { servers: string[]; note?: string } {
  const { servers, hides } = resolverList(platform)
  if (hides === 'systemd-stub')
    return {
      servers,
      note: '127.0.0.53 is systemd-resolved’s local stub, not your network’s DNS server: `resolvectl status` names the servers it asks',
    }
  if (hides === 'windows-loopback')
    return {
      servers,
      note: 'unknown: this Node reports 127.0.0.1 on Windows (nodejs/node#62748); `ipconfig /all` shows the real DNS servers',
    }
  return { servers }
}

/** "DNS Servers: 10.0.0.1 1.1.1.1" and "Current DNS Server: …" of `resolvectl status`, once each. */
export function parseResolvectl(text: string): string[] {
  const out = new Set<string>()
  let more = false
  for (const line of text.split('\n')) {
    const m = /^\s*(?:Current )?DNS Servers?:\s*(.*)$/.exec(line)
    if (m) more = true
    else if (more && !/^\s{10,}\S/.test(line)) more = false
    if (!more) continue
    for (const w of (m ? m[1]! : line).trim().split(/\s+/))
      if (net.isIP(w.replace(/%.*$|#.*$/, ''))) out.add(w.replace(/%.*$|#.*$/, ''))
  }
  return [...out]
}

/**
 * The servers, cross-checked where Node's answer hides them: on Windows a loopback answer is
 * replaced by `ipconfig /all`'s DNS servers; on Linux systemd-resolved's stub is kept (it answers)
 * and its upstream servers, from `resolvectl status`, are named in the note.
 */
export async function resolverServers(
  platform: NodeJS.Platform = process.platform,
  runner: Runner = run,
): Promise<{ servers: string[]; note?: string }> {
  const sys = systemServers(platform)
  if (!sys.note) return sys
  try {
    if (platform === 'win32') {
      const text = decodeConsole(await runner('ipconfig', ['/all']), await consoleCodePage(runner)).text
      const real = ipconfigSummary(parseIpconfig(text)).dnsServers
      if (real.length)
        return {
          servers: real,
          note: `from ipconfig /all (this Node reports ${sys.servers.join(', ')}: nodejs/node#62748)`,
        }
    }
    if (platform === 'linux') {
      const up = parseResolvectl((await runner('resolvectl', ['status'])).toString('utf8'))
      if (up.length) return { servers: sys.servers, note: `${sys.note}; it asks ${up.join(', ')}` }
    }
  } catch {
    // the command is missing or failed: the note says what is known
  }
  return sys
}

/** What getaddrinfo says for the name (the hosts file first, then the OS's resolver and cache). */
export async function lookupName(name: string): Promise<{ addresses: string[]; hostsFile: string; ms: number }> {
  const t0 = performance.now()
  const hostsFile = process.platform === 'win32' ? 'C:\\Windows\\System32\\drivers\\etc\\hosts' : '/etc/hosts'
  try {
    const all = await dns.promises.lookup(name, { all: true })
    return { addresses: all.map((a) => a.address), hostsFile, ms: performance.now() - t0 }
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'ENOTFOUND'
    throw new LabFailure(code, `getaddrinfo found no address for ${name} (${code})`)
  }
}
