/** `socket-lab backlog`: the listen-backlog demo's serial server; stdin to the client being served. */
import { OWNER, type Run, type Session } from '../session'

export async function backlog(s: Session, p: Extract<Run, { command: 'backlog' }>): Promise<void> {
  s.printer.mode(await s.engine.backlog.mode())
  await s.engine.backlog.listen(OWNER, {
    host: p.host,
    port: p.port,
    backlog: p.backlog,
    reply: p.reply,
    serveMs: p.serveMs,
    encoding: p.encoding,
  })
  let current: string | undefined
  s.watchers.add((ev) => {
    if (ev.kind === 'serve') current = ev.phase === 'start' ? ev.conn : undefined
  })
  s.serverStdin(() => current)
}
