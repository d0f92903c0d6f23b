/**
 * `socket-lab dns` and `socket-lab dns-server` as processes: the classroom server answering the
 * CLI's query and dig's (when installed); the JSON lines the issue names; NXDOMAIN and a silent
 * server explained, exit 1; bad arguments exit 2; the server's port in use said so.
 */
import { spawnSync } from 'node:child_process'
import dgram from 'node:dgram'
import { describe, expect, it } from 'vitest'
import { runCli, startCli } from '../support/cli'

const dig = spawnSync('sh', ['-c', 'command -v dig']).status === 0

async function dnsServer(records: string[]) {
  const s = startCli([
    'dns-server',
    '--host',
    '127.0.0.1',
    '--port',
    '0',
    '--json',
    ...records.flatMap((r) => ['--record', r]),
  ])
  const port = await s.port()
  return { s, port, stop: async () => (s.child.kill('SIGINT'), await s.exited) }
}

describe('socket-lab dns', () => {
  it('asks the classroom server: the query and answer as JSON lines, with their bytes; the server prints who asked', async () => {
    const { s, port, stop } = await dnsServer(['server.lab=10.0.0.3'])
    try {
      const r = await runCli(['dns', 'server.lab', '--server', `127.0.0.1:${port}`, '--json'])
      expect(r.code).toBe(0)
      const [q, a] = r.out
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Record<string, unknown>)
      expect(q).toMatchObject({
        event: 'dns-query',
        server: '127.0.0.1',
        port,
        transport: 'udp',
        name: 'server.lab',
        type: 'A',
      })
      // ID, flags 0100 (recursion desired), one question, server.lab, type A, class IN
      expect(q!['bytes']).toMatch(/^[0-9a-f]{4}0100000100000000000006736572766572036c61620000010001$/)
      expect(a).toMatchObject({
        event: 'dns-answer',
        rcode: 'NOERROR',
        answers: [{ name: 'server.lab', type: 'A', ttl: 60, data: '10.0.0.3' }],
      })
      expect((a!['bytes'] as string).slice(0, 4)).toBe((q!['bytes'] as string).slice(0, 4)) // the same ID
      const served = JSON.parse(await s.waitLine((l) => l.includes('dns-served')))
      expect(served).toMatchObject({
        event: 'dns-served',
        transport: 'udp',
        name: 'server.lab',
        type: 'A',
        rcode: 'NOERROR',
        answers: ['10.0.0.3'],
      })
    } finally {
      await stop()
    }
  })

  it.skipIf(!dig)('dig, as a student types it, gets the answer', async () => {
    const { port, stop } = await dnsServer(['server.lab=10.0.0.3'])
    try {
      const r = spawnSync('dig', ['+short', '@127.0.0.1', '-p', String(port), 'server.lab'], {
        encoding: 'utf8',
        timeout: 5000,
      })
      expect(r.stdout.trim()).toBe('10.0.0.3')
    } finally {
      await stop()
    }
  })

  it('NXDOMAIN: explained, exit 1; a silent server: the timeout says who did not answer, exit 1', async () => {
    const { port, stop } = await dnsServer(['server.lab=10.0.0.3'])
    try {
      const nx = await runCli(['dns', 'nope.lab', '--server', `127.0.0.1:${port}`])
      expect(nx.code).toBe(1)
      expect(nx.out).toContain('NXDOMAIN')
      expect(nx.err).toContain('the name does not exist')
    } finally {
      await stop()
    }
    const silent = dgram.createSocket('udp4')
    await new Promise<void>((r) => silent.bind(0, '127.0.0.1', r))
    try {
      const t = await runCli([
        'dns',
        'x.lab',
        '--server',
        `127.0.0.1:${silent.address().port}`,
        '--timeout',
        '300',
        '--json',
      ])
      expect(t.code).toBe(1)
      expect(JSON.parse(t.out.trim())).toMatchObject({ event: 'error', code: 'EDNSTIMEOUT' })
    } finally {
      silent.close()
    }
  })

  it('bad arguments exit 2 with what is wrong: a name with two dots, a type, a server, a record', async () => {
    for (const [args, says] of [
      [['dns', 'a..b'], 'empty label'],
      [['dns', 'a.lab', '--type', 'QQ'], '--type must be one of'],
      [['dns', 'a.lab', '--server', 'teacher'], '--server must be an IP address'],
      [['dns', 'a.lab', '--timeout', '5'], '--timeout'],
      [['dns-server', '--record', 'x.lab=10.0.0.300'], 'not an IPv4 or IPv6 address'],
      [['dns-server'], 'give at least one --record'],
    ] as const) {
      const r = await runCli([...args])
      expect(r.code, args.join(' ')).toBe(2)
      expect(r.err).toContain(says)
    }
  })

  it('the server’s port already taken: exit 1, said so', async () => {
    const { port, stop } = await dnsServer(['a.lab=10.0.0.1'])
    try {
      const r = await runCli([
        'dns-server',
        '--host',
        '127.0.0.1',
        '--port',
        String(port),
        '--record',
        'a.lab=10.0.0.1',
      ])
      expect(r.code).toBe(1)
      expect(r.err).toContain('EADDRINUSE')
    } finally {
      await stop()
    }
  })
})
