/**
 * TLS on the engine's TCP sockets against what students use: Python's `ssl` as client (verifying
 * the lab's own certificate by IP with the exported PEM) and as server (a certificate made by
 * `openssl req`); each verification outcome as the engine reports it; a plain peer on a TLS port.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import net from 'node:net'
import tls from 'node:tls'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { opensslCert } from '../../../support/certs'
import { createHarness, listenDefaults } from '../../../support/engine-harness'
import { runPython, startPython } from '../../../support/python'
import type { LabEvent } from '../../../../src/shared/contract'

type Tls = Extract<LabEvent, { kind: 'tls' }>
const dir = mkdtempSync(join(tmpdir(), 'lab-tls-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const openssl = spawnSync('sh', ['-c', 'command -v openssl']).status === 0

let h = createHarness()
afterEach(async () => {
  await h.engine.closeAll()
  h = createHarness()
})

const PY_CLIENT = `import socket, ssl, sys, json
port, cafile = int(sys.argv[1]), sys.argv[2]
ctx = ssl.create_default_context(cafile=cafile)
ctx.set_alpn_protocols(['http/1.1'])
with socket.create_connection(('127.0.0.1', port)) as raw:
    with ctx.wrap_socket(raw, server_hostname='127.0.0.1') as s:
        welcome = s.recv(1024).decode()
        s.sendall('小明'.encode())
        print(json.dumps({'version': s.version(), 'alpn': s.selected_alpn_protocol(), 'got': [welcome, s.recv(1024).decode()]}))
`

describe('an engine TLS server and Python’s ssl client', () => {
  it('the student verifies the lab’s own certificate by IP with the exported PEM; the server says what the client offered', async () => {
    const server = await h.engine.tcp.listen('o', {
      host: '127.0.0.1',
      port: 0,
      ...listenDefaults,
      mode: 'threaded',
      reply: 'hello',
      tls: {},
    })
    const cert = await h.engine.certs.get()
    const pem = join(dir, 'lab.pem')
    writeFileSync(pem, cert.certPem)
    const r = await runPython(PY_CLIENT, [String(server.local!.port), pem])
    expect(r.stderr).toBe('')
    expect(JSON.parse(r.stdout)).toEqual({ version: 'TLSv1.3', alpn: null, got: ['Welcome!', 'Hello, 小明!'] })
    const tls = await h.waitFor<Tls>((e) => e.kind === 'tls')
    expect(tls).toMatchObject({ side: 'server', protocol: 'TLSv1.3', servername: '', resumed: false })
    expect(tls.cipher).toMatch(/^TLS_AES_|^TLS_CHACHA20/)
    // read from the ClientHello: Python offers TLS 1.3 and 1.2, its suites, ALPN; no SNI for an IP
    expect(tls.offered!.versions).toContain('TLSv1.3')
    expect(tls.offered!.ciphers).toContain('TLS_AES_256_GCM_SHA384')
    expect(tls.offered!.alpn).toEqual(['http/1.1'])
    expect(tls.offered!.sni).toBeUndefined()
    expect(tls.chain![0]!.fingerprint256).toBe(cert.fingerprint256)
    // the bytes were decrypted as the program sees them
    expect(h.bytesIn(tls.id).toString()).toBe('小明')
  })

  it('a plain-text peer on the TLS port: what it sent is shown, and an error says it does not speak TLS', async () => {
    const server = await h.engine.tcp.listen('o', { host: '127.0.0.1', port: 0, ...listenDefaults, tls: {} })
    const c = net.connect(server.local!.port, '127.0.0.1', () => c.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n'))
    c.on('error', () => undefined)
    const err = await h.waitFor<Extract<LabEvent, { kind: 'error' }>>((e) => e.kind === 'error')
    expect(err.code).toBe('ETLSPLAIN')
    expect(err.message).toContain('"GET / HTTP/1.1..Host: x')
    expect(h.bytesIn(err.id).toString()).toBe('GET / HTTP/1.1\r\nHost: x\r\n\r\n')
    c.destroy()
  })

  it('a hello the server cannot take (no suite in common) fails as it is read: the connection, its error, its close', async () => {
    const server = await h.engine.tcp.listen('o', { host: '127.0.0.1', port: 0, ...listenDefaults, tls: {} })
    // TLS_AES_128_CCM_8_SHA256 alone: a suite OpenSSL servers do not enable by default
    const c = tls.connect({
      port: server.local!.port,
      host: '127.0.0.1',
      rejectUnauthorized: false,
      ciphers: 'TLS_AES_128_CCM_8_SHA256',
    })
    c.on('error', () => undefined)
    const conn = (await h.waitKind(server.id, 'connection')).conn
    const err = await h.waitKind(conn, 'error')
    expect(err.message).toMatch(/no shared cipher|no suitable|handshake failure/i)
    await h.waitKind(conn, 'close')
    expect(h.events.filter((r) => r.ev.id === conn && r.ev.kind === 'tls')).toEqual([])
    c.destroy()
  })
})

const PY_SERIAL = `import socket, ssl, sys, json, time
port, cafile, name = int(sys.argv[1]), sys.argv[2], sys.argv[3]
ctx = ssl.create_default_context(cafile=cafile)
raw = socket.create_connection(('127.0.0.1', port))
t0 = time.time()
s = ctx.wrap_socket(raw, server_hostname='127.0.0.1')
shaken = time.time() - t0
print(json.dumps({'name': name, 'shaken': shaken}), flush=True)
s.sendall(name.encode())
print(json.dumps({'got': s.recv(1024).decode()}), flush=True)
time.sleep(float(sys.argv[4]))
s.sendall(b'bye')
s.recv(1024)
s.close()
`

describe('the serial server over TLS', () => {
  it('as Python’s serial server with wrap_socket: the second caller’s handshake waits in the accept queue until the first leaves', async () => {
    const server = await h.engine.tcp.listen('o', {
      host: '127.0.0.1',
      port: 0,
      ...listenDefaults,
      mode: 'serial',
      reply: 'hello',
      tls: {},
    })
    const pem = join(dir, 'serial.pem')
    writeFileSync(pem, (await h.engine.certs.get()).certPem)
    const port = String(server.local!.port)
    const first = startPython(PY_SERIAL, [port, pem, 'A', '1.5'])
    await h.waitFor((e) => e.kind === 'tls')
    const second = startPython(PY_SERIAL, [port, pem, 'B', '0'])
    expect(await Promise.all([first.exited, second.exited])).toEqual([0, 0])
    const lines = (out: string): Record<string, unknown>[] =>
      out
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l))
    expect(lines(first.output())[1]).toEqual({ got: 'Hello, A!' })
    expect(lines(second.output())[1]).toEqual({ got: 'Hello, B!' })
    // B connected at once (the kernel completed its TCP handshake) but its TLS handshake waited
    // for accept(), after A's 1.5 s
    expect(lines(second.output())[0]!.shaken).toBeGreaterThan(1)
    expect(h.events.filter((e) => e.ev.kind === 'tls')).toHaveLength(2)
  })
})

describe.skipIf(!openssl)('an engine TLS client and Python’s ssl server (a certificate made by openssl req)', () => {
  const PY_SERVER = `import socket, ssl, sys
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(sys.argv[1], sys.argv[2])
srv = socket.socket(); srv.bind(('127.0.0.1', 0)); srv.listen(5)
print(srv.getsockname()[1], flush=True)
while True:
    c, a = srv.accept()
    try:
        s = ctx.wrap_socket(c, server_side=True); s.sendall(b'hello over TLS'); s.close()
    except (ssl.SSLError, OSError):
        c.close()
`
  const makeCert = (name: string, san: string) => opensslCert(dir, name, san)

  it('verify (the system’s CAs): refused, self-signed; trusting its PEM: verified; insecure: connects and says why it would have failed', async () => {
    const { cert, key } = makeCert('teacher', 'IP:127.0.0.1')
    const py = startPython(PY_SERVER, [cert, key])
    try {
      const port = Number(await py.firstLine)
      const refused = h.engine.tcp.connect('o', { host: '127.0.0.1', port, timeoutMs: 5000, tls: { trust: 'verify' } })
      const err = await h.waitKind(refused.id, 'error')
      expect(err.code).toBe('DEPTH_ZERO_SELF_SIGNED_CERT')
      const pem = execFileSync('cat', [cert], { encoding: 'utf8' })
      const trusted = h.engine.tcp.connect('o', {
        host: '127.0.0.1',
        port,
        timeoutMs: 5000,
        tls: { trust: 'ca', ca: pem },
      })
      const ok = await h.waitKind(trusted.id, 'tls')
      expect(ok).toMatchObject({ side: 'client', authorized: true, protocol: 'TLSv1.3' })
      expect(ok.chain![0]).toMatchObject({
        subject: 'CN=teacher',
        issuer: 'CN=teacher',
        subjectaltname: 'IP Address:127.0.0.1',
      })
      expect((await h.waitBytes(trusted.id, 14)).toString()).toBe('hello over TLS')
      const anyway = h.engine.tcp.connect('o', { host: '127.0.0.1', port, timeoutMs: 5000, tls: { trust: 'insecure' } })
      expect(await h.waitKind(anyway.id, 'tls')).toMatchObject({
        authorized: false,
        authorizationError: 'DEPTH_ZERO_SELF_SIGNED_CERT',
      })
    } finally {
      py.child.kill()
    }
  })

  it('a certificate for another name: trusted, yet the name does not match the address connected to', async () => {
    const { cert, key } = makeCert('other', 'DNS:other.example')
    const py = startPython(PY_SERVER, [cert, key])
    try {
      const port = Number(await py.firstLine)
      const pem = execFileSync('cat', [cert], { encoding: 'utf8' })
      const c = h.engine.tcp.connect('o', { host: '127.0.0.1', port, timeoutMs: 5000, tls: { trust: 'ca', ca: pem } })
      expect((await h.waitKind(c.id, 'error')).code).toBe('ERR_TLS_CERT_ALTNAME_INVALID')
      const anyway = h.engine.tcp.connect('o', { host: '127.0.0.1', port, timeoutMs: 5000, tls: { trust: 'insecure' } })
      // OpenSSL's first complaint is the self-signed certificate; the name is checked apart
      expect(await h.waitKind(anyway.id, 'tls')).toMatchObject({
        authorizationError: 'DEPTH_ZERO_SELF_SIGNED_CERT',
        nameError: 'ERR_TLS_CERT_ALTNAME_INVALID',
      })
    } finally {
      py.child.kill()
    }
  })
})

describe('the key log for Wireshark', () => {
  const root = process.getuid?.() === 0
  const tools = ['tcpdump', 'tshark'].every((c) => spawnSync('sh', ['-c', `command -v ${c}`]).status === 0)

  it('off by default; on, each session’s TLS 1.3 secrets as SSLKEYLOGFILE lines, with which tshark reads the capture in clear', async () => {
    expect(h.engine.tlsKeylog).toBeUndefined()
    const path = h.engine.keylog(true)!
    const server = await h.engine.tcp.listen('o', { host: '127.0.0.1', port: 0, ...listenDefaults, tls: {} })
    const port = server.local!.port
    const pcap = join(dir, 'tls.pcap')
    const dump =
      root && tools
        ? execFileSync('sh', ['-c', `tcpdump -i lo -U -w ${pcap} 'tcp port ${port}' >/dev/null 2>&1 & echo $!`], {
            encoding: 'utf8',
          }).trim()
        : undefined
    if (dump) await new Promise((r) => setTimeout(r, 800))
    const c = h.engine.tcp.connect('o', { host: '127.0.0.1', port, timeoutMs: 5000, tls: { trust: 'insecure' } })
    await h.waitKind(c.id, 'tls')
    h.engine.tcp.send('o', { id: c.id, data: 'the secret words', encoding: 'utf-8' })
    await h.waitFor((e) => e.kind === 'data' && e.bytes === 16)
    await new Promise((r) => setTimeout(r, 300))
    h.engine.keylog(false)
    const lines = execFileSync('cat', [path], { encoding: 'utf8' }).trim().split('\n')
    const labels = new Set(lines.map((l) => l.split(' ')[0]))
    for (const l of [
      'CLIENT_HANDSHAKE_TRAFFIC_SECRET',
      'SERVER_HANDSHAKE_TRAFFIC_SECRET',
      'CLIENT_TRAFFIC_SECRET_0',
      'SERVER_TRAFFIC_SECRET_0',
    ])
      expect(labels).toContain(l)
    for (const l of lines) expect(l).toMatch(/^[A-Z_0-9]+ [0-9a-f]{64} [0-9a-f]{64,96}$/)
    if (dump) {
      execFileSync('kill', ['-INT', dump])
      await new Promise((r) => setTimeout(r, 500))
      const clear = execFileSync(
        'tshark',
        [
          '-r',
          pcap,
          '-o',
          `tls.keylog_file:${path}`,
          '-Y',
          'tls.app_data',
          '-T',
          'fields',
          '-e',
          'data.data',
          '-e',
          'tls.app_data',
        ],
        { encoding: 'utf8' },
      )
      expect(clear).toContain(Buffer.from('the secret words').toString('hex'))
    }
  })
})

describe('a TLS client and a server that never answers its handshake', () => {
  it('a plain server that waits for the client to speak first: the handshake times out, said so', async () => {
    const silent = net.createServer(() => undefined)
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r))
    try {
      const port = (silent.address() as net.AddressInfo).port
      const c = h.engine.tcp.connect('o', { host: '127.0.0.1', port, timeoutMs: 600, tls: { trust: 'insecure' } })
      const err = await h.waitKind(c.id, 'error', 5000)
      expect(err).toMatchObject({ code: 'ETLSNOANSWER' })
      expect(err.message).toContain('no TLS handshake answer within 0.6 s')
      await h.waitKind(c.id, 'close')
    } finally {
      silent.close()
    }
  })
})
