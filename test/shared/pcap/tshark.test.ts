/**
 * The decoder against tshark, the oracle, on captures made here: a course client and server on
 * loopback (handshake, data, FIN both ways), a reset, and a datagram to a closed port with the
 * ICMP port-unreachable it brings, captured by tcpdump as root; then the same packets rewritten in
 * the forms this machine cannot capture (macOS lo0's NULL in both host byte orders, big-endian
 * pcap, nanosecond pcap, pcapng from dumpcap's tooling and from our own writer). Packet by packet:
 * the tuple, the flags, seq and ack (absolute), the lengths, MSS, the ICMP type and code.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { decodePacket } from '../../../src/shared/pcap/decode'
import { readCapture, type CaptureRecord } from '../../../src/shared/pcap/reader'
import { concatBytes, PcapngWriter } from '../../../src/shared/pcap/writer'
import { freePort, freeUdpPort } from '../../support/ports'
import { runPython } from '../../support/python'

const has = (cmd: string): boolean => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0
const root = process.getuid?.() === 0
const tools = has('tcpdump') && has('tshark') && has('editcap') && has('capinfos')
if (process.env['CI'] && process.platform === 'linux' && !tools)
  throw new Error('CI must install tcpdump and tshark (.ci/run)')
const dir = mkdtempSync(join(tmpdir(), 'lab-pcap-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** What tshark says of each packet, in the fields compared. */
const FIELDS = [
  'ip.src',
  'ip.dst',
  'tcp.srcport',
  'tcp.dstport',
  'tcp.flags',
  'tcp.seq_raw',
  'tcp.ack_raw',
  'tcp.len',
  'tcp.options.mss_val',
  'udp.srcport',
  'udp.dstport',
  'icmp.type',
  'icmp.code',
]
function tshark(file: string): string[][] {
  const out = execFileSync(
    'tshark',
    ['-r', file, '-T', 'fields', ...FIELDS.flatMap((f) => ['-e', f]), '-E', 'separator=|'],
    {
      encoding: 'utf8',
    },
  )
  return out
    .trimEnd()
    .split('\n')
    .map((l) => l.split('|').map((x) => x.split(',')[0]!)) // an ICMP error's quoted header repeats fields: the first is the packet's
}
/** The same fields from our decoder. */
function ours(records: CaptureRecord[]): string[][] {
  return records.map((r) => {
    const p = decodePacket(r.linkType, r.data)
    const s = (v: number | string | undefined): string => (v === undefined ? '' : String(v))
    const bits = p.tcp
      ? ['FIN', 'SYN', 'RST', 'PSH', 'ACK', 'URG', 'ECE', 'CWR', 'AE'].reduce(
          (n, f, i) => n | (p.tcp!.flags.includes(f) ? 1 << i : 0),
          0,
        )
      : undefined
    return [
      s(p.ipVersion === 4 ? p.src : undefined),
      s(p.ipVersion === 4 ? p.dst : undefined),
      s(p.tcp ? p.sport : undefined),
      s(p.tcp ? p.dport : undefined),
      bits === undefined ? '' : `0x${bits.toString(16).padStart(4, '0')}`,
      s(p.tcp?.seq),
      s(p.tcp?.ack),
      s(p.tcp ? p.len : undefined),
      s(p.tcp?.options.mss),
      // tshark decodes the UDP header an ICMP error quotes: compare what we read of it
      s(p.proto === 'udp' ? p.sport : p.icmp?.quoted?.proto === 17 ? p.icmp.quoted.sport : undefined),
      s(p.proto === 'udp' ? p.dport : p.icmp?.quoted?.proto === 17 ? p.icmp.quoted.dport : undefined),
      s(p.icmp?.type),
      s(p.icmp?.code),
    ]
  })
}

