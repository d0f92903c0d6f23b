/** `socket-lab tcp-server`: a TCP server as the course writes them; stdin to the newest connection. */
import { OWNER, type Run, type Session } from '../session'

export async function tcpServer(s: Session, p: Extract<Run, { command: 'tcp-server' }>): Promise<void> {
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
  })
  const newest: string[] = []
  s.watchers.add((ev) => {
    if (ev.kind === 'connection') newest.push(ev.conn)
    const i = ev.kind === 'close' ? newest.indexOf(ev.id) : -1
    if (i >= 0) newest.splice(i, 1)
  })
  s.serverStdin(() => newest.at(-1))
}
