/**
 * The CLI's TLS flags: `tcp-server --tls [--tls-cert F --tls-key F] [--tls-export-cert F]` and
 * `tcp-client --tls [--tls-ca F | --tls-insecure] [--servername NAME] [--alpn P]`, both with
 * `--tls-keylog F` (else $SSLKEYLOGFILE, as curl and browsers read it); and the lab's
 * certificate folder for the CLI (kept between runs, so the PEM students trust stays the same).
 */
import { homedir } from 'node:os'
import { join } from 'node:path'
import { UsageError } from './usage-error'

export const TLS_SERVER_FLAGS = {
  tls: { type: 'boolean', default: false },
  'tls-cert': { type: 'string' },
  'tls-key': { type: 'string' },
  'tls-export-cert': { type: 'string' },
  'tls-keylog': { type: 'string' },
} as const
export const TLS_CLIENT_FLAGS = {
  tls: { type: 'boolean', default: false },
  'tls-ca': { type: 'string' },
  'tls-insecure': { type: 'boolean', default: false },
  servername: { type: 'string' },
  alpn: { type: 'string', multiple: true },
  'tls-keylog': { type: 'string' },
} as const

export interface TlsServerFlags {
  certFile?: string
  keyFile?: string
  exportCert?: string
  /** Where each session's keys go for Wireshark (SSLKEYLOGFILE format). */
  keylog?: string
}
export interface TlsClientFlags {
  trust: 'verify' | 'ca' | 'insecure'
  caFile?: string
  servername?: string
  alpn?: string[]
  keylog?: string
}

type Values = Record<string, unknown>
const str = (v: Values, k: string): string | undefined => (typeof v[k] === 'string' ? (v[k] as string) : undefined)
/** --tls-keylog, else the SSLKEYLOGFILE that curl and browsers read (an empty one is none). */
const keylogOf = (v: Values, env: NodeJS.ProcessEnv): { keylog?: string } => {
  const f = str(v, 'tls-keylog') ?? (env['SSLKEYLOGFILE'] || undefined)
  return f ? { keylog: f } : {}
}

export function tlsServerOf(v: Values, env = process.env): { tls?: TlsServerFlags } {
  const cert = str(v, 'tls-cert')
  const key = str(v, 'tls-key')
  const exportCert = str(v, 'tls-export-cert')
  if (!v['tls']) {
    if (cert || key || exportCert || str(v, 'tls-keylog'))
      throw new UsageError('--tls-cert, --tls-key, --tls-export-cert and --tls-keylog go with --tls')
    return {}
  }
  if (!cert !== !key)
    throw new UsageError('give --tls-cert and --tls-key together (or neither: the lab’s own certificate)')
  return {
    tls: {
      ...(cert ? { certFile: cert, keyFile: key } : {}),
      ...(exportCert ? { exportCert } : {}),
      ...keylogOf(v, env),
    },
  }
}

export function tlsClientOf(v: Values, env = process.env): { tls?: TlsClientFlags } {
  const ca = str(v, 'tls-ca')
  const servername = str(v, 'servername')
  const alpn = v['alpn'] as string[] | undefined
  if (!v['tls']) {
    if (ca || v['tls-insecure'] || servername || alpn || str(v, 'tls-keylog'))
      throw new UsageError('--tls-ca, --tls-insecure, --servername, --alpn and --tls-keylog go with --tls')
    return {}
  }
  if (ca && v['tls-insecure']) throw new UsageError('give --tls-ca or --tls-insecure, not both')
  const trust = ca ? 'ca' : v['tls-insecure'] ? 'insecure' : 'verify'
  return {
    tls: {
      trust,
      ...(ca ? { caFile: ca } : {}),
      ...(servername ? { servername } : {}),
      ...(alpn ? { alpn } : {}),
      ...keylogOf(v, env),
    },
  }
}

/** Where the CLI keeps the lab's certificate: the user's config folder. */
export function cliCertDir(env = process.env): string {
  return join(env['XDG_CONFIG_HOME'] ?? join(homedir(), '.config'), 'socket-lab', 'tls')
}
