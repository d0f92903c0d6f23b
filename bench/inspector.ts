/**
 * The inspector's polling cost: the OS socket table read and marked for an owner with 200 lab
 * connections open, polled as the inspector does (every 500 x one reading's cost, 0.5 s to 2 s),
 * as CPU time over wall time, net of the same process not polling: windows of each, alternating
 * (the first after a pause, so that neither pays for setting the sockets up). The table is read
 * again only when the lab's sockets had an event (or on the 10 s heartbeat): measured with the
 * lab still (the target: under 1% of a core), then with one of its connections sending a line a
 * second, when every poll reads (said as it is).
 */
import net from 'node:net'
import { SocketEngine } from '../src/main/engine/engine'
import { TCP_SERVER } from './engine'
import { inspectorInterval } from '../src/shared/contract'

const OWNER = 'bench'

interface Window {
  cpuMs: number
  wallMs: number
  polls: number
  reads: number
  interval: number
  rows: number
}

/** `ms` of polling, or of nothing (`poll` false): the CPU this process used meanwhile. */
async function window(engine: SocketEngine, ms: number, poll: boolean): Promise<Window> {
  const w: Window = { cpuMs: 0, wallMs: 0, polls: 0, reads: 0, interval: 500, rows: 0 }
  const t0 = performance.now()
  const cpu0 = process.cpuUsage()
  while (performance.now() - t0 < ms) {
    if (poll) {
      const t = await engine.inspector.osSockets(OWNER, false)
      w.polls++
      if (t.unchangedSince === undefined) w.reads++
      w.rows = t.rows.length
      w.interval = inspectorInterval(t.costMs)
    }
    await new Promise((r) => setTimeout(r, Math.min(w.interval, ms - (performance.now() - t0))))
  }
  const cpu = process.cpuUsage(cpu0)
  w.cpuMs = (cpu.user + cpu.system) / 1000
  w.wallMs = performance.now() - t0
  return w
}

/** Polling and not, alternating, `rounds` times `ms` each: the net share of a core polling costs. */
async function alternate(engine: SocketEngine, rounds: number, ms: number): Promise<{ net: number; p: Window[] }> {
  const idle: Window[] = []
  const p: Window[] = []
  for (let i = 0; i < rounds; i++) {
    idle.push(await window(engine, ms, false))
    p.push(await window(engine, ms, true))
  }
  const pct = (ws: Window[]): number =>
    (ws.reduce((a, w) => a + w.cpuMs, 0) / ws.reduce((a, w) => a + w.wallMs, 0)) * 100
  return { net: pct(p) - pct(idle), p }
}

export async function inspectorBench(quick: boolean): Promise<{ still: number; busy: number }> {
  const engine = new SocketEngine(() => undefined)
  const server = await engine.tcp.listen(OWNER, { ...TCP_SERVER, mode: 'plain' })
  const clients = await Promise.all(
    Array.from(
      { length: 200 },
      () =>
        new Promise<net.Socket>((r) => {
          const s = net.connect(server.local!.port, '127.0.0.1', () => r(s))
        }),
    ),
  )
  const rounds = quick ? 1 : 2
  const ms = quick ? 5000 : 10_000
  for (let i = 0; i < 3; i++) await engine.inspector.osSockets(OWNER, false) // warm up: JIT, first reads
  await new Promise((r) => setTimeout(r, 2000))
  const still = await alternate(engine, rounds, ms)
  const sum = (k: 'polls' | 'reads'): number => still.p.reduce((a, w) => a + w[k], 0)
  console.log(
    `Inspector polling, ${rounds} x ${ms / 1000} s each way, ${still.p[0]!.rows} lab rows (201 sockets open):`,
  )
  console.log(
    `  the lab still: ${sum('polls')} polls every ${still.p[0]!.interval} ms, ${sum('reads')} read the OS's table: net ${still.net.toFixed(2)}% of one core (target < 1%)`,
  )
  // one client sends a line a second: an event each time, so each poll reads the table
  const talker = clients[0]!
  const talk = setInterval(() => talker.write('hello\n'), 1000)
  const busy = await alternate(engine, rounds, ms)
  clearInterval(talk)
  const reads = busy.p.reduce((a, w) => a + w.reads, 0)
  const polls = busy.p.reduce((a, w) => a + w.polls, 0)
  console.log(
    `  a connection talking (a line a second): ${polls} polls, ${reads} read the table: net ${busy.net.toFixed(2)}% of one core`,
  )
  for (const c of clients) c.destroy()
  await engine.closeAll()
  return { still: still.net, busy: busy.net }
}
