/** The lab's own certificate: what it is made of, the names students connect by, kept and renewed. */
import { X509Certificate } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { CertStore, certAddresses, fits, makeCert } from '../../../../src/main/engine/tls/cert'

const dir = mkdtempSync(join(tmpdir(), 'lab-cert-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('the lab’s certificate', () => {
  it('ECDSA P-256, SHA-256, not a CA, for servers; named localhost, 127.0.0.1, ::1 and this machine’s LAN addresses; 30 days', async () => {
    const lan = certAddresses({
      eth0: [{ address: '192.168.1.20', internal: false } as never, { address: 'fe80::1', internal: false } as never],
      lo: [{ address: '127.0.0.1', internal: true } as never],
    })
    expect(lan).toEqual(['127.0.0.1', '192.168.1.20', '::1'])
    const c = await makeCert(lan, new Date('2026-12-06T00:00:00Z'))
    const x = new X509Certificate(c.certPem)
    expect(x.publicKey.asymmetricKeyDetails).toMatchObject({ namedCurve: 'prime256v1' })
    expect(x.ca).toBe(false)
    expect(x.checkIP('192.168.1.20')).toBe('192.168.1.20')
    expect(x.checkIP('::1')).toBe('::1')
    expect(x.checkHost('localhost')).toBe('localhost')
    expect(x.checkIP('10.0.0.1')).toBeUndefined()
    expect(x.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1']) // serverAuth
    expect(x.verify(x.publicKey)).toBe(true) // self-signed
    expect(c.validTo.toISOString()).toBe('2027-01-05T00:00:00.000Z')
    expect(fits(c, lan, new Date('2026-12-06T00:00:00Z'))).toBe(true)
    expect(fits(c, [...lan, '10.0.0.9'], new Date('2026-12-06T00:00:00Z'))).toBe(false) // a new lease
    expect(fits(c, lan, new Date('2027-01-04T00:00:00Z'))).toBe(false) // near its end
  })

  it('kept in the user’s folder (the key readable by its owner only) and read back while it fits; made anew when an address is new', async () => {
    const a = await new CertStore(dir).get(['127.0.0.1', '::1'])
    expect(statSync(join(dir, 'key.pem')).mode & 0o777).toBe(0o600)
    const b = await new CertStore(dir).get(['127.0.0.1', '::1'])
    expect(b.fingerprint256).toBe(a.fingerprint256)
    const c = await new CertStore(dir).get(['127.0.0.1', '::1', '192.168.7.7'])
    expect(c.fingerprint256).not.toBe(a.fingerprint256)
    expect(readFileSync(join(dir, 'cert.pem'), 'utf8')).toBe(c.certPem)
  })
})
