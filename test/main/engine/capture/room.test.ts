/**
 * The engine's capture (Linux, root, tcpdump): it captures the owner's lab ports, restarts when a
 * socket opens on a new port, matches packets to the lab sockets by 4-tuple, and stops its child
 * when the owner's last socket closes: no tcpdump is left behind.
 */
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { capturerFor } from '../../../../src/main/engine/capture/capturer'
import { PacketCapture, type LabPacket } from '../../../../src/main/engine/capture/room'
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

describe.skipIf(process.platform !== 'linux' || !root || !tcpdump)(
  'the engine’s capture (Linux, root, tcpdump)',
  () => {
    it('captures the lab’s connection, each packet matched to its lab socket; stops with the last socket', async () => {
      const engine = new SocketEngine(() => undefined)
      const packets: LabPacket[] = []
      try {
        const server = await engine.tcp.listen('o', { host: '127.0.0.1', port: 0, ...listenDefaults })
        const port = server.local!.port
        const status = await engine.capture.capture('o', { iface: 'lo' }, (p) => packets.push(p))
        expect(status).toMatchObject({ capturing: true, tool: 'tcpdump', interfaces: ['lo'] })
        expect(status.capturing && status.filter).toContain(`port ${port}`)
        const client = engine.tcp.connect('o', { host: '127.0.0.1', port, timeoutMs: 2000 })
        await until(() => engine.list('o').some((i) => i.kind === 'tcp-conn'), 3000)
        await until(() => packets.some((p) => p.packet.tcp?.flags.join() === 'SYN,ACK'), 5000)
        const conn = engine.list('o').find((i) => i.kind === 'tcp-conn')!
        // Once the tuple is known (after connect), a segment belongs to the client or to the
        // connection accepted (the same tuple reversed); the handshake's first packets can arrive
        // before it is, and are then the server's, by its port.
        await until(() => engine.list('o').some((i) => i.id === client.id && i.local), 3000)
        engine.tcp.send('o', { id: client.id, data: 'hello', encoding: 'utf-8' })
        await until(() => packets.some((p) => p.packet.len === 5), 5000)
        const data = packets.filter((p) => p.packet.len === 5)
        for (const p of data) expect([client.id, conn.id]).toContain(p.socket)
        const owners = new Set(packets.filter((p) => p.packet.proto === 'tcp').map((p) => p.socket))
        expect([...owners].every((o) => o === client.id || o === conn.id || o === server.id)).toBe(true)
        expect(capturers(port)).toHaveLength(1)
        // the owner's last socket closed: the capturer goes
        await engine.closeOwner('o')
        await until(() => !engine.capture.capturing('o') && capturers(port).length === 0, 5000)
      } finally {
        await engine.closeAll()
      }
    }, 20_000)

    it('a socket on a new port restarts the capture with it in the filter; quit stops it', async () => {
      const engine = new SocketEngine(() => undefined)
      try {
        const a = await engine.udp.bind('o', { host: '127.0.0.1', port: 0 })
        await engine.capture.capture('o', { iface: 'lo' }, () => undefined)
        const b = await engine.udp.bind('o', { host: '127.0.0.1', port: 0 })
        await until(() => capturers(b.local!.port).length === 1, 5000)
        expect(capturers(a.local!.port)).toHaveLength(1) // the same tcpdump has both ports
        await engine.closeAll()
        await until(() => capturers(b.local!.port).length === 0, 5000)
      } finally {
        await engine.closeAll()
      }
    }, 20_000)
  },
)

describe('the capture’s bounds (a stand-in capturer)', () => {
  it('lists at most PACKETS_PER_INTERVAL packets an interval and counts the rest; a refused capture says why', async () => {
    // a capturer that hands over 2,000 packets at once
    const data = new Uint8Array(60)
    const fake = ((_spec: unknown, onRecord: (r: never) => void) => {
      const ready = Promise.resolve({ tool: 'fake', interfaces: ['lo'], filter: '' })
      setTimeout(() => {
        for (let n = 1; n <= 2000; n++)
          onRecord({ n, linkType: 1, iface: 0, sec: 0, nsec: 0, data, origLen: 60 } as never)
      }, 0)
      return { ready, stop: () => Promise.resolve(), ended: new Promise(() => undefined) }
    }) as never
    const room = new PacketCapture(() => [], fake)
    let listed = 0
    let counted = 0
    await room.capture(
      'o',
      {},
      () => listed++,
      (n) => (counted += n),
    )
    await until(() => listed + counted === 2000, 3000)
    expect(listed).toBe(500)
    await room.stopAll()
    const refused = new PacketCapture(() => [], (() => ({
      ready: new Promise(() => undefined),
      stop: () => Promise.resolve(),
      ended: Promise.resolve({ refusal: 'not-permitted', message: 'socket: Operation not permitted' }),
    })) as never)
    expect(await refused.capture('o', {}, () => undefined)).toEqual({
      capturing: false,
      refusal: 'not-permitted',
      message: 'socket: Operation not permitted',
    })
    expect(refused.capturing('o')).toBe(false)
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
