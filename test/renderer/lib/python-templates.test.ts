/**
 * Every Python program the code view shows, run, against the engine: each server template (every
 * mode, both encodings, every reply) talked to by the engine's TCP client, each client template run
 * against an engine server in the matching mode and encoding (the HTTP client against Python's own
 * web server), and what each side received checked in the encoding the template uses.
 */
import { spawn } from 'node:child_process'
import { mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import iconv from 'iconv-lite'
import { afterEach, describe, expect, it } from 'vitest'
import { CERT_FILE, pythonCode, type CodeRole } from '../../../src/renderer/src/lib/python-code'
import type { LabEvent } from '../../../src/shared/contract'
import { createHarness, listenDefaults } from '../../support/engine-harness'
import { freePort } from '../../support/ports'
import { opensslCert } from '../../support/certs'
import { PYTHON, PYTHON_ENV, startPython, startHttpServer } from '../../support/python'
import { until } from '../../support/until'

type Enc = 'utf-8' | 'gbk'
const ENCS: Enc[] = ['utf-8', 'gbk']
const dec = (b: Buffer, enc: Enc): string => iconv.decode(b, enc)
const src = (role: CodeRole, port: number, extra: Record<string, unknown> = {}): string =>
  pythonCode(role, { host: '127.0.0.1', port, backlog: 5, ...extra })
    .map((l) => l.text)
    .join('\n')

let h = createHarness()
const stops: (() => void)[] = []
afterEach(async () => {
  for (const s of stops.splice(0)) s()
  await h.engine.closeAll()
  h = createHarness()
})

/** The engine's client to a Python server that may still be starting: retried until it connects. */
async function dial(port: number): Promise<string> {
  for (let i = 0; ; i++) {
    const c = h.engine.tcp.connect('o', { host: '127.0.0.1', port, timeoutMs: 2000 })
    const ev = await h.waitFor((e: LabEvent) => e.id === c.id && (e.kind === 'connect' || e.kind === 'close'))
    if (ev.kind === 'connect') return c.id
    if (i > 80) throw new Error(`the Python server on ${port} never took a connection`)
    await new Promise((r) => setTimeout(r, 50))
  }
}
const server = (role: CodeRole, enc: Enc, reply: string) => {
  return freePort().then((port) => {
    const py = startPython(src(role, port, { encoding: enc, reply }))
    stops.push(py.stop)
    return { port, py }
  })
}
const received = (id: string, enc: Enc): string => dec(h.bytesIn(id), enc)

describe('the Python servers the code view shows, run against the engine’s client', () => {
  for (const role of ['plain', 'serial', 'threaded'] as const)
    for (const enc of ENCS)
      for (const reply of ['none', 'echo', 'hello'] as const)
        it(`${role}, ${enc}, reply ${reply}`, async () => {
          const { port, py } = await server(role, enc, reply)
          const c = await dial(port)
          let expected = ''
          if (role === 'threaded') {
            expected = 'Welcome!'
            await h.waitBytes(c, 8)
          }
          h.engine.tcp.send('o', { id: c, data: '小文', encoding: enc })
          // no automatic reply: the teacher types one (the template's input())
          if (reply === 'none') py.child.stdin.write('明威\n')
          expected += reply === 'echo' ? '小文' : reply === 'hello' ? 'Hello, 小文!' : '明威'
          await until(() => received(c, enc) === expected, 8000).catch(() => undefined)
          expect(received(c, enc)).toBe(expected)
          // the course's ending: bye (serial), exit (threaded); plain ends when the client does
          if (role !== 'plain') {
            h.engine.tcp.send('o', { id: c, data: role === 'serial' ? 'bye' : 'exit', encoding: enc })
            await h.waitKind(c, 'end', 8000)
          }
        })

  for (const enc of ENCS)
    it(`room, ${enc}: a nickname, and what one member says reaches the other`, { timeout: 15_000 }, async () => {
      const { port } = await server('room', enc, 'none')
      const a = await dial(port)
      const b = await dial(port)
      h.engine.tcp.send('o', { id: a, data: '/nick 甲', encoding: enc })
      // the room says nothing on joining: a speaks until b, whose thread may still be starting, hears
      for (let i = 0; i < 40 && !received(b, enc).includes('甲: 你好\n'); i++) {
        await new Promise((r) => setTimeout(r, 100))
        if (i % 5 === 0) h.engine.tcp.send('o', { id: a, data: '你好', encoding: enc })
      }
      expect(received(b, enc)).toMatch(/^(甲: 你好\n)+$/)
    })
})

describe('the Python clients the code view shows, run against an engine server', () => {
  async function engineServer(mode: 'serial' | 'threaded', enc: Enc): Promise<number> {
    const s = await h.engine.tcp.listen('o', {
      ...listenDefaults,
      host: '127.0.0.1',
      port: 0,
      mode,
      reply: mode === 'serial' ? 'echo' : 'hello',
      encoding: enc,
    })
    return s.local!.port
  }

  for (const enc of ENCS) {
    it(`client (the 小文 chat), ${enc}: typed lines sent, the echo printed, bye ends it`, async () => {
      const port = await engineServer('serial', enc)
      const py = startPython(src('client', port, { encoding: enc }))
      stops.push(py.stop)
      py.child.stdin.end('你好\nbye\n')
      expect(await py.exited).toBe(0)
      expect(py.output()).toContain('来自服务端的消息: 你好')
      const conn = h.events.find((r) => r.ev.kind === 'connection')!.ev as Extract<LabEvent, { kind: 'connection' }>
      expect(received(conn.conn, enc)).toBe('你好bye')
    })

    it(`threaded client, ${enc}: the welcome and a Hello for each name, then exit`, async () => {
      const port = await engineServer('threaded', enc)
      const py = startPython(src('threaded-client', port, { encoding: enc }))
      stops.push(py.stop)
      expect(await py.exited).toBe(0)
      expect(py.output().trim().split('\n')).toEqual(['Welcome!', 'Hello, Michael!', 'Hello, Tracy!', 'Hello, Sarah!'])
    })
  }

  it('the HTTP client, against Python’s own web server: the header printed, the page saved', async () => {
    const web = await startHttpServer('<h1>小文</h1>')
    const dir = await mkdtemp(join(tmpdir(), 'lab-http-client-'))
    try {
      // the request as the panel sends it: the Host line with the port, a path
      const request = `GET /index.html HTTP/1.1\r\nHost: 127.0.0.1:${web.port}\r\nConnection: close\r\n\r\n`
      const child = spawn(PYTHON, ['-c', src('http', web.port, { request })], {
        cwd: dir,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: PYTHON_ENV,
      })
      let out = ''
      child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d))
      expect(await new Promise((r) => child.on('close', r))).toBe(0)
      expect(out).toMatch(/^HTTP\/1\.[01] 200 OK/)
      expect(await readFile(join(dir, 'index.html'), 'utf8')).toBe('<h1>小文</h1>')
    } finally {
      await web.stop()
      await rm(dir, { recursive: true, force: true })
    }
  })
})

