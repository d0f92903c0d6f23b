/**
 * Seed 000's first steps across a LAN of network namespaces: a student asks the teacher's
 * classroom DNS server (dig and socket-lab dns, by the teacher's address); getaddrinfo and the
 * query differ through the student's own hosts file (/etc/netns/NAME/hosts); the route from a
 * student to the teacher (same subnet: ARP asks for the teacher), to a host behind the teacher
 * acting as a gateway (another subnet: ARP asks for the gateway), and to nowhere (no route).
 * The far subnet is a second private /24 that exists only inside these namespaces.
 */
import { spawnSync } from 'node:child_process'
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createLan, follow, LAN_PREFIX, lanTier, type Lan } from '../support/lan'

const why = lanTier()
const dig = spawnSync('sh', ['-c', 'command -v dig']).status === 0
const ip = (args: string[]): void => {
  const r = spawnSync('ip', args, { encoding: 'utf8' })
  if (r.status !== 0) throw new Error(`ip ${args.join(' ')}: ${r.stderr}`)
}

describe.skipIf(!!why)('DNS and the route on a LAN (network namespaces)', () => {
  let lan: Lan
  const far = `${LAN_PREFIX}${process.pid}-far${Date.now() % 1000}`
  let farNet = ''
  const hostsDir = (): string => `/etc/netns/${lan.students[0]!.ns}`
  beforeAll(() => {
    lan = createLan(1)
    // the far subnet: 10.214.K.0/24 beside the LAN's 10.213.K.0/24, the teacher forwarding between them
    farNet = lan.net.replace(/^10\.213\./, '10.214.')
    ip(['netns', 'add', far])
    ip(['-n', lan.teacher.ns, 'link', 'add', 'eth1', 'type', 'veth', 'peer', 'name', 'eth0', 'netns', far])
    ip(['-n', lan.teacher.ns, 'addr', 'add', `${farNet}.1/24`, 'dev', 'eth1'])
    ip(['-n', lan.teacher.ns, 'link', 'set', 'eth1', 'up'])
    ip(['-n', far, 'addr', 'add', `${farNet}.2/24`, 'dev', 'eth0'])
    ip(['-n', far, 'link', 'set', 'eth0', 'up'])
    ip(['-n', far, 'link', 'set', 'lo', 'up'])
    ip(['-n', far, 'route', 'add', `${lan.net}.0/24`, 'via', `${farNet}.1`])
    spawnSync('ip', ['netns', 'exec', lan.teacher.ns, 'sysctl', '-qw', 'net.ipv4.ip_forward=1'])
    ip(['-n', lan.students[0]!.ns, 'route', 'add', `${farNet}.0/24`, 'via', lan.teacher.ip])
  })
  afterAll(() => {
    lan?.close()
    spawnSync('ip', ['netns', 'del', far])
    if (lan) rmSync(hostsDir(), { recursive: true, force: true })
  })

  it('a student asks the teacher’s classroom DNS server by its address: dig and socket-lab dns get the teacher’s answer', async () => {
    const server = follow(
      lan.cli(lan.teacher, ['dns-server', '--port', '8053', '--record', `server.lab=${lan.teacher.ip}`, '--json']),
    )
    await server.event((e) => e['event'] === 'listening')
    const s1 = lan.students[0]!
    if (dig) {
      const d = lan.run(s1, 'dig', ['+short', '+time=2', '+tries=1', `@${lan.teacher.ip}`, '-p', '8053', 'server.lab'])
      expect(d.stdout.trim()).toBe(lan.teacher.ip)
    }
    const q = follow(lan.cli(s1, ['dns', 'server.lab', '--server', `${lan.teacher.ip}:8053`, '--json']))
    expect(await q.exited).toBe(0)
    expect(q.events().find((e) => e['event'] === 'dns-answer')).toMatchObject({
      rcode: 'NOERROR',
      answers: [{ name: 'server.lab', type: 'A', data: lan.teacher.ip }],
    })
    const served = await server.event(
      (e) => e['event'] === 'dns-served' && e['transport'] === 'udp' && !String(e['from']).startsWith('127.'),
    )
    expect(String(served['from'])).toMatch(new RegExp(`^${s1.ip.replace(/\./g, '\\.')}:`))
  }, 30_000)

  it('getaddrinfo reads the student’s hosts file first: --lookup and the query differ, both shown', async () => {
    const server = follow(
      lan.cli(lan.teacher, ['dns-server', '--port', '8054', '--record', `server.lab=${lan.teacher.ip}`, '--json']),
    )
    await server.event((e) => e['event'] === 'listening')
    mkdirSync(hostsDir(), { recursive: true })
    writeFileSync(`${hostsDir()}/hosts`, '127.0.0.1 localhost\n10.250.0.9 server.lab\n')
    const q = follow(
      lan.cli(lan.students[0]!, ['dns', 'server.lab', '--server', `${lan.teacher.ip}:8054`, '--lookup', '--json']),
    )
    expect(await q.exited).toBe(0)
    expect(q.events().find((e) => e['event'] === 'lookup')).toMatchObject({
      addresses: ['10.250.0.9'],
      hostsFile: '/etc/hosts',
    })
    expect(q.events().find((e) => e['event'] === 'dns-answer')).toMatchObject({ answers: [{ data: lan.teacher.ip }] })
  }, 30_000)

  it('the route: to the teacher on the same subnet; to a far host through the teacher as gateway, with its MAC; to nowhere: no route', async () => {
    const s1 = lan.students[0]!
    // one datagram each way first, so the neighbour tables know the next hops (as any first packet does)
    lan.run(s1, 'python3', ['-c', `import socket; s=socket.socket(2,2); s.sendto(b'x', ('${farNet}.2', 9))`])
    await new Promise((r) => setTimeout(r, 300))
    const same = lan.run(s1, process.execPath, [
      '--import',
      'tsx',
      'src/cli/index.ts',
      'route',
      lan.teacher.ip,
      '--json',
    ])
    expect(JSON.parse(same.stdout)).toMatchObject({
      event: 'route',
      destination: lan.teacher.ip,
      source: s1.ip,
      interface: 'eth0',
      prefix: 24,
      sameSubnet: true,
      gateway: null,
      nextHop: lan.teacher.ip,
    })
    const via = lan.run(s1, process.execPath, ['--import', 'tsx', 'src/cli/index.ts', 'route', `${farNet}.2`, '--json'])
    expect(JSON.parse(via.stdout)).toMatchObject({
      destination: `${farNet}.2`,
      source: s1.ip,
      sameSubnet: false,
      gateway: lan.teacher.ip,
      nextHop: lan.teacher.ip,
      gatewayMac: lan.teacher.mac,
      gatewayFrom: 'ip -j route get',
    })
    const none = lan.run(s1, process.execPath, ['--import', 'tsx', 'src/cli/index.ts', 'route', '10.215.0.9'])
    expect(none.status).toBe(1)
    expect(none.stderr).toContain('no route to 10.215.0.9')
  }, 30_000)
})
