/**
 * The CLI as a developer's tool: servers that outlive stdin, bytes moved exactly (a binary file
 * through tcp-client into tcp-server --output raw), hex input, a file sent, timed repeats, rules
 * that answer, --quiet, and a flood folded into counts.
 */
import { spawn } from 'node:child_process'
import net from 'node:net'
import { createHash, randomBytes } from 'node:crypto'
import { closeSync, mkdtempSync, openSync, readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { runCli, startCli } from '../support/cli'
import { runPython } from '../support/python'
import { within } from '../support/until'

const tsx = createRequire(import.meta.url).resolve('tsx')
const dir = mkdtempSync(join(tmpdir(), 'cli-bytes-'))
const kill: (() => void)[] = []
afterEach(() => {
  for (const k of kill.splice(0)) k()
})
const server = (args: string[]) => {
  const s = startCli(['tcp-server', '--port', '0', '--json', ...args])
  kill.push(() => s.child.kill('SIGKILL'))
  return s
}
const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex')
const dataOf = (s: ReturnType<typeof startCli>): Buffer =>
  Buffer.concat(
    s
      .json()
      .filter((e) => e.event === 'data')
      .map((e) => Buffer.from(e.base64 as string, 'base64')),
  )

describe('the CLI as a developer’s tool', () => {
  it('a server started with stdin already at its end still serves seconds later', async () => {
    const s = server(['--mode', 'threaded'])
    s.child.stdin.end()
    const port = await s.port()
    await new Promise((r) => setTimeout(r, 1500))
    const r = await runPython(
      `import socket, sys\ns = socket.create_connection(('127.0.0.1', int(sys.argv[1])), 5)\nprint(s.recv(100).decode())`,
      [String(port)],
    )
    expect(r.stdout.trim()).toBe('Welcome!')
    s.child.kill('SIGTERM')
    expect(await s.exited).toBe(0)
  })

  it('a binary file arrives byte-exact: stdin into tcp-client, tcp-server --output raw into a file', async () => {
    const file = join(dir, 'random.bin')
    const bytes = randomBytes(3 * 1024 * 1024 + 17)
    writeFileSync(file, bytes)
    const outFile = join(dir, 'received.bin')
    const fd = openSync(outFile, 'w')
    const srv = spawn(
      process.execPath,
      ['--import', tsx, 'src/cli/index.ts', 'tcp-server', '--port', '0', '--mode', 'plain', '--output', 'raw'],
      {
        stdio: ['pipe', fd, 'pipe'],
      },
    )
    closeSync(fd)
    kill.push(() => srv.kill('SIGKILL'))
    let err = ''
    srv.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d))
    await within(
      (async () => {
        while (!/listening on [\d.]+:\d+/.test(err)) await new Promise((r) => setTimeout(r, 20))
      })(),
      10_000,
      () => err,
    )
    const port = /listening on [\d.]+:(\d+)/.exec(err)![1]!
    const c = await runCli(['tcp-client', '--port', port, '--quiet'], { stdin: bytes, ms: 30_000 })
    expect(c.code).toBe(0)
    await within(
      (async () => {
        while (readFileSync(outFile).length < bytes.length) await new Promise((r) => setTimeout(r, 50))
      })(),
      10_000,
      'all bytes written',
    )
    srv.kill('SIGINT')
    await new Promise((r) => srv.once('exit', r))
    const got = readFileSync(outFile)
    expect(got.length).toBe(bytes.length)
    expect(sha(got)).toBe(sha(bytes))
    // the events went to stderr, as text, never into the bytes
    expect(err).toMatch(/\[a\d+\] recv \d+ bytes\n/)
  }, 40_000)

  it('--send-file sends a file, --send with --input hex sends the bytes the digits name, --repeat N --interval MS repeats', async () => {
    const s = server(['--mode', 'plain'])
    const port = String(await s.port())
    const file = join(dir, 'msg.bin')
    writeFileSync(file, Buffer.from([0, 1, 2, 255]))
    expect((await runCli(['tcp-client', '--port', port, '--send-file', file, '--linger', '100'])).code).toBe(0)
    expect(
      (await runCli(['tcp-client', '--port', port, '--input', 'hex', '--send', '48 65 6c 6c 6f', '--linger', '100']))
        .code,
    ).toBe(0)
    expect(
      (
        await runCli([
          'tcp-client',
          '--port',
          port,
          '--send',
          'tick',
          '--repeat',
          '3',
          '--interval',
          '80',
          '--linger',
          '100',
        ])
      ).code,
    ).toBe(0)
    await s.waitLine(
      (l) =>
        (l.match(/"event":"data"/g) ?? []).length > 0 &&
        dataOf(s).includes('ticktickti'.slice(0, 8)) &&
        dataOf(s).toString('latin1').split('tick').length === 4,
    )
    const all = dataOf(s)
    expect(all.subarray(0, 4)).toEqual(Buffer.from([0, 1, 2, 255]))
    expect(all.subarray(4, 9).toString()).toBe('Hello')
    // three sends 80 ms apart: three reads, not one
    const ticks = s.json().filter((e) => e.event === 'data' && e.text === 'tick')
    expect(ticks).toHaveLength(3)
  }, 30_000)

  it('--input gbk: what cmd on Chinese Windows pipes (CP936) arrives as UTF-8; without it, as the GBK bytes it is', async () => {
    const s = server(['--mode', 'plain'])
    const port = String(await s.port())
    const gbk = Buffer.from([0xc4, 0xe3, 0xba, 0xc3, 0x0d, 0x0a]) // "你好\r\n" as cmd's echo writes it
    expect(
      (await runCli(['tcp-client', '--port', port, '--input', 'gbk', '--linger', '100'], { stdin: gbk })).code,
    ).toBe(0)
    await s.waitLine(() => dataOf(s).length >= 8)
    expect(dataOf(s).toString('utf8')).toBe('你好\r\n')
    expect((await runCli(['tcp-client', '--port', port, '--linger', '100'], { stdin: gbk })).code).toBe(0)
    await s.waitLine(() => dataOf(s).length >= 14)
    expect(dataOf(s).subarray(8)).toEqual(gbk)
  }, 30_000)

  it('bad input: odd hex, a file that cannot be read, a rule that does not parse — exit 2, a clear message, nothing sent', async () => {
    const s = server(['--mode', 'plain'])
    const port = String(await s.port())
    const odd = await runCli(['tcp-client', '--port', port, '--input', 'hex', '--send', '48 6'])
    expect(odd.code).toBe(2)
    expect(odd.err).toMatch(/--send is not hex/)
    const missing = await runCli(['tcp-client', '--port', port, '--send-file', join(dir, 'nope.bin')])
    expect(missing.code).toBe(2)
    expect(missing.err).toMatch(/nope\.bin: ENOENT; nothing was sent/)
    const rule = await runCli(['tcp-server', '--port', '0', '--rule', 'no arrow here'])
    expect(rule.code).toBe(2)
    expect(rule.err).toMatch(/rule "no arrow here": expected MATCH=>REPLY/)
    const regex = await runCli(['tcp-server', '--port', '0', '--rule', '/(/=>x'])
    expect(regex.code).toBe(2)
    expect(regex.err).toMatch(/not a regular expression/)
    expect(s.json().filter((e) => e.event === 'connection')).toHaveLength(0)
  }, 30_000)

  it('rules answer each read: text or /regex/ with $1, {{counter}} and {{hex:…}}; the first match wins; the rest get the mode’s reply', async () => {
    const s = server([
      '--mode',
      'threaded',
      '--rule',
      'ping=>pong {{counter}}',
      '--rule',
      '/^GET (\\S+)/=>got $1{{hex:0d 0a}}',
      '--rule',
      'ping=>never',
    ])
    const port = String(await s.port())
    const r = await runPython(
      `import socket, sys
s = socket.create_connection(('127.0.0.1', int(sys.argv[1])), 5)
s.recv(100)
for m in [b'ping', b'GET /index.html HTTP/1.0', b'ping!', b'Ann']:
    s.send(m)
    print(repr(s.recv(100)))`,
      [port],
    )
    expect(r.stdout.trim().split('\n')).toEqual([
      "b'pong 1'",
      "b'got /index.html\\r\\n'",
      "b'pong 3'",
      "b'Hello, Ann!'",
    ])
  }, 20_000)

  it.each(['plain', 'threaded', 'serial', 'room'])(
    'rules answer in %s mode (plain too, where a protocol of your own needs them most)',
    async (mode) => {
      const s = server(['--mode', mode, '--rule', 'ping=>pong {{counter}}', '--reply', 'none'])
      const port = String(await s.port())
      const r = await runPython(
        `import socket, sys
s = socket.create_connection(('127.0.0.1', int(sys.argv[1])), 5)
if sys.argv[2] == 'threaded':
    s.recv(100)  # Welcome!
if sys.argv[2] == 'room':
    while not s.recv(1) == b'\\n':  # Welcome to the room, ...\\n
        pass
for m in [b'ping', b'ping again']:
    s.send(m)
    print(repr(s.recv(100)))`,
        [port, mode],
      )
      expect(r.stdout.trim().split('\n'), r.stderr).toEqual(["b'pong 1'", "b'pong 2'"])
    },
    20_000,
  )

  it('a client pushing stdin to a peer that only receives (its FIN at once, as ncat --recv-only) sends every byte', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'lab-push-')), 'push.bin')
    const bytes = randomBytes(5_000_000)
    writeFileSync(file, bytes)
    const got: Buffer[] = []
    const server = net.createServer({ allowHalfOpen: true }, (sock) => {
      sock.end() // FIN straight away: this side never sends
      sock.on('data', (d: Buffer) => got.push(d))
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    try {
      const port = String((server.address() as net.AddressInfo).port)
      const fd = openSync(file, 'r')
      const child = spawn(process.execPath, ['--import', tsx, 'src/cli/index.ts', 'tcp-client', '--port', port], {
        stdio: [fd, 'ignore', 'pipe'],
      })
      closeSync(fd)
      const code = await within(new Promise((r) => child.on('close', r)), 20_000, 'the client did not end')
      expect(code).toBe(0)
      await expect.poll(() => Buffer.concat(got).length).toBe(bytes.length)
      expect(sha(Buffer.concat(got))).toBe(sha(bytes))
    } finally {
      server.close()
    }
  }, 30_000)

  it('a plain server closes its side after the peer’s FIN once what it owes is sent (no CLOSE_WAIT forever); --half-open keeps it open', async () => {
    const client = `import socket, sys
s = socket.create_connection(('127.0.0.1', int(sys.argv[1])), 5)
s.sendall(b'x' * 2000000)
s.shutdown(socket.SHUT_WR)
s.settimeout(3)
try:
    got = s.recv(100)
    print('eof' if got == b'' else repr(got))
except socket.timeout:
    print('no FIN')`
    const s = server(['--mode', 'plain', '--output', 'raw', '--quiet'])
    const r = await runPython(client, [String(await s.port())])
    expect(r.stdout.trim()).toBe('eof')
    const h = server(['--mode', 'plain', '--quiet', '--half-open'])
    const r2 = await runPython(client, [String(await h.port())])
    expect(r2.stdout.trim()).toBe('no FIN')
    await h.waitLine((l) => l.includes('"end"'))
    expect(h.json().some((e) => e.event === 'close' && e.id !== 's1')).toBe(false)
  }, 30_000)

  it('--quiet prints the lifecycle only; a flood of reads is folded into counts that add up', async () => {
    const q = server(['--mode', 'plain', '--quiet'])
    const port = String(await q.port())
    await runPython(
      `import socket, sys, time
s = socket.create_connection(('127.0.0.1', int(sys.argv[1])), 5)
for i in range(300):
    s.send(b'x' * 10)
    time.sleep(0.0005)
s.close()`,
      [port],
    )
    // a plain server closes its end after the peer's FIN
    await q.waitLine((l) => l.includes('"close"'))
    q.child.kill('SIGINT')
    await q.exited
    expect(new Set(q.json().map((e) => e.event))).toEqual(new Set(['listening', 'connection', 'end', 'close']))
    const f = server(['--mode', 'plain'])
    const fport = String(await f.port())
    await runPython(
      `import socket, sys, time
s = socket.create_connection(('127.0.0.1', int(sys.argv[1])), 5)
for i in range(300):
    s.send(b'y' * 10)
    time.sleep(0.0005)
s.close()`,
      [fport],
    )
    await f.waitLine((l) => l.includes('"end"'))
    f.child.kill('SIGINT')
    await f.exited
    const evs = f.json()
    const listed = evs.filter((e) => e.event === 'data')
    const folded = evs.filter((e) => e.event === 'folded')
    expect(folded.length).toBeGreaterThan(0)
    expect(listed.length).toBeLessThanOrEqual(20 * (folded.length + 1))
    const bytes =
      listed.reduce((n, e) => n + (e.bytes as number), 0) + folded.reduce((n, e) => n + (e.bytes as number), 0)
    expect(bytes).toBe(3000)
    // --no-fold: a script that needs every read gets them all listed
    const all = server(['--mode', 'plain', '--no-fold'])
    const aport = String(await all.port())
    await runPython(
      `import socket, sys, time
s = socket.create_connection(('127.0.0.1', int(sys.argv[1])), 5)
for i in range(300):
    s.send(b'z' * 10)
    time.sleep(0.0005)
s.close()`,
      [aport],
    )
    await all.waitLine((l) => l.includes('"end"'))
    expect(all.json().some((e) => e.event === 'folded')).toBe(false)
    expect(
      all
        .json()
        .filter((e) => e.event === 'data')
        .reduce((n, e) => n + (e.bytes as number), 0),
    ).toBe(3000)
  }, 30_000)

  it('Windows console: Ctrl+Z then Enter ("\\x1a") ends the typed lines; it is never sent', async () => {
    const s = server(['--mode', 'plain'])
    const port = String(await s.port())
    const c = await runCli(['tcp-client', '--port', port, '--lines', '--eol', 'crlf', '--linger', '200'], {
      stdin: Buffer.from('hi\r\nbye\x1a\r\n'),
    })
    expect(c.code).toBe(0)
    await s.waitLine((l) => l.includes('"end"'))
    expect(dataOf(s).toString()).toBe('hi\r\nbye\r\n')
  })

  it('--linger 0 still delivers everything queued: the close waits until the kernel has it all', async () => {
    const big = randomBytes(48 * 1024 * 1024)
    let n = 0
    const ended = new Promise<void>((resolve) => {
      const srv = net.createServer((sock) => {
        let paused = false
        sock.on('data', (d: Buffer) => {
          n += d.length
          // near the end the receiver stops reading for a while: the sender's queue fills up, and
          // its stdin ends while megabytes are still queued in it
          if (!paused && n > 40 * 1024 * 1024) {
            paused = true
            sock.pause()
            setTimeout(() => sock.resume(), 700)
          }
        })
        sock.on('end', () => {
          sock.end()
          srv.close()
          resolve()
        })
      })
      srv.listen(0, '127.0.0.1', () => {
        const port = String((srv.address() as net.AddressInfo).port)
        void runCli(['tcp-client', '--port', port, '--quiet', '--linger', '0'], { stdin: big, ms: 30_000 })
      })
    })
    await within(ended, 30_000, () => `the receiver's end (${n} bytes so far)`)
    expect(n).toBe(big.length)
  }, 40_000)
})