describe('the UDP and backlog demos’ Python, run against the engine', () => {
  it('the UDP socket with echo: a datagram from the engine comes back whole, from the port it was bound to', async () => {
    const port = await freePort()
    const py = startPython(src('udp', port, { echo: true, broadcast: true }))
    stops.push(py.stop)
    const u = await h.engine.udp.bind('o', { host: '127.0.0.1', port: 0 })
    // the Python socket may still be starting: sent again until the echo comes
    for (let i = 0; i < 80 && !h.events.some((e) => e.ev.kind === 'data' && e.ev.id === u.id); i++) {
      await h.engine.udp.send('o', { id: u.id, host: '127.0.0.1', port, data: '你好 UDP', encoding: 'utf-8' })
      await new Promise((r) => setTimeout(r, 50))
    }
    const echo = await h.waitFor((e: LabEvent) => e.kind === 'data' && e.id === u.id)
    expect(echo.kind === 'data' && echo.from?.port).toBe(port)
    expect(dec(h.bytesIn(u.id), 'utf-8')).toMatch(/^(你好 UDP)+$/)
  })

  it('the backlog demo’s serial server: one client served (its message echoed), the next waits until it is done', async () => {
    const port = await freePort()
    const py = startPython(src('backlog', port, { backlog: 2, reply: 'echo', serveMs: 300 }))
    stops.push(py.stop)
    const a = await dial(port)
    await h.engine.tcp.sendBytes('o', a, Buffer.from('A'))
    const b = h.engine.tcp.connect('o', { host: '127.0.0.1', port, timeoutMs: 2000 })
    await h.waitFor((e: LabEvent) => e.id === b.id && e.kind === 'connect') // in the kernel's queue
    await h.engine.tcp.sendBytes('o', b.id, Buffer.from('B'))
    await until(() => received(a, 'utf-8') === 'A', 3000)
    expect(received(b.id, 'utf-8')).toBe('') // not accepted yet: the first is being served
    await h.waitFor((e: LabEvent) => e.id === a && e.kind === 'end') // served 0.3 s, then closed
    await until(() => received(b.id, 'utf-8') === 'B', 3000)
  })
})

