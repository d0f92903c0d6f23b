/**
 * TLS for the engine's TCP sockets (node:tls), everything else unchanged: a client's TLS runs over
 * the lab's own net.Socket (connected later, as any client's); a server reads each connection's
 * ClientHello first (what the client offered), then hands the same bytes to a TLS socket. A
 * plain-text peer on a TLS port, or one that never speaks, is kept as a plain connection with what
 * it sent and an error that says so. Each handshake done gives a `tls` event: what was chosen, the
 * certificate, and whether it verified (and if not, why).
 */
import net from 'node:net'
import { X509Certificate } from 'node:crypto'
import tls from 'node:tls'
import type { LabEvent, TlsCert, TlsClientOptions, TlsServerOptions } from '../../../shared/contract'
import { LabFailure } from '../errors'
import type { Entry, SocketRegistry } from '../registry'
import type { CertStore } from './cert'
import { looksLike, readClientHello, recordLength, type Offered } from './hello'

/** How long a server waits for a client's first TLS bytes. */
export const HELLO_MS = 10_000
const MAX_HELLO = 16 * 1024 + 5

type TlsEvent = Extract<LabEvent, { kind: 'tls' }>
export type TlsFacts = Omit<TlsEvent, 'id' | 't' | 'kind'>

/** TLS sockets whose handshake is done. */
const shaken = new WeakSet<net.Socket>()
function track(s: tls.TLSSocket, event: 'secure' | 'secureConnect'): tls.TLSSocket {
  s.once(event, () => shaken.add(s))
  return s
}

/** Runs `fn` now, or for a TLS socket still in its handshake once it is done: a half-close sent
 * mid-handshake breaks it (the peer reads a FIN where it expects the next record). */
export function afterHandshake(sock: net.Socket, fn: () => void): void {
  if (!(sock instanceof tls.TLSSocket) || shaken.has(sock)) return fn()
  let ran = false
  const go = (): void => {
    if (ran) return
    ran = true
    if (!sock.destroyed) fn()
  }
  // a server's socket says 'secure', a client's 'secureConnect'; a failed handshake, 'close'
  for (const e of ['secure', 'secureConnect', 'close']) sock.once(e, go)
}

/**
 * A TLS client on `raw`: until its TCP connection is up, its failures (refused, timed out) are
 * reported as any client's; the function returned, called once it is up, starts TLS on the
 * connected socket's own handle, makes it the entry's stream (`wire` hears it) and reports the
 * handshake as a `tls` event.
 */
export function secureClient(
  raw: net.Socket,
  host: string,
  o: TlsClientOptions,
  entry: Entry,
  reg: Pick<SocketRegistry, 'push' | 'emitError' | 'finish' | 'tlsKeylog'>,
  wire: (s: net.Socket) => void,
  handshakeMs = HELLO_MS,
): () => void {
  const error = (e: Error): void => reg.emitError(entry, e)
  const closed = (hadError: boolean): void => reg.finish(entry, hadError)
  raw.on('error', error)
  raw.on('close', closed)
  return () => {
    raw.off('error', error)
    raw.off('close', closed)
    const secure = tlsClient(raw, host, o)
    keylogOf(secure, reg)
    entry.handle = { stream: secure }
    wire(secure)
    // a server that accepted but never answers the ClientHello (a plain one waiting for the client
    // to speak first) would hold the client for ever
    const late = setTimeout(
      () => secure.destroy(new LabFailure('ETLSNOANSWER', `no TLS handshake answer within ${handshakeMs / 1000} s`)),
      handshakeMs,
    )
    secure.once('close', () => clearTimeout(late))
    secure.once('secureConnect', () => {
      clearTimeout(late)
      reg.push(entry, { kind: 'tls', ...tlsFacts(secure, 'client', undefined, host) })
    })
  }
}

/** A client's TLS over `raw`, once connected: on its own handle (a socket wrapped before it
 * connects goes through a JS stream, which Node's own assertions trip over on a half-close). */
export function tlsClient(raw: net.Socket, host: string, o: TlsClientOptions): tls.TLSSocket {
  return track(
    tls.connect({
      socket: raw,
      host,
      ...(o.servername ? { servername: o.servername } : net.isIP(host) ? {} : { servername: host }),
      ...(o.trust === 'ca' && o.ca ? { ca: o.ca } : {}),
      // 'insecure' connects anyway; the tls event still says why it would have failed
      rejectUnauthorized: o.trust !== 'insecure',
      ...(o.alpn?.length ? { ALPNProtocols: o.alpn } : {}),
    }),
    'secureConnect',
  )
}

