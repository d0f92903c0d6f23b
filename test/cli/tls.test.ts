/**
 * The CLI speaks TLS: a server on the lab's own certificate (exported for students), a Python
 * `ssl` client verifying it by IP, the CLI's client verifying it with --tls-ca, refusing it without
 * and explaining why, ncat --ssl both ways; bad certificate files are bad input.
 */
import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { runCli, startCli } from '../support/cli'
import { runPython } from '../support/python'
import { freePort } from '../support/ports'
import { opensslCert } from '../support/certs'

const dir = mkdtempSync(join(tmpdir(), 'cli-tls-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
// the lab's certificate is kept in the user's config folder: a folder of the test's own
const env = { XDG_CONFIG_HOME: dir, LANG: 'en_US.UTF-8' }
const ncat = spawnSync('sh', ['-c', 'command -v ncat']).status === 0

async function tlsServer(extra: string[] = []) {
  const port = await freePort()
  const pem = join(dir, `lab-${port}.pem`)
  const server = startCli(
    ['tcp-server', '--tls', '--port', String(port), '--tls-export-cert', pem, '--json', ...extra],
    { env },
  )
  await server.waitLine((l) => l.includes('"listening"'))
  return { port, pem, server }
}

describe('socket-lab with --tls', () => {
  it('a Python student verifies the server by 127.0.0.1 with the exported PEM; the server says what was offered', async () => {
    const { port, pem, server } = await tlsServer()
    try {
      const r = await runPython(
        `import socket, ssl, sys
ctx = ssl.create_default_context(cafile=sys.argv[2])
with ctx.wrap_socket(socket.create_connection(('127.0.0.1', int(sys.argv[1]))), server_hostname='127.0.0.1') as s:
    print(s.version(), s.recv(1024).decode())`,
        [String(port), pem],
      )
      expect(r.stderr).toBe('')
      expect(r.stdout.trim()).toBe('TLSv1.3 Welcome!')
      const line = await server.waitLine((l) => l.includes('"tls"'))
      const tls = JSON.parse(line) as Record<string, unknown>
      expect(tls).toMatchObject({ event: 'tls', side: 'server', protocol: 'TLSv1.3', servername: '' })
      expect((tls['offered'] as { versions: string[] }).versions).toContain('TLSv1.3')
    } finally {
      server.child.kill('SIGINT')
      await server.exited
    }
  })

  it('the CLI client: without --tls-ca it refuses the self-signed server, exit 1, and says what to do; with it, verified', async () => {
    const { port, pem, server } = await tlsServer()
    try {
      const refused = await runCli(['tcp-client', '--tls', '--port', String(port), '--send', 'hi'], { env })
      expect(refused.code).toBe(1)
      expect(refused.err).toContain('error DEPTH_ZERO_SELF_SIGNED_CERT')
      expect(refused.err).toContain('trust the PEM the teacher exported')
      const ok = await runCli(
        [
          'tcp-client',
          '--tls',
          '--tls-ca',
          pem,
          '--port',
          String(port),
          '--send',
          'Tracy',
          '--json',
          '--linger',
          '300',
        ],
        { env },
      )
      expect(ok.code).toBe(0)
      const events = ok.out
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Record<string, unknown>)
      const tls = events.find((e) => e['event'] === 'tls')!
      expect(tls).toMatchObject({
        side: 'client',
        authorized: true,
        peerCertificate: { subject: expect.stringContaining('CN=Socket Lab') },
      })
      expect(
        events
          .filter((e) => e['event'] === 'data')
          .map((e) => e['text'])
          .join(''),
      ).toContain('Hello, Tracy!')
    } finally {
      server.child.kill('SIGINT')
      await server.exited
    }
  }, 40_000)

  it('bad input: a certificate file that is not there, or a key that is not PEM: exit 2 with the file named', async () => {
    const junk = join(dir, 'junk.key')
    writeFileSync(junk, 'not a key')
    const missing = await runCli(
      ['tcp-server', '--tls', '--tls-cert', join(dir, 'nope.pem'), '--tls-key', junk, '--port', '0'],
      { env },
    )
    expect(missing.code).toBe(2)
    expect(missing.err).toContain('nope.pem: ENOENT')
    const usage = await runCli(['tcp-client', '--tls-insecure', '--port', '1'], { env })
    expect(usage.code).toBe(2)
    expect(usage.err).toContain('go with --tls')
  })

  it('--tls-keylog (or SSLKEYLOGFILE): both ends append their TLS 1.3 secrets for Wireshark; a folder not there is bad input', async () => {
    const serverLog = join(dir, 'server-keys.txt')
    const clientLog = join(dir, 'client-keys.txt')
    const { port, pem, server } = await tlsServer(['--tls-keylog', serverLog])
    try {
      const r = await runCli(['tcp-client', '--tls', '--tls-ca', pem, '--port', String(port), '--send', 'hi'], {
        env: { ...env, SSLKEYLOGFILE: clientLog },
      })
      expect(r.code).toBe(0)
      await server.waitLine((l) => l.includes('"tls"'))
      const labels = (f: string): string[] =>
        [
          ...new Set(
            readFileSync(f, 'utf8')
              .trim()
              .split('\n')
              .map((l) => l.split(' ')[0]!),
          ),
        ].sort()
      const tls13 = [
        'CLIENT_HANDSHAKE_TRAFFIC_SECRET',
        'CLIENT_TRAFFIC_SECRET_0',
        'EXPORTER_SECRET',
        'SERVER_HANDSHAKE_TRAFFIC_SECRET',
        'SERVER_TRAFFIC_SECRET_0',
      ]
      expect(labels(clientLog)).toEqual(tls13)
      // the same session seen from both ends: the same client random on each line
      const random = (f: string): string => readFileSync(f, 'utf8').split('\n')[0]!.split(' ')[1]!
      expect(random(serverLog)).toBe(random(clientLog))
    } finally {
      server.child.kill('SIGINT')
      await server.exited
    }
    const bad = await runCli(
      ['tcp-client', '--tls', '--tls-keylog', join(dir, 'no', 'such', 'keys.txt'), '--port', String(port)],
      { env },
    )
    expect(bad.code).toBe(2)
    expect(bad.err).toContain('--tls-keylog')
    expect(bad.err).toContain('ENOENT')
  })

  it.skipIf(!ncat)(
    'ncat --ssl both ways: its client to our server, our client (--tls-insecure) to its server',
    async () => {
      const { port, server } = await tlsServer()
      try {
        const r = spawnSync('ncat', ['--ssl', '127.0.0.1', String(port)], {
          input: 'over TLS\n',
          encoding: 'utf8',
          timeout: 10_000,
        })
        expect(r.stdout).toContain('Welcome!')
        expect(r.stdout).toContain('Hello, over TLS')
      } finally {
        server.child.kill('SIGINT')
        await server.exited
      }
      const theirs = await freePort()
      const nc = spawn('ncat', ['--ssl', '-l', '127.0.0.1', String(theirs), '-c', 'echo from ncat; sleep 2'], {
        stdio: 'ignore',
      })
      await new Promise((r) => setTimeout(r, 500))
      // stdin kept open: the client stays until what ncat sends has come
      const c = startCli(['tcp-client', '--tls', '--tls-insecure', '--port', String(theirs), '--json'], { env })
      try {
        await c.waitLine((l) => l.includes('from ncat'))
        expect(c.json().find((e) => e['event'] === 'tls')).toMatchObject({
          authorized: false,
          authorizationError: 'DEPTH_ZERO_SELF_SIGNED_CERT',
        })
      } finally {
        c.child.kill('SIGINT')
        nc.kill()
      }
    },
    30_000,
  )
})

describe('socket-lab tcp-server --tls --output raw', () => {
  it('the raw sink reads TLS too: what a Python ssl client sends comes out on stdout, decrypted', async () => {
    const port = await freePort()
    const server = startCli(['tcp-server', '--tls', '--port', String(port), '--mode', 'plain', '--output', 'raw'], {
      env,
    })
    try {
      // raw: stdout is the bytes; the event lines go to stderr
      await expect.poll(() => server.err(), { timeout: 10_000 }).toContain('listening')
      const r = await runPython(
        `import socket, ssl, sys
ctx = ssl.create_default_context(); ctx.check_hostname = False; ctx.verify_mode = ssl.CERT_NONE
with ctx.wrap_socket(socket.create_connection(('127.0.0.1', int(sys.argv[1])))) as s:
    s.sendall(b'raw bytes over TLS')`,
        [String(port)],
      )
      expect(r.stderr).toBe('')
      await expect.poll(() => server.out(), { timeout: 5000 }).toContain('raw bytes over TLS')
    } finally {
      server.child.kill('SIGINT')
      await server.exited
    }
  })
})

const socat = spawnSync('sh', ['-c', 'command -v socat']).status === 0
describe.skipIf(!socat || spawnSync('sh', ['-c', 'command -v openssl']).status !== 0)(
  'socat’s openssl both ways',
  () => {
    it('socat’s client (verify=0) to our server; our client to socat’s listener (verify=0: it asks no client certificate)', async () => {
      const { port, server } = await tlsServer()
      try {
        const r = spawnSync('socat', ['-', `OPENSSL:127.0.0.1:${port},verify=0`], {
          input: 'via socat',
          encoding: 'utf8',
          timeout: 10_000,
        })
        expect(r.stdout).toContain('Welcome!')
        expect(r.stdout).toContain('Hello, via socat!')
      } finally {
        server.child.kill('SIGINT')
        await server.exited
      }
      const { cert, key } = opensslCert(dir, 'socat', 'IP:127.0.0.1')
      const theirs = await freePort()
      const sc = spawn(
        'socat',
        [
          `OPENSSL-LISTEN:${theirs},bind=127.0.0.1,reuseaddr,cert=${cert},key=${key},verify=0`,
          'SYSTEM:echo from socat; sleep 2',
        ],
        { stdio: 'ignore' },
      )
      await new Promise((r) => setTimeout(r, 500))
      const c = startCli(['tcp-client', '--tls', '--tls-ca', cert, '--port', String(theirs), '--json'], { env })
      try {
        await c.waitLine((l) => l.includes('from socat'))
        expect(c.json().find((e) => e['event'] === 'tls')).toMatchObject({ authorized: true })
      } finally {
        c.child.kill('SIGINT')
        sc.kill()
      }
    }, 30_000)
  },
)
