/**
 * `socket-lab capture --read`: a capture file in the course's words or as JSON lines; a file that
 * is not a capture and a corrupt one exit 2 with the reason on stderr, after the packets before it.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { PcapngWriter } from '../../src/shared/pcap/writer'
import { runCli, startCli } from '../support/cli'
import { freePort } from '../support/ports'
import { runPython } from '../support/python'
import { within } from '../support/until'
import { readCapture } from '../../src/shared/pcap/reader'

const dir = mkdtempSync(join(tmpdir(), 'lab-capture-cli-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const hex = (s: string): Uint8Array =>
  Uint8Array.from(
    s
      .replace(/\s+/g, '')
      .match(/../g)!
      .map((b) => parseInt(b, 16)),
  )
const SYN = hex(`020000000002 020000000001 0800 4500002c 0001 4000 4006 0000 0a000001 0a000002
  9012 1f90 00000064 00000000 6002 faf0 0000 0000 020405b4`)
const ARP = hex(`ffffffffffff 020000000001 0806 0001 0800 06 04 0001 020000000001 0a000001 000000000000 0a00000c`)

function file(name: string, cut = 0): string {
  const w = new PcapngWriter()
  const parts = [
    w.header(),
    w.packet({ linkType: 1, sec: 1, nsec: 0, data: SYN, origLen: SYN.length }),
    w.packet({ linkType: 1, sec: 2, nsec: 0, data: ARP, origLen: ARP.length }),
  ]
  const all = Buffer.concat(parts)
  const path = join(dir, name)
  writeFileSync(path, all.subarray(0, all.length - cut))
  return path
}

describe('socket-lab capture --read', () => {
  it('prints each packet in the course’s words, or as JSON lines with a summary', async () => {
    const text = await runCli(['capture', '--read', file('two.pcapng')])
    expect(text.code).toBe(0)
    expect(text.out).toContain(
      'TCP 10.0.0.1:36882 > 10.0.0.2:8080 [SYN] seq 100 ack 0 win 64240 MSS 1460 len 0: SYN: asks to connect',
    )
    expect(text.out).toContain('ARP: who has 10.0.0.12? tell 10.0.0.1 (broadcast)')
    const json = await runCli(['capture', '--read', file('two-json.pcapng'), '--json'])
    const lines = json.out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>)
    expect(lines[0]).toMatchObject({
      event: 'packet',
      n: 1,
      link: 'ethernet',
      proto: 'tcp',
      src: '10.0.0.1',
      sport: 36882,
      dport: 8080,
      flags: ['SYN'],
      seq: 100,
      ack: 0,
      len: 0,
      options: { mss: 1460 },
    })
    expect(lines[1]).toMatchObject({
      proto: 'arp',
      arp: { op: 'request', senderIp: '10.0.0.1', targetIp: '10.0.0.12' },
      dstMac: 'ff:ff:ff:ff:ff:ff',
    })
    expect(lines[2]).toEqual({ event: 'summary', packets: 2, truncated: 0, format: 'pcapng' })
  })

  it('a file that is not a capture, a missing one, a corrupt one: exit 2, the reason on stderr, no stack trace', async () => {
    const notCapture = join(dir, 'notes.txt')
    writeFileSync(notCapture, 'hello, this is not a capture\n')
    const a = await runCli(['capture', '--read', notCapture])
    expect(a.code).toBe(2)
    expect(a.err).toMatch(/not a capture file: it starts with 68 65 6c 6c/)
    expect(a.err).not.toMatch(/\n\s+at /)
    const b = await runCli(['capture', '--read', join(dir, 'nope.pcap')])
    expect(b.code).toBe(2)
    expect(b.err).toContain('ENOENT')
    // cut inside the last packet: the first is printed, then the reason
    const c = await runCli(['capture', '--read', file('cut.pcapng', 9)])
    expect(c.code).toBe(2)
    expect(c.out).toContain('[SYN]')
    expect(c.err).toMatch(/ends inside a block \(at byte \d+\)/)
  })

  it('a port or a count that is not a plain whole number (0x50, 1e3, 8.0) is refused, not read as one', async () => {
    for (const [flag, v] of [
      ['--port', '0x50'],
      ['--port', '8.0'],
      ['--port', '70000'],
      ['--count', '1e3'],
      ['--count', '0x10'],
      ['--count', '0'],
    ]) {
      const r = await runCli(['capture', flag!, v!])
      expect(r.code, `${flag} ${v}`).toBe(2)
      expect(r.err).toContain(`${flag} must be a whole number from 1 to`)
    }
  })
})

const root = process.getuid?.() === 0
const tcpdump = ['/usr/sbin/tcpdump', '/usr/bin/tcpdump'].some((p) => existsSync(p))
const setpriv = ['/usr/bin/setpriv', '/bin/setpriv'].find((p) => existsSync(p))

describe.skipIf(process.platform !== 'linux' || !root || !tcpdump)(
  'socket-lab capture, live (Linux, root, tcpdump)',
  () => {
    it('the lab’s port: capturing, then SYN, SYN+ACK, ACK with the acks that answer the seqs; --count ends it; --write is pcapng', async () => {
      const port = await freePort()
      const pcapng = join(dir, 'live.pcapng')
      const c = startCli(['capture', '--port', String(port), '--count', '3', '--json', '--write', pcapng])
      await c.waitLine((l) => l.includes('"capturing"'))
      expect(c.json()[0]).toMatchObject({ event: 'capturing', tool: 'tcpdump', interfaces: ['any'] })
      const r = await runPython(
        `import socket, sys
s = socket.socket(); s.bind(('127.0.0.1', int(sys.argv[1]))); s.listen()
c = socket.create_connection(('127.0.0.1', int(sys.argv[1]))); a, _ = s.accept(); c.close(); a.close()`,
        [String(port)],
      )
      expect(r.code).toBe(0)
      expect(await within(c.exited, 10_000, () => `capture did not end: ${c.err()}`)).toBe(0)
      const packets = c.json().filter((e) => e['event'] === 'packet')
      expect(packets.map((p) => (p['flags'] as string[]).join(','))).toEqual(['SYN', 'SYN,ACK', 'ACK'])
      expect(packets[0]).toMatchObject({ link: 'linux-sll2', src: '127.0.0.1', dport: port, options: { mss: 65495 } })
      expect(packets[1]!['ack']).toBe(((packets[0]!['seq'] as number) + 1) >>> 0)
      expect(packets[2]!['ack']).toBe(((packets[1]!['seq'] as number) + 1) >>> 0)
      expect(c.json().at(-1)).toMatchObject({ event: 'summary', packets: 3, written: pcapng })
      expect(readCapture(readFileSync(pcapng)).records).toHaveLength(3)
    }, 20_000)

    // As a user without the rights to capture: root without CAP_NET_RAW and CAP_NET_ADMIN, which is
    // what an ordinary user lacks (not `nobody`: a checkout in a private folder would be unreadable).
    it.skipIf(!setpriv)(
      'a user who may not capture: exit 3, the reason and this OS’s one-time fix, no stack trace',
      async () => {
        const caps = '-net_raw,-net_admin'
        const r = await runCli(['capture', '--port', '9'], {
          asUser: [setpriv!, `--bounding-set=${caps}`, `--inh-caps=${caps}`],
          env: { LANG: 'en_US.UTF-8' },
        })
        expect(r.code).toBe(3)
        expect(r.err).toMatch(/may not capture packets here: .*(permission|not permitted)/i)
        expect(r.err).toContain('dpkg-reconfigure wireshark-common')
        expect(r.err).not.toMatch(/\n\s+at /)
      },
      20_000,
    )
  },
)
