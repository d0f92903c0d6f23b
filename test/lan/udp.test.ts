/**
 * UDP across a classroom LAN of network namespaces: a student's broadcast heard by the teacher
 * and the classmates, a multicast group heard by those who joined it only, and a lossy link whose
 * losses the sequence numbers count exactly as the firewall's own counter does.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { countSequence } from '../../src/main/engine/udp/udp-flood'
import { createLan, follow, lanTier, type Lan } from '../support/lan'

const why = lanTier()

/** Prints each datagram as "<text> from <address>" for `argv[2]` seconds; joins the group
 * argv[3] on the interface address argv[4] when given. */
const RECEIVER = `import socket, struct, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(('', int(sys.argv[1])))
if len(sys.argv) > 4:
    s.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP, socket.inet_aton(sys.argv[3]) + socket.inet_aton(sys.argv[4]))
print('ready', flush=True)
s.settimeout(0.2)
end = time.time() + float(sys.argv[2])
while time.time() < end:
    try:
        d, a = s.recvfrom(2048)
        print('%s from %s' % (d.decode('utf-8'), a[0]), flush=True)
    except socket.timeout:
        pass
`

describe.skipIf(!!why)('UDP on a classroom LAN (network namespaces)', () => {
  let lan: Lan
  beforeAll(() => {
    lan = createLan(6)
  })
  afterAll(() => lan?.close())

  const ready = async (f: ReturnType<typeof follow>): Promise<void> => {
    for (let i = 0; i < 100 && f.out[0] !== 'ready'; i++) await new Promise((r) => setTimeout(r, 30))
    expect(f.out[0]).toBe('ready')
  }

  it('a student’s broadcast to the subnet’s broadcast address reaches the teacher and the other students', async () => {
    const [sender, ...others] = lan.students
    const teacher = follow(lan.cli(lan.teacher, ['udp', '--host', '0.0.0.0', '--port', '9996', '--json']))
    await teacher.event((e) => e['event'] === 'listening')
    const classmates = others.slice(0, 3).map((h) => follow(lan.python(h, RECEIVER, ['9996', '3'])))
    for (const c of classmates) await ready(c)
    const send = follow(
      lan.cli(sender!, ['udp-send', '--to', `${lan.broadcast}:9996`, '--broadcast', '--wait', '0', 'hello, class']),
    )
    expect(await send.exited).toBe(0)
    const got = await teacher.event((e) => e['event'] === 'data')
    expect(got['text']).toBe('hello, class')
    expect((got['from'] as { address: string }).address).toBe(sender!.ip)
    for (const c of classmates) {
      await c.exited
      expect(c.out.slice(1)).toEqual([`hello, class from ${sender!.ip}`])
    }
    teacher.out.length = 0
  }, 30_000)

  it('a multicast group joined by three students on their LAN interface is heard by them and not by a fourth', async () => {
    const group = '239.1.2.3'
    const joined = lan.students.slice(0, 3).map((h) => follow(lan.python(h, RECEIVER, ['9995', '2', group, h.ip])))
    const outsider = follow(lan.python(lan.students[3]!, RECEIVER, ['9995', '2']))
    for (const r of [...joined, outsider]) await ready(r)
    const send = follow(lan.cli(lan.teacher, ['udp-send', '--to', `${group}:9995`, '--wait', '0', 'to the group']))
    expect(await send.exited).toBe(0)
    for (const r of joined) {
      await r.exited
      expect(r.out.slice(1)).toEqual([`to the group from ${lan.teacher.ip}`])
    }
    await outsider.exited
    expect(outsider.out.slice(1)).toEqual([])
  }, 30_000)

  it('a teacher’s PC with a virtual adapter: multicast follows the routing table there, and --iface sends it on the LAN', async () => {
    const group = '239.1.2.4'
    const ip = (args: string[]): void => {
      const r = lan.run(lan.teacher, 'ip', args)
      expect(r.status, r.stderr).toBe(0)
    }
    // a Hyper-V/WSL-like adapter, inside the namespace only, that the routing table prefers for multicast
    ip(['link', 'add', 'vethernet0', 'type', 'veth', 'peer', 'name', 'vethernet0p']) // no dummy module in this kernel
    try {
      ip(['addr', 'add', '10.213.254.1/24', 'dev', 'vethernet0'])
      ip(['link', 'set', 'vethernet0', 'up'])
      ip(['link', 'set', 'vethernet0p', 'up'])
      ip(['route', 'replace', '224.0.0.0/4', 'dev', 'vethernet0'])
      const hear = async (extra: string[], text: string): Promise<string[]> => {
        const rx = follow(lan.python(lan.students[0]!, RECEIVER, ['9992', '1.5', group, lan.students[0]!.ip]))
        await ready(rx)
        const send = follow(lan.cli(lan.teacher, ['udp-send', '--to', `${group}:9992`, ...extra, '--wait', '0', text]))
        expect(await send.exited, send.stderr()).toBe(0)
        await rx.exited
        return rx.out.slice(1)
      }
      expect(await hear([], 'by the route')).toEqual([])
      expect(await hear(['--iface', lan.teacher.ip], 'by the LAN')).toEqual([`by the LAN from ${lan.teacher.ip}`])
    } finally {
      lan.run(lan.teacher, 'ip', ['route', 'replace', '224.0.0.0/4', 'dev', 'eth0'])
      lan.run(lan.teacher, 'ip', ['link', 'del', 'vethernet0'])
    }
  }, 30_000)

  it('a firewall on the sender’s own machine refuses the send: EPERM, and the explanation names it', async () => {
    const student = lan.students[5]!
    lan.nft(student, `chain output { type filter hook output priority 0; udp dport 9993 drop; }`)
    const send = follow(lan.cli(student, ['udp-send', '--to', `${lan.teacher.ip}:9993`, '--wait', '0', 'x']))
    expect(await send.exited).toBe(1)
    expect(send.out.join('\n') + send.stderr()).toMatch(/EPERM[\s\S]*a firewall on this machine refused to send/)
    lan.nft(student, '')
  })

  it('10% random loss on the link: the gaps in the sequence numbers are the firewall’s drops, near that rate', async () => {
    const student = lan.students[4]!
    // dropped as they arrive at the teacher: lost on the way, the sender never hears of it
    lan.nft(
      lan.teacher,
      `chain input { type filter hook input priority 0; ip saddr ${student.ip} udp dport 9994 numgen random mod 10 == 0 counter drop; }`,
    )
    // every datagram listed (a flood would be folded into counts): the sequence numbers are read
    const teacher = follow(lan.cli(lan.teacher, ['udp', '--host', '0.0.0.0', '--port', '9994', '--json', '--no-fold']))
    await teacher.event((e) => e['event'] === 'listening')
    const count = 1000
    const send = follow(
      lan.cli(student, [
        'udp-send',
        '--to',
        `${lan.teacher.ip}:9994`,
        '--seq',
        '--count',
        String(count),
        '--interval',
        '1',
        '--wait',
        '300',
        'x',
      ]),
    )
    const code = await send.exited
    expect(code, send.stderr() + send.out.slice(-5).join('\n')).toBe(0)
    await new Promise((r) => setTimeout(r, 300))
    const arrived = teacher
      .events()
      .filter((e) => e['event'] === 'data')
      .map((e) => Number(/^#(\d+) x$/.exec(e['text'] as string)?.[1] ?? NaN))
    expect(
      arrived.filter((n) => Number.isNaN(n)),
      JSON.stringify(teacher.events().slice(0, 3)),
    ).toEqual([])
    const { lost } = countSequence(arrived, count)
    const dropped = Number(
      /counter packets (\d+)/.exec(lan.run(lan.teacher, 'nft', ['list', 'table', 'inet', 'lantier']).stdout)![1],
    )
    expect(lost).toBe(dropped)
    // 1,000 tries at 1 in 10: 100 expected, 60..140 is more than four standard deviations
    expect(lost).toBeGreaterThan(60)
    expect(lost).toBeLessThan(140)
    lan.nft(lan.teacher, '')
  }, 30_000)
})