/** Each server context's own certificate, as a handshake card shows it: read once, not per connection. */
const ownCerts = new WeakMap<tls.SecureContext, TlsCert>()

/** The server's secure context: the given certificate and key, else the lab's own. */
export async function serverContext(o: TlsServerOptions, certs: CertStore): Promise<tls.SecureContext> {
  const { cert, key } = o.cert && o.key ? o : await certs.get().then((c) => ({ cert: c.certPem, key: c.keyPem }))
  try {
    const ctx = tls.createSecureContext({ cert, key })
    const x = new X509Certificate(cert!)
    ownCerts.set(ctx, {
      subject: x.subject.split('\n').join(', '),
      issuer: x.issuer.split('\n').join(', '),
      subjectaltname: x.subjectAltName ?? '',
      valid_from: x.validFrom,
      valid_to: x.validTo,
      fingerprint256: x.fingerprint256,
    })
    return ctx
  } catch (e) {
    throw new LabFailure('ETLSCERT', `the certificate and key cannot be used: ${(e as Error).message}`)
  }
}

export type Accepted =
  | { secure: tls.TLSSocket; offered?: Offered; own?: TlsCert }
  | { plain: net.Socket; bytes: Buffer; why: 'plain' | 'timeout' | 'ended' }

/** Reads a connection's ClientHello, then gives the TLS socket (or the plain one, and why). */
export function acceptTls(raw: net.Socket, ctx: tls.SecureContext, done: (a: Accepted) => void): void {
  let buf: Buffer = Buffer.alloc(0)
  const finish = (why: 'tls' | 'plain' | 'timeout' | 'ended'): void => {
    clearTimeout(timer)
    raw.off('data', onData)
    raw.off('end', onEnd)
    raw.pause()
    if (buf.length) raw.unshift(buf)
    if (why === 'tls') {
      const offered = readClientHello(buf)
      const secure = track(new tls.TLSSocket(raw, { isServer: true, secureContext: ctx }), 'secure')
      // a client that gave up the handshake (it did not trust the certificate) leaves a TLS
      // socket that can no longer finish an end(): it goes with the connection
      let shook = false
      secure.once('secure', () => (shook = true))
      secure.once('end', () => shook || raw.destroy())
      secure.once('close', () => raw.destroy())
      raw.once('close', () => secure.destroy())
      const own = ownCerts.get(ctx)
      // the TLS socket answers the hello on the next tick (Node's initRead, queued as it was made):
      // the lab's record of the connection comes after that answer, out of the handshake's way
      process.nextTick(done, { secure, ...(offered ? { offered } : {}), ...(own ? { own } : {}) })
    } else done({ plain: raw, bytes: buf, why })
  }
  const onData = (d: Buffer): void => {
    // a ClientHello comes whole in one read almost always: no copy then
    buf = buf.length ? Buffer.concat([buf, d]) : d
    const kind = looksLike(buf)
    if (kind === 'plain') return finish('plain')
    const n = recordLength(buf)
    if ((n !== undefined && buf.length >= n) || buf.length >= MAX_HELLO) finish('tls')
  }
  const onEnd = (): void => finish('ended')
  const timer = setTimeout(() => finish('timeout'), HELLO_MS)
  raw.on('data', onData)
  raw.once('end', onEnd)
}

