/** `socket-lab tcp-server`: a TCP server as the course writes them; stdin to the newest connection. */
import { readFile, writeFile } from 'node:fs/promises'
import type { TlsServerOptions } from '../../shared/contract'
import { BadInput, OWNER, type Run, type Session } from '../session'

/** The certificate and key files given (bad files: bad input), or the lab's own; --tls-export-cert
 * writes the certificate students pass as `cafile=`. */
async function tlsOf(
  s: Session,
  t: NonNullable<Extract<Run, { command: 'tcp-server' }>['tls']>,
): Promise<TlsServerOptions> {
  const read = (f: string, flag: string): Promise<string> =>
    readFile(f, 'utf8').catch((e: NodeJS.ErrnoException) => {
      throw new BadInput(`${flag} ${f}: ${e.code ?? e.message}`)
    })
  const own = t.certFile ? undefined : await s.engine.certs.get()
  const cert = t.certFile ? await read(t.certFile, '--tls-cert') : own!.certPem
  const key = t.keyFile ? await read(t.keyFile, '--tls-key') : own!.keyPem
  if (t.exportCert)
    await writeFile(t.exportCert, cert).catch((e: NodeJS.ErrnoException) => {
      throw new BadInput(`--tls-export-cert ${t.exportCert}: ${e.code ?? e.message}`)
    })
  return { cert, key }
}

export async function tcpServer(s: Session, p: Extract<Run, { command: 'tcp-server' }>): Promise<void> {
  const tls = p.tls ? await tlsOf(s, p.tls) : undefined
  s.keylog(p.tls?.keylog)
  await s.engine.tcp.listen(OWNER, {
    host: p.host,
    port: p.port,
    backlog: p.backlog,
    mode: p.mode,
    reply: p.reply,
    encoding: p.encoding,
    rules: p.rules,
    // a raw sink reads 1 MiB at a time (the events are not what it is for)
    bulk: p.output === 'raw',
    // A server closes its side after the peer's FIN once what it owes is sent (ncat -lk does;
    // the course's modes do too). The app's plain server keeps CLOSE_WAIT instead, to teach it:
    // PlainOptions in src/main/engine/tcp/responder.ts. --half-open keeps it here too.
    closeOnEnd: !p.halfOpen,
    ...(tls ? { tls } : {}),
  })
  const newest: string[] = []
  s.watchers.add((ev) => {
    if (ev.kind === 'connection') newest.push(ev.conn)
    const i = ev.kind === 'close' ? newest.indexOf(ev.id) : -1
    if (i >= 0) newest.splice(i, 1)
  })
  s.serverStdin(() => newest.at(-1))
}
