/**
 * `socket-lab dns NAME [--type T] [--server IP[:PORT]] [--tcp] [--timeout MS] [--lookup] [--json]`:
 * one DNS question asked for real (the query's bytes, the answer's, read field by field), and
 * `socket-lab dns-server [--host H] [--port P] --record NAME=IP ...`: the classroom DNS server.
 * A name that does not exist, a server that fails or does not answer: said, exit 1; bad
 * arguments exit 2.
 */
import { parseArgs } from 'node:util'
import type { Writable } from 'node:stream'
import { checkDnsName, DNS_TYPE_CODES, dnsServerOf, type DnsRecord } from '../shared/dns'
import { askDns, lookupName, resolverServers, type DnsExchange } from '../main/engine/dns/query'
import { ClassroomDns, recordOf, type DnsRecordSpec } from '../main/engine/dns/server'
import { LabFailure } from '../main/engine/errors'

export const DNS_USAGE = `Usage: socket-lab dns NAME [--type A|AAAA|CNAME|MX|NS|TXT|PTR|SOA|ANY] [--server IP[:PORT]]
                      [--tcp] [--timeout MS] [--lookup] [--json]
  Asks a DNS server one question with a datagram built by hand (TCP with --tcp, or when the
  answer comes truncated) and prints both messages' bytes and the answer. Without --server, the
  first server this machine's resolver uses. --lookup also asks getaddrinfo (the hosts file and
  the OS's cache first, as ping and Python's gethostbyname do).
       socket-lab dns-server [--host H] [--port P] --record NAME=IP [--record NAME=IP ...] [--json]
  The classroom DNS server (UDP and TCP, port 8053 unless given; 53 needs privileges): answers
  the names given, NXDOMAIN for any other; prints each question asked. Until SIGINT or SIGTERM.`

/** What each answer code means, in the course's words. */
export const RCODE_MEANING: Record<string, string> = {
  NXDOMAIN: 'the name does not exist (NXDOMAIN): the server responsible for it says so. Check the spelling.',
  SERVFAIL:
    'the server could not get an answer (SERVFAIL): often an offline network behind it, or a broken upstream. Try another server, or the classroom DNS server.',
  REFUSED: 'the server refuses to answer this machine (REFUSED): it serves only its own network.',
  FORMERR: 'the server could not read the question (FORMERR).',
  NOTIMP: 'the server does not do this kind of query (NOTIMP).',
}

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex')
const spaced = (b: Uint8Array): string =>
  hex(b)
    .replace(/(..)/g, '$1 ')
    .replace(/((?:.. ){16})/g, '$1\n;   ')
    .trim()
const rr = (r: DnsRecord): { name: string; type: string; ttl: number; data: string } => ({
  name: r.name,
  type: r.type,
  ttl: r.ttl,
  data: r.data,
})

function fail(err: Writable, json: boolean, out: Writable, code: string, message: string): number {
  if (json) out.write(JSON.stringify({ event: 'error', code, message }) + '\n')
  else err.write(`socket-lab dns: ${message}\n`)
  return 1
}