describe.skipIf(!root || !tools || process.platform !== 'linux')(
  'the decoder against tshark (Linux, root, tcpdump and tshark)',
  () => {
    let records: CaptureRecord[] = []
    const eth = join(dir, 'loopback.pcap')
    const nano = join(dir, 'loopback-ns.pcap')

    beforeAll(async () => {
      const tcp = await freePort()
      const closed = await freeUdpPort()
      const filter = `tcp port ${tcp} or udp port ${closed} or icmp`
      const capture = (file: string, extra: string[]) =>
        spawn('tcpdump', ['-i', 'lo', '-U', '-n', '--immediate-mode', '-w', file, ...extra, filter], {
          stdio: ['ignore', 'ignore', 'pipe'],
        })
      const caps = [capture(eth, []), capture(nano, ['--time-stamp-precision=nano'])]
      // tcpdump says "listening on lo" once it captures
      await Promise.all(
        caps.map(
          (c) =>
            new Promise<void>((ok) => {
              let err = ''
              c.stderr!.on('data', (d: Buffer) => {
                err += d.toString()
                if (err.includes('listening on')) ok()
              })
            }),
        ),
      )
      // the course's server and client: a handshake, "hello", "world" back, FIN both ways; then a
      // client that resets (SO_LINGER 0); then a connected UDP socket sending to a closed port
      const r = await runPython(
        `import socket, struct, sys, threading
port, closed = int(sys.argv[1]), int(sys.argv[2])
srv = socket.socket(); srv.bind(('127.0.0.1', port)); srv.listen(5)
def serve():
    for _ in range(2):
        c, _ = srv.accept()
        d = c.recv(1024)
        if d: c.sendall(b'world')
        try: c.recv(1024)
        except OSError: pass
        c.close()
t = threading.Thread(target=serve); t.start()
c = socket.create_connection(('127.0.0.1', port)); c.sendall(b'hello'); c.recv(1024); c.close()
r = socket.create_connection(('127.0.0.1', port)); r.sendall(b'x')
r.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack('ii', 1, 0)); r.recv(1024); r.close()
t.join()
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.connect(('127.0.0.1', closed)); u.send(b'anyone?')
try:
    u.recv(100)
except ConnectionRefusedError:
    print('ECONNREFUSED')`,
        [String(tcp), String(closed)],
      )
      expect(r.stdout.trim()).toBe('ECONNREFUSED')
      await new Promise((res) => setTimeout(res, 300))
      for (const c of caps) c.kill('SIGINT')
      await Promise.all(caps.map((c) => new Promise((res) => c.once('exit', res))))
      records = readCapture(readFileSync(eth)).records
    }, 30_000)

    it('agrees with tshark on every packet of the loopback capture', () => {
      expect(records.length).toBeGreaterThanOrEqual(15)
      expect(ours(records)).toEqual(tshark(eth))
    })

    it('shows the lesson: SYN, SYN+ACK, ACK with ack = the other side’s seq + 1, MSS 65495, FIN both ways, a RST, the ICMP', () => {
      const ps = records.map((r) => decodePacket(r.linkType, r.data))
      const [syn, synAck, ack] = ps
      expect(syn!.tcp!.flags).toEqual(['SYN'])
      expect(synAck!.tcp!.flags).toEqual(['SYN', 'ACK'])
      expect(ack!.tcp!.flags).toEqual(['ACK'])
      expect(synAck!.tcp!.ack).toBe((syn!.tcp!.seq + 1) >>> 0)
      expect(ack!.tcp!.ack).toBe((synAck!.tcp!.seq + 1) >>> 0)
      expect(syn!.tcp!.options.mss).toBe(65495) // loopback's MTU 65536 less 40
      expect(ps.filter((p) => p.tcp?.flags.includes('FIN')).length).toBeGreaterThanOrEqual(2)
      expect(ps.some((p) => p.tcp?.flags.includes('RST'))).toBe(true)
      const sent = ps.filter((p) => p.proto === 'tcp' && p.len > 0).reduce((n, p) => n + p.len, 0)
      // hello, world back; x from the client that resets, world back to it too
      expect(sent).toBe('hello'.length + 'world'.length + 'x'.length + 'world'.length)
      const icmp = ps.find((p) => p.proto === 'icmp')!
      expect(icmp.icmp).toMatchObject({ type: 3, code: 3, quoted: { proto: 17 } })
      // every field's bytes lie inside the packet
      for (const [i, p] of ps.entries())
        for (const f of p.fields)
          expect(f.offset + f.length, `${i} ${f.name}`).toBeLessThanOrEqual(records[i]!.data.length)
    })

    it('reads nanosecond pcap as tshark does, with its nanoseconds', () => {
      const ns = readCapture(readFileSync(nano)).records
      expect(ours(ns)).toEqual(tshark(nano))
      expect(ns.some((r) => r.nsec % 1000 !== 0)).toBe(true)
    })

    it('reads forms this machine cannot capture: NULL (both host byte orders), big-endian pcap, pcapng', () => {
      // macOS lo0 / Npcap loopback: 4 bytes of address family in the capturing host's order
      for (const le of [true, false]) {
        const file = join(dir, `null-${le ? 'le' : 'be'}.pcap`)
        writeFileSync(
          file,
          pcap(
            records.map((r) => {
              const fam = new Uint8Array(4)
              new DataView(fam.buffer).setUint32(0, 2, le)
              return { ...r, linkType: 0, data: concatBytes(fam, r.data.subarray(14)), origLen: r.origLen - 10 }
            }),
            0,
            le,
          ),
        )
        expect(ours(readCapture(readFileSync(file)).records), file).toEqual(tshark(file))
      }
      const be = join(dir, 'big-endian.pcap')
      writeFileSync(be, pcap(records, 1, false))
      expect(ours(readCapture(readFileSync(be)).records)).toEqual(tshark(be))
      const ng = join(dir, 'editcap.pcapng')
      execFileSync('editcap', ['-F', 'pcapng', eth, ng])
      expect(ours(readCapture(readFileSync(ng)).records)).toEqual(tshark(ng))
    })

    it('writes pcapng that capinfos and tshark read, with the same packets', () => {
      const w = new PcapngWriter()
      const file = join(dir, 'ours.pcapng')
      writeFileSync(file, concatBytes(w.header(), ...records.map((r) => w.packet(r))))
      expect(execFileSync('capinfos', ['-c', '-M', file], { encoding: 'utf8' })).toMatch(
        new RegExp(`Number of packets:\\s+${records.length}\\b`),
      )
      expect(tshark(file)).toEqual(tshark(eth))
      const back = readCapture(readFileSync(file)).records
      expect(back.map((r) => [r.sec, r.nsec, r.origLen])).toEqual(records.map((r) => [r.sec, r.nsec, r.origLen]))
    })
  },
)

/** A classic pcap file of `records` (µs), little- or big-endian. */
function pcap(
  records: Pick<CaptureRecord, 'sec' | 'nsec' | 'data' | 'origLen'>[],
  linkType: number,
  le: boolean,
): Uint8Array {
  const head = new DataView(new ArrayBuffer(24))
  head.setUint32(0, 0xa1b2c3d4, le)
  head.setUint16(4, 2, le)
  head.setUint16(6, 4, le)
  head.setUint32(16, 262144, le)
  head.setUint32(20, linkType, le)
  const parts: Uint8Array[] = [new Uint8Array(head.buffer)]
  for (const r of records) {
    const h = new DataView(new ArrayBuffer(16))
    h.setUint32(0, r.sec, le)
    h.setUint32(4, Math.floor(r.nsec / 1000), le)
    h.setUint32(8, r.data.length, le)
    h.setUint32(12, r.origLen, le)
    parts.push(new Uint8Array(h.buffer), r.data)
  }
  return concatBytes(...parts)
}
