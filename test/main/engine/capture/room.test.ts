/**
 * The engine's capture (Linux, root, tcpdump): it captures the owner's lab ports and pushes each
 * packet as an event, matched to its lab socket by 4-tuple; a socket on a new port gets a capturer
 * with it (make before break); a client's connect waits for its port to be captured; the owner's
 * last socket closed stops the child (capture stays on, waiting): no tcpdump is left behind.
 */
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import net from 'node:net'
import { describe, expect, it } from 'vitest'
import { capturerFor, droppedOf } from '../../../../src/main/engine/capture/capturer'
import { PacketCapture } from '../../../../src/main/engine/capture/room'
import { decodePacket } from '../../../../src/shared/pcap/decode'
import { LIMITS, type LabEvent, type WireEvent } from '../../../../src/shared/contract'
import { SocketEngine } from '../../../../src/main/engine/engine'
import { listenDefaults } from '../../../support/engine-harness'
import { until } from '../../../support/until'

const root = process.getuid?.() === 0
const tcpdump = ['/usr/sbin/tcpdump', '/usr/bin/tcpdump'].some((p) => existsSync(p))
/** The tcpdump processes whose filter names `port`. */
const capturers = (port: number): string[] =>
  execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' })
    .split('\n')
    .filter((l) => l.includes('tcpdump') && l.includes(`port ${port}`))

/** What the engine pushed: the capture's events, packets decoded as the page decodes them. */
function wire() {
  const events: WireEvent[] = []
  const emit = (_owner: string, ev: LabEvent): void => {
    if (ev.kind === 'packet' || ev.kind === 'packet-fold' || ev.kind === 'capture') events.push(ev)
  }
  const packets = () =>
    events
      .filter((e): e is Extract<WireEvent, { kind: 'packet' }> => e.kind === 'packet')
      .map((e) => ({ ev: e, p: decodePacket(e.linkType, Buffer.from(e.bytes, 'base64')) }))
  const states = () => events.flatMap((e) => (e.kind === 'capture' ? [e.status.state] : []))
  return { events, emit, packets, states }
}

