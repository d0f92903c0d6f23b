import { execFileSync } from 'node:child_process'
import { join } from 'node:path'

/** A self-signed certificate made by `openssl req` (EC P-256, 2 days) for `san` ("IP:127.0.0.1",
 * "DNS:x"), as a teacher or a site would make one: the PEM and key files in `dir`. */
export function opensslCert(dir: string, name: string, san: string): { cert: string; key: string } {
  const cert = join(dir, `${name}.pem`)
  const key = join(dir, `${name}.key`)
  const args = ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '2']
  execFileSync(
    'openssl',
    [...args, '-subj', `/CN=${name}`, '-addext', `subjectAltName=${san}`, '-keyout', key, '-out', cert],
    {
      stdio: 'ignore',
    },
  )
  return { cert, key }
}
