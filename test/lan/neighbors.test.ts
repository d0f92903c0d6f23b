/**
 * ARP made visible on a LAN of network namespaces: before a student talks to the teacher the
 * teacher's neighbour table has no row for it; after, the row is there with the MAC of the
 * student's own interface; an address nobody owns never resolves.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createLan, follow, lanTier, type Host, type Lan } from '../support/lan'

const why = lanTier()

describe.skipIf(!!why)('the neighbour table on a LAN (network namespaces)', () => {
  let lan: Lan
  beforeAll(() => {
    lan = createLan(2)
  })
  afterAll(() => lan?.close())

  const neighbors = (h: Host): { ip: string; mac: string | null; interface: string; state: string }[] =>
    lan
      .run(h, process.execPath, ['--import', 'tsx', 'src/cli/index.ts', 'neighbors', '--json'])
      .stdout.trim()
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as never)

  it('a student who connects to the teacher appears in the teacher’s table with its own MAC', async () => {
    const student = lan.students[0]!
    expect(neighbors(lan.teacher).find((r) => r.ip === student.ip)).toBeUndefined()
    const server = follow(lan.cli(lan.teacher, ['tcp-server', '--host', '0.0.0.0', '--port', '9999', '--json']))
    await server.event((e) => e['event'] === 'listening')
    const py = follow(
      lan.python(student, `import socket\ns = socket.create_connection(('${lan.teacher.ip}', 9999), 5)\ns.close()\n`),
    )
    expect(await py.exited).toBe(0)
    const row = neighbors(lan.teacher).find((r) => r.ip === student.ip)
    expect(row).toMatchObject({ ip: student.ip, mac: student.mac, interface: 'eth0' })
    expect(['reachable', 'stale', 'delay', 'probe']).toContain(row!.state)
    // and the student learned the teacher's
    expect(neighbors(student).find((r) => r.ip === lan.teacher.ip)?.mac).toBe(lan.teacher.mac)
  })

  it('an address on the subnet that nobody owns never resolves: EHOSTUNREACH, and its row has no MAC', async () => {
    const ghost = `${lan.net}.200`
    const c = follow(lan.cli(lan.students[1]!, ['tcp-client', '--host', ghost, '--port', '9999', '--timeout', '8000']))
    expect(await c.exited).toBe(1)
    expect(c.out.join('\n') + c.stderr()).toMatch(/EHOSTUNREACH[\s\S]*no machine answered the ARP request/)
    const row = neighbors(lan.students[1]!).find((r) => r.ip === ghost)
    expect(row).toMatchObject({ mac: null })
    expect(['failed', 'incomplete']).toContain(row!.state)
  }, 20_000)
})
