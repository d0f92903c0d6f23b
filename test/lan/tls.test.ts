/**
 * TLS across a LAN of network namespaces, as a class meets it: the teacher's `tcp-server --tls`
 * makes its certificate for the addresses it has there (its eth0's), exports the PEM, and a
 * student's Python `ssl` client verifies it by the teacher's IP (`check_hostname` on) and talks.
 * A certificate made for another machine's addresses is refused by IP, with Python's reason.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { opensslCert } from '../support/certs'
import { createLan, follow, lanTier, type Lan } from '../support/lan'

const why = lanTier()

describe.skipIf(!!why)('TLS on a LAN (network namespaces)', () => {
  let lan: Lan
  const dir = mkdtempSync(join(tmpdir(), 'lan-tls-'))
  beforeAll(() => {
    lan = createLan(1)
  })
  afterAll(() => {
    lan?.close()
    rmSync(dir, { recursive: true, force: true })
  })

  const CLIENT = (ip: string, pem: string, port = 9443) => `import socket, ssl
ctx = ssl.create_default_context(cafile='${pem}')
with socket.create_connection(('${ip}', ${port}), 5) as raw:
    with ctx.wrap_socket(raw, server_hostname='${ip}') as s:
        print(s.version(), s.recv(100).decode())
        s.sendall('小文'.encode()); print(s.recv(100).decode())
`

  it('a student verifies the teacher’s Socket Lab server by its LAN IP with the exported PEM', async () => {
    const pem = join(dir, 'teacher.pem')
    const env = { XDG_CONFIG_HOME: join(dir, 'teacher-config') }
    const args = ['--import', 'tsx', 'src/cli/index.ts', 'tcp-server', '--tls', '--host', '0.0.0.0', '--port', '9443']
    const server = follow(lan.start(lan.teacher, process.execPath, [...args, '--tls-export-cert', pem, '--json'], env))
    await server.event((e) => e['event'] === 'listening')
    expect(readFileSync(pem, 'utf8')).toContain('BEGIN CERTIFICATE')
    const py = follow(lan.python(lan.students[0]!, CLIENT(lan.teacher.ip, pem)))
    expect(await py.exited).toBe(0)
    expect(py.out.join('\n')).toBe('TLSv1.3 Welcome!\nHello, 小文!')
    const tls = await server.event((e) => e['event'] === 'tls')
    expect(tls).toMatchObject({ side: 'server', protocol: 'TLSv1.3', servername: '' })
  }, 30_000)

  it('a certificate made for another address: Python refuses it by the teacher’s IP and says why', async () => {
    const { cert, key } = opensslCert(dir, 'elsewhere', 'IP:10.9.9.9')
    const args = ['--import', 'tsx', 'src/cli/index.ts', 'tcp-server', '--tls', '--host', '0.0.0.0', '--port', '9444']
    const server = follow(
      lan.start(lan.teacher, process.execPath, [...args, '--tls-cert', cert, '--tls-key', key, '--json']),
    )
    await server.event((e) => e['event'] === 'listening')
    const py = follow(lan.python(lan.students[0]!, CLIENT(lan.teacher.ip, cert, 9444)))
    expect(await py.exited).not.toBe(0)
    expect(py.stderr()).toContain('IP address mismatch')
  }, 30_000)
})
