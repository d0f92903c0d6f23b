/**
 * The inspector's polling cost: the OS socket table read and marked for an owner with 200 lab
 * connections open, at the rate the inspector uses (500 x one reading's cost, 0.5 s to 10 s),
 * as CPU time over wall time. Target: under 1% of a core.
 */
import net from 'node:net'
import { SocketEngine } from '../src/main/engine/engine'
import { TCP_SERVER } from './engine'
import { inspectorInterval } from '../src/shared/contract'

export async function inspectorBench(quick: boolean): Promise<void> {
  const engine = new SocketEngine(() => undefined)
  const server = await engine.tcp.listen('bench', { ...TCP_SERVER, mode: 'plain' })
  const clients = await Promise.all(
    Array.from(
      { length: 200 },
      () =>
        new Promise<net.Socket>((r) => {
          const s = net.connect(server.local!.port, '127.0.0.1', () => r(s))
        }),
    ),
  )
  const seconds = quick ? 5 : 20
  for (let i = 0; i < 3; i++) await engine.inspector.osSockets('bench', false) // warm up: JIT, first reads
  await new Promise((r) => setTimeout(r, 500))
  const t0 = performance.now()
  const cpu0 = process.cpuUsage()
  let polls = 0
  let rows = 0
  let interval = 500
  while (performance.now() - t0 < seconds * 1000) {
    const t = await engine.inspector.osSockets('bench', false)
    polls++
    rows = t.rows.length
    interval = inspectorInterval(t.costMs)
    await new Promise((r) => setTimeout(r, interval))
  }
  const cpu = process.cpuUsage(cpu0)
  const wall = performance.now() - t0
  const pct = ((cpu.user + cpu.system) / 1000 / wall) * 100
  // Side by side: the same process, same sockets, not polling, for the same time.
  const i0 = process.cpuUsage()
  const w0 = performance.now()
  await new Promise((r) => setTimeout(r, seconds * 1000))
  const idle = process.cpuUsage(i0)
  const idlePct = ((idle.user + idle.system) / 1000 / (performance.now() - w0)) * 100
  console.log(`Inspector polling, ${seconds} s, ${rows} lab rows (201 sockets open):`)
  console.log(`  ${polls} readings, interval ${interval} ms`)
  console.log(
    `  CPU polling ${pct.toFixed(2)}%, idle ${idlePct.toFixed(2)}%, net ${(pct - idlePct).toFixed(2)}% of one core (target < 1%)`,
  )
  for (const c of clients) c.destroy()
  await engine.closeAll()
}
