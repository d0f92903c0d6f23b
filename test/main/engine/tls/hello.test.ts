/**
 * The ClientHello reader on real bytes: a node:tls client's and a Python ssl client's first
 * record, caught by a plain TCP server; then every cut of it and bytes changed at random (a
 * reader that runs on each connection a server takes must never throw).
 */
import net from 'node:net'
import tls from 'node:tls'
import { describe, expect, it } from 'vitest'
import { looksLike, readClientHello, recordLength } from '../../../../src/main/engine/tls/hello'
import { runPython } from '../../../support/python'

/** A TCP server that keeps the first whole TLS record it is sent. */
async function firstRecord(connect: (port: number) => Promise<unknown> | void): Promise<Buffer> {
  let got: Buffer = Buffer.alloc(0)
  const done = new Promise<Buffer>((resolve) => {
    const srv = net.createServer((s) => {
      s.on('data', (d: Buffer) => {
        got = Buffer.concat([got, d])
        const n = recordLength(got)
        if (n !== undefined && got.length >= n) {
          s.destroy()
          srv.close()
          resolve(got.subarray(0, n))
        }
      })
      s.on('error', () => undefined)
    })
    srv.listen(0, '127.0.0.1', () => void connect((srv.address() as net.AddressInfo).port))
  })
  return done
}

describe('readClientHello', () => {
  it('reads what a node:tls client offered: versions, suites (GREASE and all), ALPN, SNI', async () => {
    const hello = await firstRecord((port) => {
      const c = tls.connect({ port, host: '127.0.0.1', servername: 'lab.example', ALPNProtocols: ['h2', 'http/1.1'] })
      c.on('error', () => undefined)
    })
    expect(looksLike(hello)).toBe('tls')
    const o = readClientHello(hello)!
    expect(o.sni).toBe('lab.example')
    expect(o.alpn).toEqual(['h2', 'http/1.1'])
    expect(o.versions).toEqual(['TLSv1.3', 'TLSv1.2'])
    expect(o.ciphers.slice(0, 3)).toEqual([
      'TLS_AES_256_GCM_SHA384',
      'TLS_CHACHA20_POLY1305_SHA256',
      'TLS_AES_128_GCM_SHA256',
    ])
    expect(o.ciphers).toContain('TLS_EMPTY_RENEGOTIATION_INFO_SCSV')
    // suites the table does not name are kept, as hex
    expect(o.ciphers.filter((c) => c.startsWith('0x')).every((c) => /^0x[0-9a-f]{4}$/.test(c))).toBe(true)
    // a GREASE value (RFC 8701) put in by hand is no choice: left out
    const greased = Buffer.from(hello)
    const suitesAt = 9 + 2 + 32 + 1 + greased[9 + 2 + 32]!
    greased.writeUInt16BE(0x1a1a, suitesAt + 2)
    expect(readClientHello(greased)!.ciphers).toEqual(o.ciphers.slice(1))
  })

  it('a Python ssl client by IP: no SNI', async () => {
    const hello = await firstRecord((port) =>
      runPython(
        `import socket, ssl, sys
c = ssl.create_default_context(); c.check_hostname = False; c.verify_mode = ssl.CERT_NONE
try: c.wrap_socket(socket.create_connection(('127.0.0.1', int(sys.argv[1]))))
except Exception: pass`,
        [String(port)],
      ),
    )
    const o = readClientHello(hello)!
    expect(o.sni).toBeUndefined()
    expect(o.versions).toContain('TLSv1.3')
    expect(o.ciphers).toContain('TLS_AES_256_GCM_SHA384')
  })

  it('never throws: every cut of a real hello, and random bytes changed', async () => {
    const hello = await firstRecord((port) => {
      const c = tls.connect({ port, host: '127.0.0.1', servername: 'cut.example', ALPNProtocols: ['http/1.1'] })
      c.on('error', () => undefined)
    })
    for (let n = 0; n <= hello.length; n++) expect(() => readClientHello(hello.subarray(0, n))).not.toThrow()
    expect(readClientHello(hello.subarray(0, 5))).toBeUndefined()
    expect(readClientHello(Buffer.from('GET / HTTP/1.1\r\n'))).toBeUndefined()
    let seed = 7
    const rnd = (n: number): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n
    for (let i = 0; i < 2000; i++) {
      const b = Buffer.from(hello)
      for (let k = 0; k < 4; k++) b[5 + rnd(b.length - 5)] = rnd(256)
      expect(() => readClientHello(b)).not.toThrow()
    }
  })
})
