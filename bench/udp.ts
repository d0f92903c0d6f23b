/**
 * UDP receive rate: datagrams/s taken in by an engine UDP socket that records every datagram as
 * an event and pushes batches through the batcher (serialized as for the page), vs a bare
 * node:dgram socket that only counts. One sender process (the other core) floods 64-byte
 * datagrams for a fixed time; rounds alternate; medians. What a receiver cannot keep up with,
 * the kernel drops, so datagrams received per second is the receiver's capacity.
 */
import { spawn } from 'node:child_process'
import dgram from 'node:dgram'
import { benchEngine, OWNER } from './engine'

/** Also used by the UI bench: sends `rate` datagrams/s (0: as fast as it can) for `ms`. */
export const UDP_SENDER = String.raw`
const dgram = require('node:dgram')
const [port, ms, rate, size] = process.argv.slice(1).map(Number)
const s = dgram.createSocket('udp4')
const buf = Buffer.alloc(size, 120)
let sent = 0
const t0 = Date.now()
const tick = () => {
  const elapsed = Date.now() - t0
  if (elapsed >= ms) return s.close(() => { process.stdout.write(String(sent)); process.exit(0) })
  const due = rate ? Math.floor((rate * elapsed) / 1000) - sent : 256
  let pending = 0
  for (let i = 0; i < due; i++) { pending++; sent++; s.send(buf, port, '127.0.0.1', () => { if (--pending === 0) setImmediate(tick) }) }
  if (due <= 0) setTimeout(tick, 2)
}
s.bind(0, '127.0.0.1', tick)
`

export function runUdpSender(port: number, ms: number, rate: number, size = 64): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', UDP_SENDER, String(port), String(ms), String(rate), String(size)])
    let out = ''
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d))
    child.on('exit', (code) => (code === 0 ? resolve(Number(out)) : reject(new Error(`sender exited ${code}`))))
  })
}

type Rx = { port: number; count: () => number; close: () => Promise<void> }

async function bare(): Promise<Rx> {
  const s = dgram.createSocket({ type: 'udp4', recvBufferSize: 4 * 1024 * 1024 })
  let n = 0
  s.on('message', () => n++)
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', r))
  return { port: s.address().port, count: () => n, close: () => new Promise((r) => s.close(() => r())) }
}

async function engineRx(): Promise<Rx> {
  let n = 0
  const b = benchEngine((ev) => {
    if (ev.kind === 'data') n++
  })
  const u = await b.engine.udpBind(OWNER, { host: '127.0.0.1', port: 0, recvBufferBytes: 4 * 1024 * 1024 })
  return { port: u.local!.port, count: () => n, close: b.close }
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

export async function udpBench(quick: boolean): Promise<number> {
  const ms = quick ? 1000 : 3000
  const rounds = quick ? 2 : 5
  const rates: Record<'bare' | 'engine', number[]> = { bare: [], engine: [] }
  let offered = 0
  for (let i = 0; i < rounds; i++) {
    for (const kind of ['bare', 'engine'] as const) {
      const rx = kind === 'bare' ? await bare() : await engineRx()
      const sent = await runUdpSender(rx.port, ms, 0)
      await new Promise((r) => setTimeout(r, 100)) // what is still queued is read
      rates[kind].push(rx.count() / (ms / 1000))
      offered = Math.max(offered, sent / (ms / 1000))
      await rx.close()
    }
  }
  const b = median(rates.bare)
  const e = median(rates.engine)
  const k = (x: number): string => `${(x / 1000).toFixed(0)} k/s`
  console.log(`UDP, 64-byte datagrams flooded for ${ms / 1000} s x ${rounds} rounds, loopback, median received:`)
  console.log(`  sender offered up to   ${k(offered)}`)
  console.log(`  bare node:dgram        ${k(b)}`)
  console.log(`  engine + batcher       ${k(e)}`)
  console.log(`  ratio engine/bare      ${(e / b).toFixed(2)} (target >= 0.7)`)
  return e / b
}
