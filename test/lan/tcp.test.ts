/**
 * TCP across a classroom LAN made of network namespaces (test/support/lan.ts): the teacher's
 * server (the CLI, i.e. the engine) and 30 students' course clients in Python, each from its own
 * address; a server bound to 127.0.0.1; a firewall that drops and one that rejects; a lossy link;
 * a slow one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createLan, follow, lanTier, type Host, type Lan } from '../support/lan'

const why = lanTier()

const COURSE_CLIENT = `import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.settimeout(10)
s.connect((sys.argv[1], int(sys.argv[2])))
print(s.recv(1024).decode('utf-8'))
s.send(sys.argv[3].encode('utf-8'))
print(s.recv(1024).decode('utf-8'))
s.send(b'exit')
s.close()
`

describe.skipIf(!!why)('TCP on a classroom LAN (network namespaces)', () => {
  let lan: Lan
  beforeAll(() => {
    lan = createLan(30)
  })
  afterAll(() => lan?.close())

  function server(args: string[]) {
    const c = lan.cli(lan.teacher, ['tcp-server', '--json', ...args])
    const f = follow(c)
    return { c, f, listening: f.event((e) => e['event'] === 'listening') }
  }
  const stop = async (s: { c: { kill(): boolean }; f: { exited: Promise<unknown> } }): Promise<void> => {
    s.c.kill()
    await s.f.exited
  }
  const table = (h: Host, port: number) => lan.sockets(h, port)

  it('the teacher’s threaded server on 0.0.0.0 serves 30 students’ course clients, each from its own address', async () => {
    const s = server(['--host', '0.0.0.0', '--port', '9999', '--mode', 'threaded', '--reply', 'hello'])
    await s.listening
    const kids = lan.students.map((h) => follow(lan.python(h, COURSE_CLIENT, [lan.teacher.ip, '9999', h.name])))
    const codes = await Promise.all(kids.map((k) => k.exited))
    expect(codes.every((c) => c === 0)).toBe(true)
    kids.forEach((k, i) => expect(k.out).toEqual(['Welcome!', `Hello, s${i + 1}!`]))
    const conns = s.f.events().filter((e) => e['event'] === 'connection')
    const sources = new Set(conns.map((e) => (e['remote'] as { address: string }).address))
    expect(sources).toEqual(new Set(lan.students.map((h) => h.ip)))
    await stop(s)
  }, 60_000)

  it('bound to 127.0.0.1, a student’s connect is refused, and the explanation says why', async () => {
    const s = server(['--host', '127.0.0.1', '--port', '9999', '--mode', 'threaded'])
    await s.listening
    const c = follow(lan.cli(lan.students[0]!, ['tcp-client', '--host', lan.teacher.ip, '--port', '9999']))
    expect(await c.exited).toBe(1)
    const said = c.out.join('\n') + c.stderr()
    expect(said).toContain('ECONNREFUSED')
    expect(said).toMatch(/bound to 127\.0\.0\.1 takes connections from its own machine only/)
    await stop(s)
  }, 30_000)

  it('a firewall that drops: the connect hangs in SYN_SENT and times out; one that rejects: ECONNREFUSED at once', async () => {
    const s = server(['--host', '0.0.0.0', '--port', '9999'])
    await s.listening
    const student = lan.students[1]!
    lan.nft(lan.teacher, 'chain input { type filter hook input priority 0; tcp dport 9999 drop; }')
    const t0 = Date.now()
    const dropped = follow(
      lan.cli(student, ['tcp-client', '--host', lan.teacher.ip, '--port', '9999', '--timeout', '3000']),
    )
    // while it waits, the student's own socket table shows the SYN going unanswered
    let states: string[] = []
    for (let i = 0; i < 20 && !states.includes('SYN_SENT'); i++) {
      await new Promise((r) => setTimeout(r, 100))
      states = table(student, 9999).map((r) => r.state)
    }
    expect(states).toContain('SYN_SENT')
    expect(await dropped.exited).toBe(1)
    expect(Date.now() - t0).toBeGreaterThan(2500)
    const timedOut = dropped.out.join('\n') + dropped.stderr()
    expect(timedOut).toContain('ETIMEDOUT')
    expect(timedOut).toMatch(/firewall may silently drop/)

    lan.nft(lan.teacher, 'chain input { type filter hook input priority 0; tcp dport 9999 reject with tcp reset; }')
    const t1 = Date.now()
    const rejected = follow(lan.cli(student, ['tcp-client', '--host', lan.teacher.ip, '--port', '9999']))
    expect(await rejected.exited).toBe(1)
    expect(Date.now() - t1).toBeLessThan(2500)
    const refused = rejected.out.join('\n') + rejected.stderr()
    expect(refused).toContain('ECONNREFUSED')
    expect(refused).toMatch(/a firewall there rejects/)
    lan.nft(lan.teacher, '')
    await stop(s)
  }, 30_000)

  const SENDER = `import socket, sys, time
s = socket.socket()
s.connect((sys.argv[1], int(sys.argv[2])))
s.sendall(bytes(range(256)) * (int(sys.argv[3]) // 256))
print('sent', flush=True)
time.sleep(float(sys.argv[4]))
s.close()
`
  /** Bytes the server read: listed reads, and the ones a flood folded into counts. */
  const received = (f: ReturnType<typeof follow>): number =>
    f
      .events()
      .filter((e) => e['event'] === 'data' || e['event'] === 'folded')
      .reduce((n, e) => n + (e['bytes'] as number), 0)
  const retransmitted = (h: Host): number => {
    const snmp = lan
      .run(h, 'cat', ['/proc/net/snmp'])
      .stdout.split('\n')
      .filter((l) => l.startsWith('Tcp:'))
    const [head, vals] = snmp.map((l) => l.split(/\s+/))
    return Number(vals![head!.indexOf('RetransSegs')])
  }

  it('10% random loss on a student’s link: TCP retransmits and still delivers every byte', async () => {
    const s = server(['--host', '0.0.0.0', '--port', '9998', '--mode', 'plain', '--reply', 'none'])
    await s.listening
    const student = lan.students[2]!
    lan.nft(
      student,
      `chain output { type filter hook output priority 0; ip daddr ${lan.teacher.ip} tcp dport 9998 numgen random mod 10 == 0 drop; }`,
    )
    const before = retransmitted(student)
    const bytes = 1024 * 1024
    const py = follow(lan.python(student, SENDER, [lan.teacher.ip, '9998', String(bytes), '0']))
    expect(await py.exited).toBe(0)
    await s.f.event((e) => e['event'] === 'end', 30_000)
    expect(received(s.f)).toBe(bytes)
    expect(retransmitted(student) - before).toBeGreaterThan(0)
    lan.nft(student, '')
    await stop(s)
  }, 45_000)

  it('a 1 Mbit/s link: the sender’s Send-Q grows in its socket table (flow control made visible), and nothing is lost', async () => {
    const s = server(['--host', '0.0.0.0', '--port', '9997', '--mode', 'plain', '--reply', 'none'])
    await s.listening
    const student = lan.students[3]!
    lan.rate(student, '1mbit')
    const bytes = 400 * 1024
    const py = follow(lan.python(student, SENDER, [lan.teacher.ip, '9997', String(bytes), '8']))
    let peak = 0
    for (let i = 0; i < 30 && peak < 100_000; i++) {
      await new Promise((r) => setTimeout(r, 100))
      for (const r of table(student, 9997)) if (r.remote.address === lan.teacher.ip) peak = Math.max(peak, r.sendQ)
    }
    expect(peak).toBeGreaterThan(100_000)
    // 400 KiB at 1 Mbit/s: about 3.3 s; all of it arrives, and the queue drains
    for (let i = 0; i < 100 && received(s.f) < bytes; i++) await new Promise((r) => setTimeout(r, 100))
    expect(received(s.f)).toBe(bytes)
    const drained = table(student, 9997).filter((r) => r.remote.address === lan.teacher.ip)
    expect(drained.map((r) => r.sendQ)).toEqual([0])
    py.out.length = 0
    lan.run(student, 'tc', ['qdisc', 'del', 'dev', 'eth0', 'root'])
    await stop(s)
  }, 45_000)
})