function certOf(c: tls.PeerCertificate | tls.DetailedPeerCertificate | null | undefined): TlsCert | undefined {
  if (!c || !c.fingerprint256) return undefined
  const name = (x: Record<string, string | string[]> | undefined): string =>
    Object.entries(x ?? {})
      .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('+') : v}`)
      .join(', ')
  return {
    subject: name(c.subject as unknown as Record<string, string>),
    issuer: name(c.issuer as unknown as Record<string, string>),
    subjectaltname: c.subjectaltname ?? '',
    valid_from: c.valid_from,
    valid_to: c.valid_to,
    fingerprint256: c.fingerprint256,
  }
}

/** The chain a peer sent, leaf first (a self-signed certificate is its own issuer: once). */
function chainOf(sock: tls.TLSSocket): TlsCert[] {
  const out: TlsCert[] = []
  let c: tls.DetailedPeerCertificate | undefined = sock.getPeerCertificate(true)
  while (c && c.fingerprint256 && !out.some((x) => x.fingerprint256 === c!.fingerprint256)) {
    out.push(certOf(c)!)
    c = c.issuerCertificate
  }
  return out
}

/** What a finished handshake chose, and what was shown and verified. */
export function tlsFacts(
  sock: tls.TLSSocket,
  side: 'client' | 'server',
  offered?: Offered,
  host?: string,
  own?: TlsCert,
): TlsFacts {
  const key = sock.getEphemeralKeyInfo()
  const group = key && 'name' in key && key.name ? String(key.name) : undefined
  const servername = (sock as tls.TLSSocket & { servername?: string | false }).servername
  const f: TlsFacts = {
    side,
    protocol: sock.getProtocol() ?? '',
    cipher: sock.getCipher()?.standardName ?? sock.getCipher()?.name ?? '',
    alpn: sock.alpnProtocol || '',
    servername: servername || '',
    authorized: sock.authorized,
    resumed: sock.isSessionReused(),
    ...(group ? { group } : {}),
  }
  if (side === 'client') {
    if (!sock.authorized && sock.authorizationError) f.authorizationError = String(sock.authorizationError)
    // OpenSSL stops at its first complaint: whether the name matches too is asked apart
    const peer = sock.getPeerCertificate(true)
    const name = f.servername || host
    const mismatch = name && peer?.raw ? tls.checkServerIdentity(name, peer) : undefined
    if (mismatch) f.nameError = (mismatch as Error & { code?: string }).code ?? mismatch.message
    const chain = chainOf(sock)
    if (chain.length) f.chain = chain
  } else {
    const mine = own ?? certOf(sock.getCertificate() as tls.PeerCertificate)
    if (mine) f.chain = [mine]
  }
  if (offered) f.offered = offered
  return f
}

/** The handshake's keys to the key log, only while it is on: a 'keylog' listener makes OpenSSL
 * hand every secret to JavaScript (five lines a TLS 1.3 handshake), wanted or not. */
function keylogOf(s: tls.TLSSocket, reg: Pick<SocketRegistry, 'tlsKeylog'>): void {
  if (reg.tlsKeylog) s.on('keylog', (line) => reg.tlsKeylog?.(line))
}

/** A connection taken in over TLS (acceptTls, then onAccepted): its entry once its first bytes are read. */
export function acceptSecure(
  raw: net.Socket,
  ctx: tls.SecureContext,
  accept: (s: net.Socket) => Entry,
  reg: Pick<SocketRegistry, 'push' | 'emitError' | 'tlsKeylog'>,
): Promise<Entry> {
  return new Promise((resolve) =>
    acceptTls(raw, ctx, (a) =>
      onAccepted(
        a,
        (s) => {
          const e = accept(s)
          resolve(e)
          return e
        },
        reg,
      ),
    ),
  )
}

/** A connection read by acceptTls, taken in as the server's: its `tls` event once the handshake
 * is done; a plain or silent peer kept with what it sent, an error saying why, then closed. */
export function onAccepted(
  a: Accepted,
  accept: (s: net.Socket) => Entry,
  reg: Pick<SocketRegistry, 'push' | 'emitError' | 'tlsKeylog'>,
): void {
  if ('secure' in a) {
    keylogOf(a.secure, reg)
    const conn = accept(a.secure)
    a.secure.once('secure', () =>
      reg.push(conn, { kind: 'tls', ...tlsFacts(a.secure, 'server', a.offered, undefined, a.own) }),
    )
    return
  }
  const conn = accept(a.plain)
  a.plain.resume()
  const first = a.bytes
    .subarray(0, 40)
    .toString('latin1')
    .replace(/[^\x20-\x7e]/g, '.')
  const why =
    a.why === 'plain'
      ? new LabFailure(
          'ETLSPLAIN',
          `the client sent plain bytes, not a TLS handshake ("${first}"): it does not speak TLS`,
        )
      : a.why === 'timeout'
        ? new LabFailure('ETLSTIMEDOUT', `no TLS handshake came within ${HELLO_MS / 1000} s`)
        : new LabFailure('ETLSPLAIN', 'the client closed before any TLS handshake')
  // its bytes are read first (they are shown), then the error, then the close
  setTimeout(() => {
    reg.emitError(conn, why)
    a.plain.destroy()
  }, 50)
}
