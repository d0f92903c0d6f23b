/**
 * The engine against real peers written the way the course writes them (Python `socket`).
 */
import http from 'node:http'
import { listenQueue } from '../../../src/main/engine/inspector/proc-net'
import { afterEach, describe, expect, it } from 'vitest'
import { httpGetRequest, splitHttp } from '../../../src/shared/http'
import { createHarness } from '../../support/engine-harness'
import { runPython, startHttpServer, startPython } from '../../support/python'

let h = createHarness()
afterEach(async () => {
  await h.engine.closeAll()
  h = createHarness()
})

const listen = (
  mode: 'serial' | 'threaded' | 'room',
  reply: 'none' | 'echo' | 'hello',
  encoding: 'utf-8' | 'gbk' = 'utf-8',
) => h.engine.tcp.listen('o', { host: '127.0.0.1', port: 0, backlog: 5, mode, reply, encoding })

// The course's threaded-server client: read the welcome, send names, send exit.
const THREADED_CLIENT = `
import socket, sys
enc = sys.argv[2]
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.connect(('127.0.0.1', int(sys.argv[1])))
print(s.recv(1024).decode(enc))
for data in ['Michael', '小文', 'Sarah']:
    s.send(data.encode(enc))
    print(s.recv(1024).decode(enc))
s.send(b'exit')
print('eof' if s.recv(1024) == b'' else 'more')
s.close()
`

describe('threaded mode with a Python client', () => {
  for (const enc of ['utf-8', 'gbk'] as const) {
    it(`welcomes, answers Hello, <name>! and closes on exit (${enc})`, async () => {
      const s = await listen('threaded', 'hello', enc)
      const r = await runPython(THREADED_CLIENT, [String(s.local!.port), enc])
      expect(r.stderr).toBe('')
      expect(r.stdout.trim().split('\n')).toEqual([
        'Welcome!',
        'Hello, Michael!',
        'Hello, 小文!',
        'Hello, Sarah!',
        'eof',
      ])
      // the first name is the connection's name on the teacher's screen; the ones after it are
      // data the client sends (seed 001), not a rename each
      const names = h.events.filter((e) => e.ev.kind === 'name').map((e) => (e.ev as { name: string }).name)
      expect(names).toEqual(['Michael'])
    })
  }

  it('serves 30 Python clients at once', async () => {
    const s = await listen('threaded', 'hello')
    const runs = await Promise.all(
      Array.from({ length: 30 }, () => runPython(THREADED_CLIENT, [String(s.local!.port), 'utf-8'])),
    )
    for (const r of runs) expect(r.stdout.trim().split('\n').at(-1)).toBe('eof')
    expect(h.events.filter((e) => e.ev.kind === 'connection')).toHaveLength(30)
  })
})

describe('serial mode: one conversation at a time, "bye" ends it', () => {
  it('serves the second client only after the first says bye, losing nothing it sent', async () => {
    const s = await listen('serial', 'echo')
    const port = String(s.local!.port)
    const first = startPython(
      `import socket, sys
c = socket.socket(); c.connect(('127.0.0.1', int(sys.argv[1])))
c.send(b'hi from 1'); print(c.recv(1024).decode())
sys.stdin.readline()
c.send(b'bye'); print('eof' if c.recv(1024) == b'' else 'more')`,
      [port],
    )
    expect(await first.firstLine).toBe('hi from 1')
    // The second client connects and sends while the first conversation is still going on.
    const second = startPython(
      `import socket, sys
c = socket.socket(); c.connect(('127.0.0.1', int(sys.argv[1])))
c.send(b'queued hello'); print('sent', flush=True)
print(c.recv(1024).decode())`,
      [port],
    )
    expect(await second.firstLine).toBe('sent')
    await new Promise((r) => setTimeout(r, 200))
    expect(second.output()).toBe('sent\n') // not answered yet: the server is busy with client 1
    if (process.platform === 'linux' && (await h.engine.backlog.mode()).kind === 'kernel') {
      // As with the course's Python server: the second caller waits in the kernel's accept
      // queue (the listening socket's Recv-Q), not accepted by the app.
      expect(listenQueue(s.local!.port)).toBe(1)
      expect(h.events.filter((r) => r.ev.kind === 'connection')).toHaveLength(1)
    }
    first.child.stdin.end('\n')
    expect(await first.exited).toBe(0)
    expect(first.output()).toContain('eof')
    expect(await second.exited).toBe(0)
    expect(second.output()).toBe('sent\nqueued hello\n')
  })
})

