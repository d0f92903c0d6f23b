/**
 * The wire on a LAN of network namespaces: the teacher captures its own eth0 with the CLI while a
 * student connects: ARP's who-has (broadcast) and is-at come before the first SYN, the handshake's
 * MSS is Ethernet's 1460 (not loopback's 65495), a broadcast datagram is seen as sent to ff:ff:ff:
 * ff:ff:ff, and a datagram to a closed port brings back the ICMP port-unreachable.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createLan, follow, lanTier, type Lan } from '../support/lan'

const why = lanTier()

describe.skipIf(!!why)('capture on a LAN (network namespaces)', () => {
  let lan: Lan
  beforeAll(() => {
    lan = createLan(2)
  })
  afterAll(() => lan?.close())

  it('ARP before the first SYN, MSS 1460, a broadcast, an ICMP port unreachable: in order, in the teacher’s capture', async () => {
    const [student] = lan.students
    const capturer = lan.cli(lan.teacher, ['capture', '--iface', 'eth0', '--port', '9999', '--port', '9998', '--json'])
    const cap = follow(capturer)
    await cap.event((e) => e['event'] === 'capturing')
    const server = follow(lan.cli(lan.teacher, ['tcp-server', '--host', '0.0.0.0', '--port', '9999', '--json']))
    await server.event((e) => e['event'] === 'listening')
    const py = follow(
      lan.python(
        student!,
        `import socket
s = socket.create_connection(('${lan.teacher.ip}', 9999), 5); s.recv(100); s.close()
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
u.sendto(b'who is here?', ('${lan.broadcast}', 9998))
c = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); c.connect(('${lan.teacher.ip}', 9998)); c.send(b'anyone?')
try:
    c.settimeout(2); c.recv(100)
except ConnectionRefusedError:
    print('ECONNREFUSED')
`,
      ),
    )
    expect(await py.exited).toBe(0)
    expect(py.out.join('\n')).toContain('ECONNREFUSED')
    await cap.event((e) => e['proto'] === 'icmp')
    capturer.kill('SIGINT')
    await cap.exited
    const packets = cap.events().filter((e) => e['event'] === 'packet')
    const arpAsk = packets.findIndex((p) => p['proto'] === 'arp' && (p['arp'] as { op: string }).op === 'request')
    const arpAnswer = packets.findIndex((p) => p['proto'] === 'arp' && (p['arp'] as { op: string }).op === 'reply')
    const syn = packets.findIndex((p) => p['proto'] === 'tcp' && (p['flags'] as string[]).join() === 'SYN')
    expect(arpAsk).toBeGreaterThanOrEqual(0)
    expect(packets[arpAsk]).toMatchObject({
      dstMac: 'ff:ff:ff:ff:ff:ff',
      arp: { targetIp: lan.teacher.ip, senderIp: student!.ip },
    })
    expect(packets[arpAnswer]).toMatchObject({ arp: { senderIp: lan.teacher.ip, senderMac: lan.teacher.mac } })
    expect(arpAsk).toBeLessThan(syn)
    expect(arpAnswer).toBeLessThan(syn)
    expect(packets[syn]).toMatchObject({ src: student!.ip, dst: lan.teacher.ip, dport: 9999, options: { mss: 1460 } })
    expect(packets.find((p) => p['proto'] === 'udp' && p['dst'] === lan.broadcast)).toMatchObject({
      dstMac: 'ff:ff:ff:ff:ff:ff',
      dport: 9998,
    })
    expect(packets.find((p) => p['proto'] === 'icmp')).toMatchObject({
      src: lan.teacher.ip,
      dst: student!.ip,
      icmp: { type: 3, code: 3, quoted: { dport: 9998 } },
    })
  }, 30_000)
})
