/**
 * Room mode under a class: N clients (in a separate process, so they do not share the server's
 * event loop) on an engine room server, one message broadcast per round; latency from the send to
 * the last client's receipt, p50/p99 over the rounds, and heap per connection on the server side.
 * Side by side in the same run: a bare node:net broadcast server, which records no events.
 */
import { spawn } from 'node:child_process'
import net from 'node:net'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { benchEngine, OWNER, TCP_SERVER } from './engine'

setFlagsFromString('--expose-gc')
const gc = runInNewContext('gc') as () => void

/** The clients: connect all, then for each round one sends and every other times its receipt. */
const CLIENTS = String.raw`
const net = require('node:net')
const [port, n, rounds] = process.argv.slice(1).map(Number)
const socks = []
let joined = 0
const tails = new Map()
function onPing(r) {
  if (current && r === current.round && ++current.got === n - 1) {
    const ms = Number(process.hrtime.bigint() - current.t0) / 1e6
    process.stdout.write(JSON.stringify({ ms }) + '\n')
    current = undefined
    setTimeout(next, 5)
  }
}
let current
let round = 0
function next() {
  if (round === rounds) {
    for (const s of socks) s.destroy()
    process.exit(0)
  }
  round++
  current = { round, got: 0, t0: process.hrtime.bigint() }
  socks[round % n].write('ping ' + round + '\n')
}
function open(onWelcome) {
  const s = net.connect(port, '127.0.0.1')
  s.setNoDelay(true)
  socks.push(s)
  let welcomed = false
  s.on('data', (d) => {
    // The first bytes (the welcome, or a join) prove the server accepted this client.
    if (!welcomed) {
      welcomed = true
      onWelcome()
      if (++joined === n) {
        process.stdout.write(JSON.stringify({ joined }) + '\n')
        process.stdin.once('data', () => setTimeout(next, 50))
      }
    }
    // Only "ping N" lines matter; thousands of joins are skipped by a native search, not split
    // into strings. A line cut between two reads is completed from the kept tail.
    const tail = tails.get(s)
    const buf = tail ? Buffer.concat([tail, d]) : d
    let done = 0
    for (let at = buf.indexOf('ping '); at >= 0; at = buf.indexOf('ping ', done)) {
      const nl = buf.indexOf(10, at)
      if (nl < 0) break
      onPing(Number(buf.toString('latin1', at + 5, nl)))
      done = nl + 1
    }
    const keep = Math.max(done, buf.length - 32)
    tails.set(s, keep < buf.length ? Buffer.from(buf.subarray(keep)) : undefined)
  })
  s.on('error', (e) => {
    process.stderr.write('room client: ' + e.message + '\n')
    process.exit(1)
  })
}
// Dial in waves of 100, each once the previous one is welcomed (accepted by the server, not
// just connected): with thousands dialling at once the accept queue overflows, and a client
// whose final ACK the kernel dropped believes it is connected while the server never hears of
// it until it sends (a SYN-cookie connection), so it would wait for its welcome forever.
let dialled = 0
function wave() {
  const size = Math.min(100, n - dialled)
  let up = 0
  for (let i = 0; i < size; i++) open(() => { if (++up === size && dialled < n) wave() })
  dialled += size
}
wave()
`

interface RoomServer {
  port: number
  close(): Promise<void>
}

async function engineRoom(): Promise<RoomServer> {
  const b = benchEngine()
  const info = await b.engine.tcp.listen(OWNER, { ...TCP_SERVER, mode: 'room' })
  return { port: info.local!.port, close: b.close }
}

async function bareRoom(): Promise<RoomServer> {
  const members = new Set<net.Socket>()
  const server = net.createServer((s) => {
    s.write(`Welcome! ${members.size} other(s) here.\n`)
    for (const m of members) m.write(`* ${s.remotePort} joined\n`)
    members.add(s)
    s.on('data', (d) => {
      const line = `${s.remotePort}: ${d.toString().replace(/\n$/, '')}\n`
      for (const m of members) if (m !== s) m.write(line)
    })
    s.on('close', () => members.delete(s))
    s.on('error', () => undefined)
  })
  await new Promise<void>((r) => server.listen({ host: '127.0.0.1', port: 0, backlog: 511 }, r))
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () => new Promise((r) => server.close(() => r())),
  }
}

const heap = (): number => {
  gc()
  const m = process.memoryUsage()
  return m.heapUsed + m.external + m.arrayBuffers
}

const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!
}

async function run(server: RoomServer, n: number, rounds: number) {
  // the heap with the server listening and nothing connected: what follows is per connection
  const base = heap()
  const child = spawn(process.execPath, ['-e', CLIENTS, String(server.port), String(n), String(rounds)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  })
  const times: number[] = []
  let perConn = 0
  let out = ''
  await new Promise<void>((resolve, reject) => {
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d
      let nl
      while ((nl = out.indexOf('\n')) >= 0) {
        const msg = JSON.parse(out.slice(0, nl)) as { joined?: number; ms?: number }
        out = out.slice(nl + 1)
        if (msg.joined) {
          perConn = (heap() - base) / n
          child.stdin.write('go\n')
        } else if (msg.ms !== undefined) times.push(msg.ms)
      }
    })
    child.on('exit', () => (times.length === rounds ? resolve() : reject(new Error(`only ${times.length} rounds`))))
  })
  await server.close()
  return { p50: pct(times, 50), p99: pct(times, 99), perConn }
}

export async function roomBench(quick: boolean, clients?: number): Promise<void> {
  const n = clients ?? (quick ? 100 : 500)
  const rounds = quick ? 20 : clients && clients > 1000 ? 30 : 100
  const f = (x: number): string => x.toFixed(1).padStart(6)
  // Each line as soon as it is measured (a large room takes minutes per server).
  console.log(`Room mode, ${n} clients (another process), ${rounds} broadcasts, send -> last receipt:`)
  const bare = await run(await bareRoom(), n, rounds)
  console.log(`  bare node:net room   p50 ${f(bare.p50)} ms  p99 ${f(bare.p99)} ms  ${f(bare.perConn / 1024)} KiB/conn`)
  const eng = await run(await engineRoom(), n, rounds)
  console.log(`  engine room          p50 ${f(eng.p50)} ms  p99 ${f(eng.p99)} ms  ${f(eng.perConn / 1024)} KiB/conn`)
  console.log(`  ratio engine/bare p99 ${(eng.p99 / bare.p99).toFixed(2)}  (target: engine p99 < 50 ms at 500 clients)`)
  // With few clients the heap's noise can exceed what they cost (a negative figure): no ratio then.
  if (eng.perConn > 0 && bare.perConn > 0)
    console.log(`  ratio engine/bare memory per connection ${(eng.perConn / bare.perConn).toFixed(2)}`)
  else console.log('  memory per connection: below the heap noise at this size (no ratio)')
}
