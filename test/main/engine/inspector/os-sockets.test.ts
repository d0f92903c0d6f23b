/**
 * The OS socket table: parsers on recorded samples of each platform's format (Linux recorded on
 * this machine; macOS and Windows written from the documented formats), and live on Linux the
 * states the course teaches: TIME_WAIT on the side that closed first, CLOSE_WAIT on the side that
 * read EOF and has not closed.
 */
import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import net from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import type { OsSocket } from '../../../../src/shared/contract'
import {
  fromProc,
  parseNetstatBsd,
  parseNetstatWindows,
  labInodes,
  readOsSockets,
} from '../../../../src/main/engine/inspector/os-sockets'
import { createHarness, listenDefaults } from '../../../support/engine-harness'
import { within } from '../../../support/until'
import { recordedMachine } from '../../../support/recorded-machine'

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

describe.skipIf(process.platform !== 'linux')('labInodes: which process holds a socket, on Linux', () => {
  // A child named like Socket Lab listens, and starts a grandchild (the accept helper's place)
  // that listens too; both print their ports, then wait for their standard input to end.
  const WAIT = "process.stdin.on('end',()=>process.exit());process.stdin.resume();"
  const GRANDCHILD = `const s=require('net').createServer().listen(0,'127.0.0.1',()=>console.log(s.address().port));${WAIT}`
  const CHILD = `const net=require('net'),cp=require('child_process');
const s=net.createServer().listen(0,'127.0.0.1',()=>{
  const g=cp.spawn(process.execPath,['-e',${JSON.stringify(GRANDCHILD)}],{stdio:['pipe','pipe','inherit']});
  g.stdout.once('data',(d)=>console.log(s.address().port+' '+String(d).trim()+' '+g.pid));
  process.stdin.on('end',()=>{g.stdin.end();process.exit()});process.stdin.resume();
})`

  it('maps the inodes of a Socket Lab process and its children to their pids; the caller’s own are left out', async () => {
    const child = spawn(process.execPath, ['-e', CHILD, 'socket-lab-probe'], { stdio: ['pipe', 'pipe', 'inherit'] })
    let out = ''
    child.stdout.on('data', (d: Buffer) => (out += d.toString()))
    try {
      await within(
        new Promise((r) => child.stdout.on('data', () => out.includes('\n') && r(null))),
        10_000,
        () => `the probe printed "${out}"`,
      )
      const [childPort, grandPort, grandPid] = out.trim().split(' ').map(Number) as [number, number, number]
      const rows = fromProc({ tcp: readFileSync('/proc/net/tcp', 'utf8') }, new Set([childPort, grandPort]))
      const inodeOf = (port: number): number => rows.find((r) => r.local.port === port && r.state === 'LISTEN')!.inode!
      const lab = await labInodes()
      expect(lab.get(inodeOf(childPort))).toBe(child.pid)
      expect(lab.get(inodeOf(grandPort))).toBe(grandPid)
      // asked from inside the lab process, its own sockets (and so its children's) are not listed
      const fromChild = await labInodes(child.pid)
      expect(fromChild.has(inodeOf(childPort))).toBe(false)
      expect(fromChild.has(inodeOf(grandPort))).toBe(false)
      // this test's own listener is no lab process's
      const own = net.createServer()
      await new Promise<void>((r) => own.listen(0, '127.0.0.1', r))
      const ownPort = (own.address() as net.AddressInfo).port
      const ownRow = fromProc({ tcp: readFileSync('/proc/net/tcp', 'utf8') }, new Set([ownPort]))[0]!
      expect(lab.size).toBeGreaterThanOrEqual(2)
      expect((await labInodes()).has(ownRow.inode!)).toBe(false)
      await new Promise((r) => own.close(r))
    } finally {
      child.stdin.end()
      await within(
        new Promise((r) => (child.exitCode !== null ? r(null) : child.once('exit', r))),
        5000,
        'the probe’s exit',
      )
    }
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

describe('BSD rows, field by field', () => {
  it('wildcards, indented lines, UDP state from the foreign address, and lines that are not rows', () => {
    const text = [
      '   tcp46      0      0  *.8080                 *.*                    LISTEN     ', // indented
      'udp6       0      0  *.5353                 *.*                               ',
      'udp4       3      1  127.0.0.1.50000        127.0.0.1.*                       ',
      'tcp4       0      0  127.0.0.1.7000         127.0.0.1.7001',
      'xtcp4      0      0  127.0.0.1.9            127.0.0.1.10           ESTABLISHED', // not a protocol
      'tcp45      0      0  127.0.0.1.9            127.0.0.1.10           ESTABLISHED',
      'tcp4       0      0  127.0.0.1.9', // too short
    ].join('\n')
    expect(parseNetstatBsd(text)).toEqual([
      {
        proto: 'tcp',
        family: 'IPv6',
        local: { address: '::', port: 8080 },
        remote: { address: '::', port: 0 },
        state: 'LISTEN',
        sendQ: 0,
        recvQ: 0,
      },
      {
        proto: 'udp',
        family: 'IPv6',
        local: { address: '::', port: 5353 },
        remote: { address: '::', port: 0 },
        state: 'UNCONN',
        sendQ: 0,
        recvQ: 0,
      },
      {
        proto: 'udp',
        family: 'IPv4',
        local: { address: '127.0.0.1', port: 50000 },
        remote: { address: '127.0.0.1', port: 0 },
        state: 'CONNECTED',
        sendQ: 1,
        recvQ: 3,
      },
      {
        proto: 'tcp',
        family: 'IPv4',
        local: { address: '127.0.0.1', port: 7000 },
        remote: { address: '127.0.0.1', port: 7001 },
        state: 'CLOSE',
        sendQ: 0,
        recvQ: 0,
      },
    ])
  })
})

describe('/proc/net rows', () => {
  it('keep the socket’s inode (how the CLI finds a lab process’s sockets); a table not read is skipped', () => {
    const rows = fromProc({ tcp: undefined, udp: fixture('proc-net-udp.txt') })
    expect(rows.length).toBeGreaterThan(0)
    expect(
      rows.every((r) => r.proto === 'udp' && r.family === 'IPv4' && Number.isInteger(r.inode) && r.inode! > 0),
    ).toBe(true)
    expect(rows.every((r) => !('pid' in r))).toBe(true) // /proc/net names no process
  })
})

describe('readOsSockets: which source each platform reads, with a recorded machine’s output', () => {
  const sample = (f: string): Buffer => readFileSync(`test/fixtures/netstat-samples/${f}`)
  /** A machine that answers netstat and chcp from recordings, and remembers what was asked. */

  it('macOS: netstat -anl, every row, no code page asked', async () => {
    const m = recordedMachine({ 'netstat -anl': sample('macos-netstat-an-1.txt') })
    const t = await readOsSockets('darwin', new Set([1]), undefined, m.runner)
    expect(t.source).toBe('netstat -an')
    expect(m.asked).toEqual(['netstat -anl'])
    expect(t.rows).toEqual(parseNetstatBsd(sample('macos-netstat-an-1.txt').toString('utf8')))
    expect(t.rows.length).toBeGreaterThan(5)
  })

  it('FreeBSD and OpenBSD: netstat -an (no -l there)', async () => {
    for (const platform of ['freebsd', 'openbsd']) {
      const m = recordedMachine({ 'netstat -an': sample('macos-netstat-an-1.txt') })
      const t = await readOsSockets(platform, undefined, undefined, m.runner)
      expect(t).toMatchObject({ source: 'netstat -an' })
      expect(t.rows.length).toBeGreaterThan(5)
      expect(t.partial).toBeUndefined()
    }
  })

  it('Windows: netstat -ano decoded in the console’s code page that chcp names (German, CP850)', async () => {
    const m = recordedMachine({
      'netstat -ano': sample('windows-de-4.cp850.txt'),
      'cmd /d /c chcp': Buffer.from('Aktive Codepage: 850.\r\n', 'latin1'),
    })
    const t = await readOsSockets('win32', undefined, undefined, m.runner)
    expect(t.source).toBe('netstat -ano')
    expect(m.asked.sort()).toEqual(['cmd /d /c chcp', 'netstat -ano'])
    expect(t.rows).toEqual(parseNetstatWindows(sample('windows-de-4.txt').toString('utf8')))
    expect(t.rows.find((r) => r.local.port === 135)).toMatchObject({ state: 'LISTEN', pid: 624 })
  })

  it('Windows: a chcp that fails or names no number leaves the code page to be guessed', async () => {
    const { consoleCodePage } = await import('../../../../src/main/engine/inspector/os-sockets')
    expect(
      await consoleCodePage(recordedMachine({ 'cmd /d /c chcp': Buffer.from('Active code page: 936\r\n') }).runner),
    ).toBe(936)
    expect(
      await consoleCodePage(recordedMachine({ 'cmd /d /c chcp': Buffer.from('Page de codes active : 1252.') }).runner),
    ).toBe(1252)
    expect(
      await consoleCodePage(recordedMachine({ 'cmd /d /c chcp': Buffer.from('no number') }).runner),
    ).toBeUndefined()
    expect(await consoleCodePage(recordedMachine({ 'cmd /d /c chcp': new Error('ENOENT') }).runner)).toBeUndefined()
  })

  it('the cost is the reading’s own time', async () => {
    const m = recordedMachine({ 'netstat -anl': sample('macos-netstat-an-1.txt') })
    const { costMs } = await readOsSockets('darwin', undefined, undefined, m.runner)
    expect(costMs).toBeGreaterThanOrEqual(0)
    expect(costMs).toBeLessThan(5000)
  })

  it('a platform with no known source: none, no command run', async () => {
    const m = recordedMachine({})
    const t = await readOsSockets('aix', undefined, undefined, m.runner)
    expect(t).toMatchObject({ source: 'none', rows: [] })
    expect(m.asked).toEqual([])
  })
})

describe('names', () => {
  it('states: each OS’s spelling to the course’s Linux name', async () => {
    const { normalizeState } = await import('../../../../src/main/engine/inspector/os-sockets')
    const cases: [string, string][] = [
      ['LISTENING', 'LISTEN'],
      ['SYN_RECEIVED', 'SYN_RECV'],
      ['SYN_RCVD', 'SYN_RECV'],
      ['NEW_SYN_RECV', 'SYN_RECV'],
      ['FIN_WAIT_1', 'FIN_WAIT1'],
      ['FIN_WAIT_2', 'FIN_WAIT2'],
      ['CLOSED', 'CLOSE'],
      ['TIME_WAIT', 'TIME_WAIT'],
    ]
    for (const [word, name] of cases) expect(normalizeState(word), word).toBe(name)
  })

  it('a Socket Lab process by its command line: the app under any of its names, the CLI, the preview', async () => {
    const { LAB_PROCESS } = await import('../../../../src/main/engine/inspector/os-sockets')
    const lab = [
      '/opt/Socket Lab/socket-lab --type=utility',
      'C:\\Program Files\\Socket Lab\\Socket Lab.exe',
      '/usr/bin/socketlab',
      'socket_lab',
      'node node_modules/.bin/tsx src/cli/index.ts listen 8001',
      'node src\\preview\\serve.ts',
    ]
    const others = ['python3 server.py', 'node src/cli.ts', 'node srcXcli/index.ts', 'node src/cliX', 'socket--lab']
    for (const cmd of lab) expect(LAB_PROCESS.test(cmd), cmd).toBe(true)
    for (const cmd of others) expect(LAB_PROCESS.test(cmd), cmd).toBe(false)
  })
})