describe('room mode', () => {
  it('broadcasts each message to every other member', async () => {
    const s = await listen('room', 'none')
    const port = String(s.local!.port)
    const member = `import socket, sys, time
c = socket.socket(); c.connect(('127.0.0.1', int(sys.argv[1])))
print(c.recv(1024).decode().strip(), flush=True)
sys.stdin.readline()
c.send(sys.argv[2].encode())
c.settimeout(2)
got = b''
try:
    while got.count(b'\\n') < int(sys.argv[3]):
        d = c.recv(1024)
        if not d: break
        got += d
except socket.timeout:
    pass
print(got.decode(), end='')
c.close()`
    const names = ['ann', 'bob', 'cat']
    const procs: ReturnType<typeof startPython>[] = []
    for (const n of names) {
      // each sees the later joins plus the other two messages
      const later = names.length - 1 - names.indexOf(n)
      const p = startPython(member, [port, `${n} says hi`, String(later + 2)])
      expect(await p.firstLine).toMatch(/^Welcome to the room/)
      procs.push(p)
    }
    for (const p of procs) p.child.stdin.end('\n')
    await Promise.all(procs.map((p) => p.exited))
    for (const [i, p] of procs.entries()) {
      const lines = p.output().split('\n').slice(1).filter(Boolean)
      const said = lines.filter((l) => !l.startsWith('*'))
      expect(said.map((l) => l.replace(/^.*: /, '')).sort()).toEqual(
        names
          .filter((_, j) => j !== i)
          .map((n) => `${n} says hi`)
          .sort(),
      )
    }
  })
})

// A room member in the course's style: join, optionally choose a nickname, say one line, then
// read until it has heard `argv[3]` messages of others (lines not starting with '*', the room's
// notices) or two quiet seconds.
const ROOM_MEMBER = `import socket, sys, time
enc = sys.argv[4]
c = socket.socket(); c.connect(('127.0.0.1', int(sys.argv[1])))
print(c.recv(1024).decode(enc).strip(), flush=True)
if sys.argv[5]:
    c.send(('/nick ' + sys.argv[5]).encode(enc)); time.sleep(0.05)
sys.stdin.readline()
c.send(sys.argv[2].encode(enc))
c.settimeout(2)
got = b''
try:
    while sum(1 for l in got.split(b'\\n')[:-1] if not l.startswith(b'*')) < int(sys.argv[3]):
        d = c.recv(1024)
        if not d: break
        got += d
except socket.timeout:
    pass
print(got.decode(enc), end='')
c.close()`

describe('room mode: nicknames, GBK, a class of 30', () => {
  it('names members by /nick, in GBK, and tells the others', async () => {
    const s = await listen('room', 'none', 'gbk')
    const port = String(s.local!.port)
    const a = startPython(ROOM_MEMBER, [port, '大家好', '1', 'gbk', '小文'])
    expect(await a.firstLine).toMatch(/^Welcome to the room, 127\.0\.0\.1:\d+! 0 other\(s\) here/)
    await h.waitFor((e) => e.kind === 'name' && e.name === '小文')
    const b = startPython(ROOM_MEMBER, [port, '你好', '1', 'gbk', '明威'])
    expect(await b.firstLine).toMatch(/1 other\(s\) here/)
    await h.waitFor((e) => e.kind === 'name' && e.name === '明威')
    a.child.stdin.end('\n')
    await new Promise((r) => setTimeout(r, 100))
    b.child.stdin.end('\n')
    await Promise.all([a.exited, b.exited])
    expect(b.output()).toContain('小文: 大家好')
    expect(a.output()).toContain('明威: 你好')
    expect(a.output()).toMatch(/\* 127\.0\.0\.1:\d+ is now 明威/)
    const named = h.events.filter((r) => r.ev.kind === 'name').map((r) => r.ev.id)
    expect(new Set(named).size).toBe(2) // one name per connection
  })

  it('carries 30 Python clients at once: everyone hears everyone', async () => {
    const s = await listen('room', 'none')
    const port = String(s.local!.port)
    const n = 30
    const members = Array.from({ length: n }, (_, i) =>
      startPython(ROOM_MEMBER, [port, `m${i}`, String(n - 1), 'utf-8', '']),
    )
    await Promise.all(members.map((m) => m.firstLine))
    // everyone has joined: now all speak
    for (const m of members) m.child.stdin.end('\n')
    await Promise.all(members.map((m) => m.exited))
    for (const [i, m] of members.entries()) {
      const heard = new Set(
        m
          .output()
          .split('\n')
          .filter((l) => /: m\d+$/.test(l))
          .map((l) => l.split(': ')[1]),
      )
      expect(heard.size, `member ${i} heard ${[...heard].join(',')}`).toBe(n - 1)
      expect(heard.has(`m${i}`)).toBe(false)
    }
  }, 30_000)
})