export async function runDns(argv: string[], out: Writable, err: Writable): Promise<number> {
  let o: { values: Record<string, string | boolean | undefined>; positionals: string[] }
  try {
    o = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: true,
      options: {
        type: { type: 'string', default: 'A' },
        server: { type: 'string' },
        tcp: { type: 'boolean', default: false },
        timeout: { type: 'string', default: '3000' },
        lookup: { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    })
  } catch (e) {
    return usage(err, (e as Error).message)
  }
  const v = o.values
  if (v['help']) return (out.write(DNS_USAGE + '\n'), 0)
  const json = v['json'] === true
  const name = o.positionals[0]
  if (!name || o.positionals.length > 1) return usage(err, 'give one NAME to ask for')
  const type = String(v['type']).toUpperCase()
  if (!(type in DNS_TYPE_CODES) || type === 'OPT')
    return usage(err, `--type must be one of A, AAAA, CNAME, MX, NS, TXT, PTR, SOA, SRV, ANY (got "${v['type']}")`)
  const bad = checkDnsName(name)
  if (bad) return usage(err, `"${name}" is not a DNS name: ${bad}`)
  const timeoutMs = Number(v['timeout'])
  if (!/^\d+$/.test(String(v['timeout'])) || timeoutMs < 100 || timeoutMs > 60_000)
    return usage(err, '--timeout must be a whole number of ms from 100 to 60000')
  let target: { server: string; port: number } | undefined
  if (typeof v['server'] === 'string') {
    target = dnsServerOf(v['server'])
    if (!target) return usage(err, `--server must be an IP address, IP:PORT or [IPv6]:PORT (got "${v['server']}")`)
  } else {
    const sys = await resolverServers()
    if (json) out.write(JSON.stringify({ event: 'dns-servers', ...sys }) + '\n')
    else
      out.write(
        `; this machine's resolver asks: ${sys.servers.join(', ') || '(none)'}${sys.note ? ` — ${sys.note}` : ''}\n`,
      )
    if (!sys.servers[0])
      return fail(err, json, out, 'EDNSNOSERVER', 'this machine has no DNS server set: give --server')
    target = dnsServerOf(sys.servers[0]) ?? { server: sys.servers[0], port: 53 }
  }
  let code = 0
  if (v['lookup'] === true) {
    try {
      const l = await lookupName(name)
      if (json) out.write(JSON.stringify({ event: 'lookup', name, ...l }) + '\n')
      else
        out.write(
          `; getaddrinfo (${l.hostsFile} first, then the resolver and its cache): ${l.addresses.join(', ')} in ${l.ms.toFixed(1)} ms\n`,
        )
    } catch (e) {
      if (json) out.write(JSON.stringify({ event: 'lookup', name, error: (e as Error).message }) + '\n')
      else out.write(`; getaddrinfo: ${(e as Error).message}\n`)
    }
  }
  let exchanges: DnsExchange[]
  try {
    exchanges = await askDns({ name, type, ...target, tcp: v['tcp'] === true, timeoutMs })
  } catch (e) {
    return fail(err, json, out, (e as LabFailure).code ?? 'EDNS', (e as Error).message)
  }
  for (const x of exchanges) {
    const m = x.message
    if (json) {
      out.write(
        JSON.stringify({
          event: 'dns-query',
          server: x.server,
          port: x.port,
          transport: x.transport,
          id: x.id,
          name,
          type,
          bytes: hex(x.query),
        }) + '\n',
      )
      out.write(
        JSON.stringify({
          event: 'dns-answer',
          rcode: m.rcode,
          authoritative: m.authoritative,
          truncated: m.truncated,
          answers: m.answers.map(rr),
          authority: m.authority.map(rr),
          ms: Math.round(x.ms * 10) / 10,
          bytes: hex(x.answer),
          ...(m.error ? { error: m.error } : {}),
        }) + '\n',
      )
    } else {
      out.write(
        `; query to ${x.server} port ${x.port} (${x.transport.toUpperCase()}), id 0x${x.id.toString(16)}, ${x.query.length} bytes:\n;   ${spaced(x.query)}\n`,
      )
      out.write(
        `; answer in ${x.ms.toFixed(1)} ms, ${x.answer.length} bytes: ${m.rcode}${m.truncated ? ', truncated (TC): asked again over TCP' : ''}${m.authoritative ? ', authoritative' : ''}\n;   ${spaced(x.answer)}\n`,
      )
      for (const [title, list] of [
        ['answer', m.answers],
        ['authority', m.authority],
      ] as const)
        for (const r of list)
          out.write(
            `${title === 'answer' ? '' : '; (authority) '}${r.name}.\t${r.ttl}\t${r.class}\t${r.type}\t${r.data}\n`,
          )
      if (m.error) out.write(`; the answer is not a whole DNS message: ${m.error}\n`)
    }
  }
  const last = exchanges.at(-1)!.message
  if (last.error && last.answers.length === 0)
    return fail(err, json, out, 'EDNSBAD', `the answer is not a DNS message: ${last.error}`)
  if (last.rcode !== 'NOERROR')
    code = fail(err, json, out, last.rcode, RCODE_MEANING[last.rcode] ?? `the server answered ${last.rcode}`)
  else if (!last.answers.length && !json) out.write(`; no ${type} record for ${name} (the name exists: NODATA)\n`)
  return code
}

function usage(err: Writable, msg: string): number {
  err.write(`socket-lab dns: ${msg}\n\n${DNS_USAGE}\n`)
  return 2
}

export async function runDnsServer(argv: string[], out: Writable, err: Writable, signal: AbortSignal): Promise<number> {
  let v: Record<string, string | boolean | string[] | undefined>
  try {
    v = parseArgs({
      args: argv,
      strict: true,
      options: {
        host: { type: 'string', default: '0.0.0.0' },
        port: { type: 'string', default: '8053' },
        record: { type: 'string', multiple: true },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }).values
  } catch (e) {
    return usage(err, (e as Error).message)
  }
  if (v['help']) return (out.write(DNS_USAGE + '\n'), 0)
  const json = v['json'] === true
  const port = Number(v['port'])
  if (!/^\d+$/.test(String(v['port'])) || port > 65535)
    return usage(err, `--port must be 0 to 65535 (got "${v['port']}")`)
  let records: DnsRecordSpec[]
  try {
    records = ((v['record'] as string[] | undefined) ?? []).map(recordOf)
  } catch (e) {
    return usage(err, (e as Error).message)
  }
  if (!records.length) return usage(err, 'give at least one --record NAME=IP (e.g. --record server.lab=10.0.0.3)')
  const server = new ClassroomDns(records, (s) =>
    out.write(
      json
        ? JSON.stringify({ event: 'dns-served', ...s, t: Date.now() }) + '\n'
        : `${s.from} asked ${s.name} ${s.type} (${s.transport.toUpperCase()}) → ${s.answers.join(', ') || s.rcode}${s.answers.length ? '' : ''}\n`,
    ),
  )
  let bound
  try {
    bound = await server.listen(String(v['host']), port)
  } catch (e) {
    const c = (e as NodeJS.ErrnoException).code
    err.write(
      `socket-lab dns-server: cannot listen on ${v['host']} port ${port} (${c ?? (e as Error).message})${c === 'EACCES' ? ': ports below 1024 need privileges, use a high port such as 8053' : c === 'EADDRINUSE' ? ': something already listens there (on Linux port 53, systemd-resolved)' : ''}\n`,
    )
    return 1
  }
  if (json) out.write(JSON.stringify({ event: 'listening', transport: 'udp+tcp', ...bound, records }) + '\n')
  else
    out.write(
      `classroom DNS on ${bound.address} port ${bound.port} (UDP and TCP): ${records.map((r) => `${r.name} → ${r.address}`).join(', ')}\n` +
        `students: dig @THIS-MACHINE -p ${bound.port} ${records[0]!.name}   (or nslookup -port=${bound.port} ${records[0]!.name} THIS-MACHINE)\n`,
    )
  await new Promise<void>((resolve) => (signal.aborted ? resolve() : signal.addEventListener('abort', () => resolve())))
  await server.close()
  return 0
}
