/**
 * The lab's own TLS certificate: a key pair made on this machine on first use (never shipped),
 * ECDSA P-256 signed with SHA-256, valid for 30 days, its names the ones students connect by:
 * localhost, 127.0.0.1, ::1 and every address this machine has on its LANs. Made anew when those
 * addresses change (a DHCP lease moved) or it is near its end. Made with @peculiar/x509 on Node's
 * own WebCrypto: Node parses certificates but cannot create them. The library (and the
 * reflect-metadata it needs) is loaded only to make one: loading it costs 110 ms, which every CLI
 * command and the app's start would otherwise pay.
 */
import { webcrypto, X509Certificate } from 'node:crypto'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { networkInterfaces } from 'node:os'
import { join } from 'node:path'

export interface LabCert {
  certPem: string
  keyPem: string
  /** SHA-256 fingerprint as Node prints it ("AB:CD:…"), for students to compare. */
  fingerprint256: string
  /** The names in its subjectAltName: "DNS:localhost", "IP Address:127.0.0.1", … */
  names: string[]
  validTo: Date
}

const DAYS = 30
/** Made anew when fewer days than this are left. */
const RENEW_DAYS = 2

/** This machine's addresses that students may connect by: loopback and every LAN address. */
export function certAddresses(ifs = networkInterfaces()): string[] {
  const out = new Set(['127.0.0.1', '::1'])
  for (const list of Object.values(ifs))
    for (const a of list ?? []) if (!a.internal && !a.address.startsWith('fe80:')) out.add(a.address)
  return [...out].sort()
}

const pem = (label: string, der: ArrayBuffer): string =>
  `-----BEGIN ${label}-----\n${Buffer.from(der)
    .toString('base64')
    .replace(/(.{64})/g, '$1\n')
    .replace(/\n$/, '')}\n-----END ${label}-----\n`

/** A new self-signed certificate for these addresses (and localhost). */
export async function makeCert(addresses: string[], now = new Date()): Promise<LabCert> {
  await import('reflect-metadata')
  const x509 = await import('@peculiar/x509')
  const crypto = webcrypto as unknown as Crypto
  x509.cryptoProvider.set(crypto)
  const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' }
  const keys = await crypto.subtle.generateKey(alg, true, ['sign', 'verify'])
  const notAfter = new Date(now.getTime() + DAYS * 86_400_000)
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: Buffer.from(crypto.getRandomValues(new Uint8Array(16)))
      .toString('hex')
      .replace(/^[89a-f]/, '1'),
    name: 'CN=Socket Lab (this machine), O=Socket Lab',
    notBefore: new Date(now.getTime() - 60_000),
    notAfter,
    signingAlgorithm: alg,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension([
        { type: 'dns', value: 'localhost' },
        ...addresses.map((a) => ({ type: 'ip' as const, value: a })),
      ]),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  })
  const keyPem = pem('PRIVATE KEY', await crypto.subtle.exportKey('pkcs8', keys.privateKey))
  return described(cert.toString('pem') + '\n', keyPem)
}

/** What a PEM certificate (and its key) says: fingerprint, names, end. */
export function described(certPem: string, keyPem: string): LabCert {
  const c = new X509Certificate(certPem)
  return {
    certPem,
    keyPem,
    fingerprint256: c.fingerprint256,
    names: (c.subjectAltName ?? '').split(', ').filter(Boolean),
    validTo: new Date(c.validTo),
  }
}

/** Whether a certificate still serves: every address named, and not near its end. */
export function fits(c: LabCert, addresses: string[], now = new Date()): boolean {
  const x = new X509Certificate(c.certPem)
  return (
    c.validTo.getTime() - now.getTime() > RENEW_DAYS * 86_400_000 &&
    x.checkHost('localhost') !== undefined &&
    addresses.every((a) => x.checkIP(a) !== undefined)
  )
}

/**
 * The certificate for this installation: kept in `dir` (the user's data folder) when given, read
 * back while it fits this machine's addresses, made anew otherwise.
 */
export class CertStore {
  private current?: Promise<LabCert>

  constructor(private readonly dir?: string) {}

  get(addresses = certAddresses()): Promise<LabCert> {
    const have = this.current
    this.current = (async () => {
      const c = await (have ?? this.read())
      if (c && fits(c, addresses)) return c
      const made = await makeCert(addresses)
      await this.write(made)
      return made
    })()
    return this.current
  }

  private async read(): Promise<LabCert | undefined> {
    if (!this.dir) return undefined
    try {
      const [cert, key] = await Promise.all(['cert.pem', 'key.pem'].map((f) => readFile(join(this.dir!, f), 'utf8')))
      return described(cert!, key!)
    } catch {
      return undefined
    }
  }

  private async write(c: LabCert): Promise<void> {
    if (!this.dir) return
    await mkdir(this.dir, { recursive: true })
    await writeFile(join(this.dir, 'key.pem'), c.keyPem, { mode: 0o600 })
    await writeFile(join(this.dir, 'cert.pem'), c.certPem)
  }
}