describe('serial mode in GBK with a Python client (中文 Windows classmates)', () => {
  it('echoes GBK text and ends on bye', async () => {
    const s = await listen('serial', 'echo', 'gbk')
    const r = await runPython(
      `import socket, sys
c = socket.socket(); c.connect(('127.0.0.1', int(sys.argv[1])))
for m in ['你好', '明威']:
    c.send(m.encode('gbk')); print(c.recv(1024).decode('gbk'))
c.send('bye'.encode('gbk')); print('eof' if c.recv(1024) == b'' else 'more')`,
      [String(s.local!.port)],
    )
    expect(r.stderr).toBe('')
    expect(r.stdout.split('\n').filter(Boolean)).toEqual(['你好', '明威', 'eof'])
  })
})

describe('the HTTP preset: GET / over raw TCP, read until recv() returns nothing, split', () => {
  it('fetches a page from Python http.server and splits header from body', async () => {
    const page = '<html><body>新浪首页 — sina.html</body></html>\n'
    const server = await startHttpServer(page)
    const port = server.port
    try {
      const c = h.engine.tcp.connect('o', {
        host: '127.0.0.1',
        port,
        timeoutMs: 5000,
        greeting: httpGetRequest(`127.0.0.1:${port}`),
        capture: true,
      })
      await h.waitKind(c.id, 'end', 10_000)
      const res = splitHttp(Buffer.from(h.engine.tcp.received('o', c.id).data, 'base64'))
      expect(res.status?.code).toBe(200)
      expect(res.head).toMatch(/^HTTP\/1\.0 200 OK\r\n/)
      expect(res.contentLength).toBe(Buffer.byteLength(page))
      expect(Buffer.from(res.body).toString()).toBe(page)
    } finally {
      await server.stop()
    }
  })

  it('de-chunks an HTTP/1.1 chunked response (what many real sites send)', async () => {
    const server = http.createServer((_req, res) => {
      res.write('part one, ')
      setTimeout(() => res.end('part two'), 20)
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    const port = (server.address() as { port: number }).port
    try {
      const c = h.engine.tcp.connect('o', {
        host: '127.0.0.1',
        port,
        timeoutMs: 5000,
        greeting: httpGetRequest('localhost'),
        capture: true,
      })
      await h.waitKind(c.id, 'end')
      const res = splitHttp(Buffer.from(h.engine.tcp.received('o', c.id).data, 'base64'))
      expect(res.chunked).toBe(true)
      expect(Buffer.from(res.body).toString()).toBe('part one, part two')
    } finally {
      server.close()
    }
  })
})

describe('the engine as a client of Python servers', () => {
  it('chats with the course serial server until bye', async () => {
    const server = startPython(`import socket
server = socket.socket(); server.bind(('127.0.0.1', 0)); server.listen(5)
print(server.getsockname()[1], flush=True)
conn, addr = server.accept()
while True:
    data = conn.recv(1024).decode('utf-8')
    if data == 'bye':
        break
    conn.send(('明威说: ' + data).encode('utf-8'))
conn.close(); server.close()`)
    const port = Number(await server.firstLine)
    const c = h.engine.tcp.connect('o', { host: '127.0.0.1', port, timeoutMs: 5000 })
    await h.waitKind(c.id, 'connect')
    h.engine.tcp.send('o', { id: c.id, data: '你好', encoding: 'utf-8' })
    const reply = Buffer.from('明威说: 你好')
    expect((await h.waitBytes(c.id, reply.length)).toString()).toBe('明威说: 你好')
    h.engine.tcp.send('o', { id: c.id, data: 'bye', encoding: 'utf-8' })
    await h.waitKind(c.id, 'end')
    expect(await server.exited).toBe(0)
  })

  it('times out (ETIMEDOUT) against a listener whose accept queue is full', async () => {
    // listen(0) and never accept: Linux queues one connection and then drops further SYNs.
    const server = startPython(`import socket, sys, time
s = socket.socket(); s.bind(('127.0.0.1', 0)); s.listen(0)
print(s.getsockname()[1], flush=True)
fill = []
for _ in range(3):
    try:
        fill.append(socket.create_connection(('127.0.0.1', s.getsockname()[1]), timeout=0.3))
    except OSError:
        pass
print('full', len(fill), flush=True)
sys.stdin.readline()`)
    const port = Number(await server.firstLine)
    while (!server.output().includes('full')) await new Promise((r) => setTimeout(r, 10))
    const c = h.engine.tcp.connect('o', { host: '127.0.0.1', port, timeoutMs: 400 })
    const err = await h.waitKind(c.id, 'error', 3000)
    expect(err.code).toBe('ETIMEDOUT')
    expect(err.message).toMatch(/timed out after 400 ms/)
    server.child.stdin.end('\n')
    await server.exited
  })
})
