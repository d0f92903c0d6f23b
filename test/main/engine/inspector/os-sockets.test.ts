/**
 * The OS socket table: parsers on recorded samples of each platform's format (Linux recorded on
 * this machine; macOS and Windows written from the documented formats), and live on Linux the
 * states the course teaches: TIME_WAIT on the side that closed first, CLOSE_WAIT on the side that
 * read EOF and has not closed.
 */
import { readFileSync } from 'node:fs'
import net from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import type { OsSocket } from '../../../../src/shared/contract'
import {
  fromProc,
  parseNetstatBsd,
  parseNetstatWindows,
  readOsSockets,
} from '../../../../src/main/engine/inspector/os-sockets'
import { createHarness, listenDefaults } from '../../../support/engine-harness'

const fixture = (name: string): string => readFileSync(`test/fixtures/${name}`, 'utf8')
const find = (rows: OsSocket[], local: string, remote?: string) =>
  rows.filter(
    (r) =>
      `${r.local.address}:${r.local.port}` === local && (!remote || `${r.remote.address}:${r.remote.port}` === remote),
  )

describe('parsers', () => {
  it('Linux /proc/net/{tcp,tcp6,udp,udp6} (recorded here)', () => {
    const rows = fromProc({
      tcp: fixture('proc-net-tcp.txt'),
      tcp6: fixture('proc-net-tcp6.txt'),
      udp: fixture('proc-net-udp.txt'),
      udp6: fixture('proc-net-udp6.txt'),
    })
    expect(find(rows, '127.0.0.1:18001', '0.0.0.0:0')[0]).toMatchObject({ proto: 'tcp', state: 'LISTEN' })
    expect(find(rows, '127.0.0.1:18001', '127.0.0.1:36236')[0]).toMatchObject({ state: 'ESTABLISHED', recvQ: 12 })
    expect(find(rows, '127.0.0.1:18001', '127.0.0.1:36248')[0]!.state).toBe('CLOSE_WAIT')
    expect(find(rows, '127.0.0.1:36248', '127.0.0.1:18001')[0]!.state).toBe('FIN_WAIT2')
    expect(find(rows, '127.0.0.1:36262', '127.0.0.1:18001')[0]!.state).toBe('TIME_WAIT')
    expect(find(rows, '::1:18006')[0]).toMatchObject({ family: 'IPv6', state: 'LISTEN' })
    expect(find(rows, '127.0.0.1:18999')[0]).toMatchObject({ proto: 'udp', state: 'UNCONN' })
    expect(find(rows, '::1:18999', '::1:18998')[0]).toMatchObject({ proto: 'udp', state: 'CONNECTED' })
  })

  it('macOS netstat -an (written from the format netstat(1) documents)', () => {
    const rows = parseNetstatBsd(fixture('netstat-an-macos.txt'))
    expect(rows).toHaveLength(14) // the multipath and UNIX-domain sections are not rows
    expect(find(rows, '127.0.0.1:52311', '127.0.0.1:8001')[0]).toMatchObject({ recvQ: 12, sendQ: 0 })
    expect(find(rows, '127.0.0.1:52280', '127.0.0.1:8001')[0]!.state).toBe('FIN_WAIT2')
    expect(find(rows, '127.0.0.1:8002', '127.0.0.1:52500')[0]!.state).toBe('SYN_RECV')
    expect(find(rows, '0.0.0.0:8001', '0.0.0.0:0')[0]!.state).toBe('LISTEN')
    expect(find(rows, '::1:9000', '::1:60001')[0]).toMatchObject({ family: 'IPv6', state: 'ESTABLISHED' })
    expect(find(rows, 'fe80::1%lo0:7000')[0]!.state).toBe('LAST_ACK') // the scope kept: which interface
    expect(find(rows, ':::8080')[0]).toMatchObject({ family: 'IPv6', state: 'LISTEN' })
    expect(find(rows, '127.0.0.1:50000', '127.0.0.1:9999')[0]).toMatchObject({ proto: 'udp', state: 'CONNECTED' })
  })

  it('Windows netstat -ano (written from the documented format), with PIDs and no queues', () => {
    const rows = parseNetstatWindows(fixture('netstat-ano-windows.txt'))
    expect(rows).toHaveLength(15)
    expect(find(rows, '0.0.0.0:8001')[0]).toMatchObject({ state: 'LISTEN', pid: 7312, recvQ: null })
    expect(find(rows, '127.0.0.1:52280', '127.0.0.1:8001')[0]!.state).toBe('FIN_WAIT2')
    expect(find(rows, '127.0.0.1:8002')[0]!.state).toBe('SYN_RECV')
    expect(find(rows, '::1:9000', '::1:60001')[0]).toMatchObject({ family: 'IPv6', state: 'ESTABLISHED' })
    expect(find(rows, 'fe80::1%12:7000')[0]!.state).toBe('LAST_ACK') // the scope kept: which interface
    expect(find(rows, '127.0.0.1:9999')[0]).toMatchObject({ proto: 'udp', state: 'UNCONN', pid: 7312 })
  })
})

