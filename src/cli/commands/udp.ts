/** `socket-lab udp` (a bound socket that prints what arrives) and `udp-send` (datagrams out). */
import { setTimeout as sleep } from 'node:timers/promises'
import { isIPv6 } from '../../shared/validate'
import { OWNER, type Run, type Session } from '../session'

export async function udp(s: Session, p: Extract<Run, { command: 'udp' }>): Promise<void> {
  await s.engine.udp.bind(OWNER, { host: p.host, port: p.port, echo: p.echo })
}

export async function udpSend(s: Session, p: Extract<Run, { command: 'udp-send' }>): Promise<void> {
  const data = s.bytesOf(p.message, '<message>')
  const u = await s.engine.udp.bind(OWNER, {
    host: isIPv6(p.host) ? '::' : '0.0.0.0',
    port: 0,
    ...(p.broadcast ? { broadcast: true } : {}),
    ...(p.iface ? { multicastIface: p.iface } : {}),
  })
  for (let i = 1; i <= p.count && !s.stopped; i++) {
    const d = p.seq ? Buffer.concat([Buffer.from(`#${i} `), data]) : data
    await s.engine.udp.send(OWNER, { id: u.id, host: p.host, port: p.port, data: d.toString('hex'), encoding: 'hex' })
    if (p.intervalMs && i < p.count) await sleep(p.intervalMs)
  }
  // Replies (an echo server's, say) that arrive soon after are printed too.
  const waitTimer = setTimeout(() => void s.stop(0), p.waitMs)
  s.watchers.add((ev) => ev.kind === 'close' && clearTimeout(waitTimer))
}