describe.skipIf(process.platform !== 'linux' || !root || !tcpdump)(
  'the engine’s capture (Linux, root, tcpdump)',
  () => {
    it('captures the lab’s connection, each packet matched to its lab socket; the last socket closed stops the capturer, the next opened starts it', async () => {
      const w = wire()
      const engine = new SocketEngine(w.emit)
      try {
        const server = await engine.tcp.listen('o', { host: '127.0.0.1', port: 0, ...listenDefaults })
        const port = server.local!.port
        const status = await engine.capture.capture('o', { iface: 'lo' })
        expect(status).toMatchObject({ state: 'capturing', tool: 'tcpdump', interfaces: ['lo'] })
        expect(status.state === 'capturing' && status.filter).toContain(`port ${port}`)
        const client = engine.tcp.connect('o', { host: '127.0.0.1', port, timeoutMs: 2000 })
        await until(() => engine.list('o').some((i) => i.id === client.id && i.local), 3000)
        const conn = engine.list('o').find((i) => i.kind === 'tcp-conn')!
        engine.tcp.send('o', { id: client.id, data: 'hello', encoding: 'utf-8' })
        await until(() => w.packets().some(({ p }) => p.len === 5), 5000)
        const [syn, synAck, ack] = w.packets().map(({ p }) => p)
        expect([syn?.tcp?.flags, synAck?.tcp?.flags, ack?.tcp?.flags]).toEqual([['SYN'], ['SYN', 'ACK'], ['ACK']])
        expect(synAck!.tcp!.ack).toBe((syn!.tcp!.seq + 1) >>> 0)
        expect(ack!.tcp!.ack).toBe((synAck!.tcp!.seq + 1) >>> 0)
        for (const { ev } of w.packets().filter(({ p }) => p.len === 5))
          expect([client.id, conn.id]).toContain(ev.socket)
        const numbers = w.packets().map(({ ev }) => ev.n)
        expect(numbers).toEqual(numbers.map((_, i) => i + 1))
        expect(capturers(port)).toHaveLength(1)
        // the owner's last socket closed: the capturer goes, capture stays on (waiting)
        for (const i of engine.list('o')) engine.close('o', i.id)
        await until(() => w.states().at(-1) === 'waiting' && capturers(port).length === 0, 5000)
        expect(engine.capture.capturing('o')).toBe(true)
        expect(engine.capture.running('o')).toBe(false)
        // the next socket starts a capturer again, with its port
        const again = await engine.udp.bind('o', { host: '127.0.0.1', port: 0 })
        await until(() => w.states().at(-1) === 'capturing' && capturers(again.local!.port).length === 1, 5000)
        await engine.capture.stop('o')
        expect(capturers(again.local!.port)).toHaveLength(0)
      } finally {
        await engine.closeAll()
      }
    }, 20_000)

    it('a client connecting to a port outside the filter waits for a capturer that has it: its SYN is seen', async () => {
      const w = wire()
      const engine = new SocketEngine(w.emit)
      const outside = net.createServer((s) => s.end())
      try {
        await new Promise<void>((r) => outside.listen(0, '127.0.0.1', r))
        const port = (outside.address() as net.AddressInfo).port
        await engine.udp.bind('o', { host: '127.0.0.1', port: 0 })
        await engine.capture.capture('o', { iface: 'lo' })
        engine.tcp.connect('o', { host: '127.0.0.1', port, timeoutMs: 3000 })
        await until(() => w.packets().some(({ p }) => p.tcp?.flags.join() === 'SYN' && p.dport === port), 5000)
        expect(capturers(port)).toHaveLength(1)
      } finally {
        outside.close()
        await engine.closeAll()
      }
    }, 20_000)

    it('a socket on a new port: a capturer with both ports replaces the old one, no datagram lost or seen twice across the change', async () => {
      const w = wire()
      const engine = new SocketEngine(w.emit)
      try {
        const a = await engine.udp.bind('o', { host: '127.0.0.1', port: 0 })
        await engine.capture.capture('o', { iface: 'lo' })
        // a datagram every 2 ms, to a's port, while the capture changes hands
        let sent = 0
        const beat = setInterval(() => {
          const data = `n${++sent}`
          engine.udp.send('o', { id: a.id, host: '127.0.0.1', port: a.local!.port, data, encoding: 'utf-8' })
        }, 2)
        const b = await engine.udp.bind('o', { host: '127.0.0.1', port: 0 })
        await until(() => capturers(b.local!.port).length === 1 && capturers(a.local!.port).length === 1, 5000)
        await new Promise((r) => setTimeout(r, 100))
        clearInterval(beat)
        // a block of packets (tcpdump reads a block at a time) may bring more than an interval
        // lists: those are counted in a packet-fold, not listed
        const folded = (): number => w.events.reduce((n, e) => n + (e.kind === 'packet-fold' ? e.packets : 0), 0)
        const udp = (): number => w.packets().filter(({ p }) => p.proto === 'udp').length
        await until(() => udp() + folded() >= sent, 5000).catch(() => 0)
        const seen = w
          .packets()
          .filter(({ p }) => p.proto === 'udp')
          .map(({ ev, p }) => Number(Buffer.from(ev.bytes, 'base64').subarray(p.payloadOffset!).toString().slice(1)))
        // each datagram once, in order (none twice across the change); listed and counted, all of them
        expect(seen.every((n, i) => i === 0 || n > seen[i - 1]!)).toBe(true)
        expect(seen.length + folded()).toBe(sent)
        if (!folded()) expect(seen).toEqual(Array.from({ length: sent }, (_, i) => i + 1))
        await engine.closeAll()
        await until(() => capturers(b.local!.port).length === 0, 5000)
      } finally {
        await engine.closeAll()
      }
    }, 20_000)
  },
)

describe('the capture’s bounds (a stand-in capturer)', () => {
  it('lists at most packetsPerInterval packets an interval and counts the rest; a refused capture says why', async () => {
    // a capturer that hands over 2,000 packets at once
    const data = new Uint8Array(60)
    const fake = ((_spec: unknown, onRecord: (r: never) => void) => {
      const ready = Promise.resolve({ tool: 'fake', interfaces: ['lo'], filter: '' })
      setTimeout(() => {
        for (let n = 1; n <= 2000; n++)
          onRecord({ n, linkType: 1, iface: 0, sec: 0, nsec: 0, data, origLen: 60 } as never)
      }, 0)
      return {
        ready,
        stop: () => Promise.resolve(),
        ended: new Promise(() => undefined),
        dropped: () => 0,
        poll: () => undefined,
      }
    }) as never
    const w = wire()
    const room = new PacketCapture(() => [{ id: 'u1', local: { port: 9 } } as never], w.emit, fake)
    await room.capture('o')
    const counted = () =>
      w.events.reduce((n, e) => n + (e.kind === 'packet' ? 1 : e.kind === 'packet-fold' ? e.packets : 0), 0)
    await until(() => counted() === 2000, 3000)
    expect(w.packets()).toHaveLength(LIMITS.packetsPerInterval)
    await room.stopAll()
    const r = wire()
    const refused = new PacketCapture(() => [{ id: 'u1', local: { port: 9 } } as never], r.emit, (() => ({
      ready: new Promise(() => undefined),
      stop: () => Promise.resolve(),
      ended: Promise.resolve({ refusal: 'not-permitted', message: 'socket: Operation not permitted' }),
      dropped: () => 0,
      poll: () => undefined,
    })) as never)
    const status = { state: 'refused', refusal: 'not-permitted', message: 'socket: Operation not permitted' }
    expect(await refused.capture('o')).toEqual(status)
    expect(r.events).toMatchObject([{ kind: 'capture', status }])
    expect(refused.capturing('o')).toBe(false)
  })

  it('with no lab socket open, capture waits: no capturer is started', async () => {
    let started = 0
    const w = wire()
    const room = new PacketCapture(() => [], w.emit, (() => (started++, {})) as never)
    expect(await room.capture('o')).toEqual({ state: 'waiting' })
    expect(started).toBe(0)
    expect(await room.stop('o')).toEqual({ state: 'off' })
  })
})

