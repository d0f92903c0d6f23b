/**
 * The classroom's own work across a LAN of network namespaces: the backlog demo with students'
 * clients from their own machines, and the checker grading 30 students' servers on 30 hosts and
 * 30 students' clients matched to the roster by address.
 */
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createLan, follow, lanTier, type Host, type Lan } from '../support/lan'
import { SOLUTIONS } from '../main/engine/checker/solutions'

const why = lanTier()

const solution = (exercise: string): string => SOLUTIONS.find((s) => s.exercise === exercise && !s.bug)!.code

/** Connects (waiting as long as the kernel keeps retrying), says hi and stays until the server
 * has had its time with it (it closes after --serve-ms). */
const PATIENT_CLIENT = `import socket, sys
s = socket.socket()
s.settimeout(40)
s.connect((sys.argv[1], int(sys.argv[2])))
print('connected', flush=True)
s.send(b'hi')
while s.recv(1024):
    pass
s.close()
`

describe.skipIf(!!why)('the classroom on a LAN (network namespaces)', () => {
  let lan: Lan
  const dir = mkdtempSync(join(tmpdir(), 'lan-class-'))
  beforeAll(() => {
    lan = createLan(30)
  })
  afterAll(() => lan?.close())

  const roster = (port?: number): string => {
    const file = join(dir, `roster-${port ?? 'clients'}.csv`)
    const rows = lan.students.map((h) => `${h.name},${h.ip},${port ?? ''}`)
    writeFileSync(file, ['name,host,port', ...rows].join('\n') + '\n')
    return file
  }

  it('the backlog demo across the LAN: the queue fills as on loopback, the extra clients retry their SYNs and get in later', async () => {
    const t = follow(
      lan.cli(lan.teacher, [
        'backlog',
        '--host',
        '0.0.0.0',
        '--port',
        '9990',
        '--backlog',
        '2',
        '--serve-ms',
        '1200',
        '--json',
      ]),
    )
    await t.event((e) => e['event'] === 'listening')
    const six = lan.students.slice(0, 6)
    const clients = six.map((h) => follow(lan.python(h, PATIENT_CLIENT, [lan.teacher.ip, '9990'])))
    // one served, backlog + 1 = 3 in the kernel's accept queue
    await t.event((e) => e['event'] === 'queue' && e['kernel'] === 3, 10_000)
    // the rest: their SYNs were not answered, and their own tables say so. Read with the kernel's
    // own ss (milliseconds a host): the app's socket reader starts a process per host, a second
    // each, and six of them outlast the 1 s + 3 s of a SYN's retries (the test timed out on it).
    const synSent = (h: Host): boolean =>
      lan.run(h, 'ss', ['-Htan', 'state', 'syn-sent', '( dport = :9990 )']).stdout.trim() !== ''
    let waiting: Host[] = []
    for (const t0 = Date.now(); waiting.length === 0 && Date.now() - t0 < 5_000;) waiting = six.filter(synSent)
    expect(waiting.length).toBeGreaterThan(0)
    // retried, they get in as the queue drains: every client is served in the end
    const codes = await Promise.all(clients.map((c) => c.exited))
    expect(codes).toEqual([0, 0, 0, 0, 0, 0])
    for (const c of clients) expect(c.out[0]).toBe('connected')
    const dropped = t.events().filter((e) => e['event'] === 'queue' && typeof e['dropped'] === 'number')
    expect(dropped.length).toBeGreaterThan(0)
    t.exited.catch(() => undefined)
  }, 60_000)

  it('30 students’ servers on 30 hosts graded from the teacher’s host in under 30 s', async () => {
    const code = solution('threaded-hello').replace(
      "s.bind(('127.0.0.1', int(sys.argv[1])))",
      "s.bind(('0.0.0.0', int(sys.argv[1])))",
    )
    const servers = lan.students.map((h) => follow(lan.python(h, code, ['9999'])))
    for (const s of servers) {
      for (let i = 0; i < 200 && s.out.length === 0; i++) await new Promise((r) => setTimeout(r, 20))
      expect(s.out[0]).toBe('9999')
    }
    const t0 = Date.now()
    const check = follow(
      lan.cli(lan.teacher, ['check', '--exercise', 'threaded-hello', '--roster', roster(9999), '--json']),
    )
    expect(await check.exited).toBe(0)
    const secs = (Date.now() - t0) / 1000
    expect(secs).toBeLessThan(30)
    const summary = check.events().find((e) => e['event'] === 'summary')!
    expect(summary).toMatchObject({ students: 30, checks: 180, passed: 180, ok: true })
    for (const s of servers) s.out.length = 0
  }, 60_000)

  it('a client exercise: 30 students connect from their machines and are graded under their roster names', async () => {
    const check = follow(
      lan.cli(lan.teacher, [
        'check',
        '--exercise',
        'threaded-hello-client',
        '--listen',
        '0.0.0.0:9998',
        '--roster',
        roster(),
        '--wait',
        '30000',
        '--json',
      ]),
    )
    await check.event((e) => e['event'] === 'listening')
    const code = solution('threaded-hello-client').replace("s.connect(('127.0.0.1',", `s.connect(('${lan.teacher.ip}',`)
    const kids = lan.students.map((h) => follow(lan.python(h, code, ['9998'])))
    expect(await Promise.all(kids.map((k) => k.exited))).toEqual(lan.students.map(() => 0))
    expect(await check.exited).toBe(0)
    const graded = new Set(
      check
        .events()
        .filter((e) => e['event'] === 'check')
        .map((e) => e['student']),
    )
    expect(graded).toEqual(new Set(lan.students.map((h) => h.name)))
  }, 60_000)
})
