/**
 * DNS for real on loopback: the classroom server answering the engine's query and a student's
 * Python SOCK_DGRAM query built by hand; an independent server in Python (answering by hand) that
 * truncates (the query asked again over TCP), answers garbage, answers with another ID first (a
 * spoof, ignored), or never answers (said so).
 */
import { afterEach, describe, expect, it } from 'vitest'
import { askDns, queryBytes } from '../../../../src/main/engine/dns/query'
import { dnsServerOf } from '../../../../src/shared/dns'
import { answerTo, ClassroomDns, recordOf, type DnsServed } from '../../../../src/main/engine/dns/server'
import { readDns } from '../../../../src/shared/dns'
import { runPython, startPython } from '../../../support/python'

const open: { close(): Promise<void> | void }[] = []
afterEach(async () => {
  await Promise.all(open.splice(0).map((o) => o.close()))
})

async function classroom(records: string[]): Promise<{ port: number; served: DnsServed[] }> {
  const served: DnsServed[] = []
  const s = new ClassroomDns(records.map(recordOf), (x) => served.push(x))
  open.push(s)
  const { port } = await s.listen('127.0.0.1', 0)
  return { port, served }
}

describe('the classroom DNS server', () => {
  it('answers the engine’s query over UDP and over TCP; NXDOMAIN for a name it does not know', async () => {
    const { port, served } = await classroom(['server.lab=10.0.0.3', 'server.lab=fd00::3'])
    const [udp] = await askDns({ name: 'Server.Lab', type: 'A', server: '127.0.0.1', port, timeoutMs: 2000 })
    expect(udp!.message.answers.map((a) => a.data)).toEqual(['10.0.0.3'])
    expect(udp!.message.authoritative).toBe(true)
    const [tcp] = await askDns({
      name: 'server.lab',
      type: 'AAAA',
      server: '127.0.0.1',
      port,
      tcp: true,
      timeoutMs: 2000,
    })
    expect(tcp!.transport).toBe('tcp')
    expect(tcp!.message.answers.map((a) => a.data)).toEqual(['fd00::3'])
    const [nx] = await askDns({ name: 'nope.lab', type: 'A', server: '127.0.0.1', port, timeoutMs: 2000 })
    expect(nx!.message.rcode).toBe('NXDOMAIN')
    expect(served.map((s) => [s.transport, s.name, s.type, s.rcode])).toEqual([
      ['udp', 'Server.Lab', 'A', 'NOERROR'],
      ['tcp', 'server.lab', 'AAAA', 'NOERROR'],
      ['udp', 'nope.lab', 'A', 'NXDOMAIN'],
    ])
  })

  it('a student’s Python query, built by hand with struct, gets the teacher’s address', async () => {
    const { port } = await classroom(['server.lab=10.0.0.3'])
    const r = await runPython(
      `import socket, struct, sys
q = struct.pack('>HHHHHH', 0x1234, 0x0100, 1, 0, 0, 0)
q += b''.join(bytes([len(p)]) + p.encode() for p in 'server.lab'.split('.')) + b'\\0' + struct.pack('>HH', 1, 1)
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(3)
s.sendto(q, ('127.0.0.1', int(sys.argv[1])))
a, _ = s.recvfrom(512)
ident, flags, qd, an = struct.unpack('>HHHH', a[:8])
print(hex(ident), flags & 0xf, an, socket.inet_ntoa(a[-4:]))`,
      [String(port)],
    )
    expect(r.stderr).toBe('')
    expect(r.stdout.trim()).toBe('0x1234 0 1 10.0.0.3')
  })

  it('garbage, a response, a second question: FORMERR or nothing; never a crash', () => {
    const records = [recordOf('a.lab=10.0.0.1')]
    expect(answerTo(Buffer.from('hello'), records)).toBeUndefined()
    const cut = queryBytes('a.lab', 'A', 9).subarray(0, 15)
    expect(readDns(answerTo(cut, records)!.bytes).rcode).toBe('FORMERR')
    expect(() => recordOf('a.lab=999.1.1.1')).toThrow(/not an IPv4 or IPv6/)
    expect(() => recordOf('a..lab=10.0.0.1')).toThrow(/empty label/)
    expect(() => recordOf('nonsense')).toThrow(/NAME=IP/)
  })
})