describe.skipIf(process.platform !== 'linux')('live, on Linux', () => {
  let h = createHarness()
  afterEach(async () => {
    await h.engine.closeAll()
    h = createHarness()
  })

  async function pair() {
    const server = await h.engine.tcp.listen('o', { ...listenDefaults, host: '127.0.0.1', port: 0 })
    const client = h.engine.tcp.connect('o', { host: '127.0.0.1', port: server.local!.port, timeoutMs: 5000 })
    const c = await h.waitKind(client.id, 'connect')
    const conn = (await h.waitKind(server.id, 'connection')).conn
    return { server, client, conn, local: `127.0.0.1:${c.local.port}`, port: server.local!.port }
  }

  const rowsOf = async (id: string, all = false) =>
    (await h.engine.inspector.osSockets('o', all)).rows.filter((r) => r.lab === id)

  it('reads /proc/net cheaply and marks only the owner’s sockets', async () => {
    const { server, client, conn } = await pair()
    const table = await h.engine.inspector.osSockets('o', false)
    expect(table.source).toBe('/proc/net')
    expect(table.costMs).toBeLessThan(50)
    expect(table.rows.map((r) => r.lab).sort()).toEqual([conn, client.id, server.id].sort())
    expect(table.rows.every((r) => !r.peerOf)).toBe(true) // both ends are the lab’s own
    expect(table.rows.find((r) => r.lab === server.id)!.state).toBe('LISTEN')
    expect((await h.engine.inspector.osSockets('other', false)).rows).toEqual([])
    // `all`: every socket of the machine, a listener that is not the lab's among them.
    const other = net.createServer()
    await new Promise<void>((r) => other.listen(0, '127.0.0.1', r))
    const otherPort = (other.address() as net.AddressInfo).port
    try {
      const all = await h.engine.inspector.osSockets('o', true)
      expect(all.rows.some((r) => r.local.port === otherPort && r.state === 'LISTEN' && !r.lab)).toBe(true)
      const mine = await h.engine.inspector.osSockets('o', false)
      expect(mine.rows.some((r) => r.local.port === otherPort)).toBe(false)
    } finally {
      await new Promise((r) => other.close(r))
    }
  })

  it('a connection closed by the client first: TIME_WAIT on the client’s tuple, still marked as the lab’s', async () => {
    const { client, conn } = await pair()
    h.engine.close('o', client.id) // FIN from the client; the server side reads EOF...
    await h.waitKind(conn, 'end')
    h.engine.close('o', conn) // ...and closes too
    await h.waitKind(conn, 'close')
    await expect.poll(async () => (await rowsOf(client.id))[0]?.state).toBe('TIME_WAIT')
    expect(await rowsOf(conn)).toEqual([]) // the passive closer leaves no row
  })

  it('a peer that half-closes leaves the lab side in CLOSE_WAIT until it closes', async () => {
    const { port } = await pair()
    // a plain peer (not a lab socket) connects and half-closes
    const peer = net.connect(port, '127.0.0.1')
    await new Promise((r) => peer.once('connect', r))
    const accepted = await h.waitFor((e) => e.kind === 'connection' && e.remote.port === peer.localPort)
    const conn = (accepted as { conn: string }).conn
    peer.end()
    await h.waitKind(conn, 'end')
    await expect.poll(async () => (await rowsOf(conn))[0]?.state).toBe('CLOSE_WAIT')
    // the peer's own row is shown too, as the other end of the lab connection
    const other = (await h.engine.inspector.osSockets('o', false)).rows.find((r) => r.peerOf === conn)
    expect(other).toMatchObject({ state: 'FIN_WAIT2', local: { port: peer.localPort } })
    h.engine.close('o', conn)
    await h.waitKind(conn, 'close')
    await expect.poll(async () => (await rowsOf(conn)).length).toBe(0)
    peer.destroy()
  })

  it('the real table has no surprises: every TCP state is one of the course’s names', async () => {
    await pair() // at least a listener and an established connection to read
    const { rows } = await readOsSockets()
    const known = ['LISTEN', 'SYN_SENT', 'SYN_RECV', 'ESTABLISHED', 'FIN_WAIT1', 'FIN_WAIT2', 'CLOSE_WAIT']
    known.push('LAST_ACK', 'TIME_WAIT', 'CLOSING', 'CLOSE')
    const tcp = rows.filter((x) => x.proto === 'tcp')
    expect(tcp.length).toBeGreaterThanOrEqual(3) // the loop below asserts something
    for (const r of tcp) expect(known).toContain(r.state)
  })
})

describe('macOS 27: netstat shows a process that is not root only its own user’s sockets', () => {
  it('the table is marked partial there, and only there', async () => {
    const { ownSocketsOnly } = await import('../../../../src/main/engine/inspector/os-sockets')
    expect(ownSocketsOnly('26.0.0', 501)).toBe(true) // macOS 27, a user
    expect(ownSocketsOnly('26.0.0', 0)).toBe(false) // as root: every socket
    expect(ownSocketsOnly('25.2.0', 501)).toBe(false) // macOS 26
  })
})

describe('macOS netstat', () => {
  it('asks for IPv6 addresses whole (-l) on macOS only: elsewhere -l means the listen queues', async () => {
    const { bsdNetstatArgs } = await import('../../../../src/main/engine/inspector/os-sockets')
    expect(bsdNetstatArgs('darwin')).toEqual(['-anl'])
    expect(bsdNetstatArgs('freebsd')).toEqual(['-an'])
  })
})