describe('which capturer, per OS', () => {
  const has =
    (...paths: string[]) =>
    (p: string) =>
      paths.includes(p)
  const spec = { ports: [8001] }
  it('Linux: tcpdump as root; Wireshark’s dumpcap for anyone else where it is installed, else tcpdump', () => {
    expect(capturerFor('linux', spec, has('/usr/sbin/tcpdump', '/usr/bin/dumpcap'), 0)).toMatchObject({
      tool: 'tcpdump',
      interfaces: ['any'],
    })
    const user = capturerFor('linux', spec, has('/usr/sbin/tcpdump', '/usr/bin/dumpcap'), 1000)!
    expect(user).toMatchObject({ tool: 'dumpcap', cmd: '/usr/bin/dumpcap', interfaces: ['any'] })
    expect(user.args).toEqual(['-i', 'any', '-f', '(port 8001) or arp or icmp or icmp6', '-w', '-', '-q'])
    expect(capturerFor('linux', spec, has('/usr/sbin/tcpdump'), 1000)).toMatchObject({ tool: 'tcpdump' })
    expect(capturerFor('linux', spec, has(), 1000)).toBeUndefined()
  })

  it('macOS: dumpcap on lo0 and en0 together when Wireshark is installed, else tcpdump on lo0; Windows: dumpcap on Npcap’s loopback', () => {
    const app = '/Applications/Wireshark.app/Contents/MacOS/dumpcap'
    expect(capturerFor('darwin', spec, has('/usr/sbin/tcpdump', app), 501)!.args.slice(0, 4)).toEqual([
      '-i',
      'lo0',
      '-i',
      'en0',
    ])
    expect(capturerFor('darwin', spec, has('/usr/sbin/tcpdump'), 501)).toMatchObject({
      tool: 'tcpdump',
      interfaces: ['lo0'],
    })
    const win = capturerFor('win32', spec, (p) => p.endsWith('dumpcap.exe'), undefined)!
    expect(win).toMatchObject({ tool: 'dumpcap', interfaces: ['\\Device\\NPF_Loopback'] })
    expect(capturerFor('win32', spec, has(), undefined)).toBeUndefined()
  })
})

describe('what the capturer says the kernel dropped', () => {
  it('tcpdump: its latest running total (SIGUSR1 and exit say it again); dumpcap: each interface’s, added', () => {
    const tcpdump = [
      'tcpdump: listening on lo, link-type EN10MB (Ethernet), snapshot length 262144 bytes',
      'tcpdump: 900 packets captured, 1800 packets received by filter, 12 packets dropped by kernel',
      'tcpdump: 2000 packets captured, 4100 packets received by filter, 40 packets dropped by kernel',
      '2100 packets captured',
      '4200 packets received by filter',
      '41 packets dropped by kernel',
    ].join('\n')
    expect(droppedOf(tcpdump)).toBe(41)
    expect(droppedOf('tcpdump: listening on lo')).toBe(0)
    const dumpcap = [
      "Packets received/dropped on interface 'lo': 900/3 (pcap:3/dumpcap:0/flushed:0/ps_ifdrop:0) (100.0%)",
      "Packets received/dropped on interface 'eth0': 50/2 (pcap:2/dumpcap:0/flushed:0/ps_ifdrop:0) (100.0%)",
    ].join('\n')
    expect(droppedOf(dumpcap)).toBe(5)
  })
})