/** A DNS server in Python, answering by hand: `mode` says how. */
const PY_SERVER = `import socket, struct, sys, threading
mode = sys.argv[1]
while True:  # a UDP port whose TCP twin is free too (another test may hold it)
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.bind(('127.0.0.1', 0))
    port = u.getsockname()[1]
    t = socket.socket(); t.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try: t.bind(('127.0.0.1', port)); break
    except OSError: u.close(); t.close()
t.listen()
def answer(q, tc):
    ident = q[:2]
    qend = 12
    while q[qend] != 0: qend += q[qend] + 1
    question = q[12:qend + 5]
    flags = 0x8180 | (0x0200 if tc else 0)
    head = ident + struct.pack('>HHHHH', flags, 1, 0 if tc else 1, 0, 0)
    rr = b'' if tc else b'\\xc0\\x0c' + struct.pack('>HHIH', 1, 1, 30, 4) + socket.inet_aton('192.0.2.7')
    return head + question + rr
def tcp():
    c, _ = t.accept()
    n = struct.unpack('>H', c.recv(2))[0]
    q = c.recv(n)
    a = answer(q, False)
    c.sendall(struct.pack('>H', len(a)) + a); c.close()
threading.Thread(target=tcp, daemon=True).start()
print(port, flush=True)
q, peer = u.recvfrom(512)
if mode == 'truncate': u.sendto(answer(q, True), peer)
elif mode == 'garbage': u.sendto(b'HTTP/1.1 400 Bad Request\\r\\n\\r\\n', peer)
elif mode == 'spoof':
    u.sendto(bytes([q[0] ^ 0xff, q[1]]) + answer(q, False)[2:], peer)
    u.sendto(answer(q, False), peer)
elif mode == 'silent': pass
import time; time.sleep(3)
`

async function pyServer(mode: string): Promise<number> {
  const p = startPython(PY_SERVER, [mode])
  open.push({ close: () => void p.stop() })
  return Number(await p.firstLine)
}

describe('the engine’s query against an independent server', () => {
  it('a truncated UDP answer (TC): asked again over TCP, both exchanges kept', async () => {
    const port = await pyServer('truncate')
    const xs = await askDns({ name: 'big.example', type: 'A', server: '127.0.0.1', port, timeoutMs: 3000 })
    expect(xs.map((x) => [x.transport, x.message.truncated, x.message.answers.length])).toEqual([
      ['udp', true, 0],
      ['tcp', false, 1],
    ])
    expect(xs[1]!.message.answers[0]).toMatchObject({ name: 'big.example', data: '192.0.2.7', ttl: 30 })
  })

  it('garbage in answer: not taken for the answer; said what came instead', async () => {
    const port = await pyServer('garbage')
    await expect(
      askDns({ name: 'x.example', type: 'A', server: '127.0.0.1', port, timeoutMs: 800 }),
    ).rejects.toMatchObject({ code: 'EDNSBAD', message: expect.stringContaining('"HTTP/1.1 400 Bad Request..') })
  })

  it('an answer with another ID first (a spoof) is ignored; the real one taken', async () => {
    const port = await pyServer('spoof')
    const [x] = await askDns({ name: 'x.example', type: 'A', server: '127.0.0.1', port, timeoutMs: 3000 })
    expect(x!.message.id).toBe(x!.id)
    expect(x!.message.answers[0]!.data).toBe('192.0.2.7')
  })

  it('no answer: a timeout that names the server; a closed port: refused (ICMP)', async () => {
    const port = await pyServer('silent')
    await expect(askDns({ name: 'x.example', type: 'A', server: '127.0.0.1', port, timeoutMs: 300 })).rejects.toThrow(
      /no answer from 127\.0\.0\.1 port \d+ \(UDP\) within 300 ms/,
    )
    await expect(
      askDns({ name: 'x.example', type: 'A', server: '127.0.0.1', port: 9, timeoutMs: 2000 }),
    ).rejects.toMatchObject({
      code: 'ECONNREFUSED',
    })
  })

  it('servers as typed: IP, IP:PORT, [v6]:PORT', () => {
    expect(dnsServerOf('10.0.0.3')).toEqual({ server: '10.0.0.3', port: 53 })
    expect(dnsServerOf('10.0.0.3:8053')).toEqual({ server: '10.0.0.3', port: 8053 })
    expect(dnsServerOf('[::1]:8053')).toEqual({ server: '::1', port: 8053 })
    expect(dnsServerOf('::1')).toEqual({ server: '::1', port: 53 })
    expect(dnsServerOf('teacher')).toBeUndefined()
    expect(dnsServerOf('10.0.0.3:99999')).toBeUndefined()
  })
})
