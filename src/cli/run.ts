/**
 * The headless CLI's socket commands: the same engine as the app, printing its events as text,
 * JSON lines or raw bytes. Servers run until SIGINT or SIGTERM; stdin only feeds what it sends
 * (the end of stdin ends nothing else). What is sent from stdin goes as bytes, with back-pressure,
 * unless stdin is lines (a terminal, or --lines). One file per command in commands/; what they
 * share (the engine, the printer, stdin, the end of the run) in session.ts.
 */
import { backlog } from './commands/backlog'
import { tcpClient } from './commands/tcp-client'
import { tcpServer } from './commands/tcp-server'
import { udp, udpSend } from './commands/udp'
import { Session, type Io, type Run } from './session'

export type { Io }

export async function run(p: Run, io: Io): Promise<number> {
  const s = new Session(p, io)
  try {
    switch (p.command) {
      case 'tcp-server':
        await tcpServer(s, p)
        break
      case 'backlog':
        await backlog(s, p)
        break
      case 'tcp-client':
        return await tcpClient(s, p)
      case 'udp':
        await udp(s, p)
        break
      case 'udp-send':
        await udpSend(s, p)
        break
    }
  } catch (err) {
    return s.failed(err)
  }
  return s.exitCode()
}