describe('the TLS versions the code view shows, run against the engine', () => {
  it('the threaded client over TLS verifies the engine’s TLS server with the certificate saved from the app', async () => {
    const s = await h.engine.tcp.listen('o', {
      host: '127.0.0.1',
      port: 0,
      ...listenDefaults,
      mode: 'threaded',
      reply: 'hello',
      tls: {},
    })
    const dir = await mkdtemp(join(tmpdir(), 'py-tls-'))
    try {
      await writeFile(join(dir, CERT_FILE), (await h.engine.certs.get()).certPem)
      const py = spawn(PYTHON, ['-c', src('threaded-client', s.local!.port, { tls: true })], {
        cwd: dir,
        env: PYTHON_ENV,
      })
      let out = ''
      let err = ''
      py.stdout.on('data', (d: Buffer) => (out += d))
      py.stderr.on('data', (d: Buffer) => (err += d))
      expect(await new Promise((r) => py.on('exit', r))).toBe(0)
      expect(err).toBe('')
      expect(out.split(/\r?\n/).filter(Boolean)).toEqual([
        'Welcome!',
        'Hello, Michael!',
        'Hello, Tracy!',
        'Hello, Sarah!',
      ])
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('the threaded server over TLS (a certificate of its own from openssl req) talked to by the engine’s verifying client', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'py-tls-'))
    try {
      opensslCert(dir, 'cert', 'IP:127.0.0.1')
      await rename(join(dir, 'cert.key'), join(dir, 'key.pem'))
      const port = await freePort()
      const py = spawn(PYTHON, ['-c', src('threaded', port, { tls: true, reply: 'hello' })], {
        cwd: dir,
        env: PYTHON_ENV,
      })
      stops.push(() => py.kill())
      const ca = await readFile(join(dir, 'cert.pem'), 'utf8')
      let id = ''
      for (let i = 0; i < 80 && !id; i++) {
        const c = h.engine.tcp.connect('o', { host: '127.0.0.1', port, timeoutMs: 2000, tls: { trust: 'ca', ca } })
        const ev = await h.waitFor((e: LabEvent) => e.id === c.id && (e.kind === 'tls' || e.kind === 'close'))
        if (ev.kind === 'tls') id = c.id
        else await new Promise((r) => setTimeout(r, 50))
      }
      expect(h.of(id, 'tls')[0]).toMatchObject({ authorized: true })
      h.engine.tcp.send('o', { id, data: '小文', encoding: 'utf-8' })
      await until(() => received(id, 'utf-8').includes('Hello, 小文!'), 5000)
      expect(received(id, 'utf-8')).toBe('Welcome!Hello, 小文!')
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})
