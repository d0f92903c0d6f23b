/**
 * UDP receive rate: datagrams/s taken in by an engine UDP socket that records every datagram as
 * an event and pushes batches through the batcher (serialized as for the page), vs a bare
 * node:dgram socket that only counts. One sender process (the other core) floods 64-byte
 * datagrams for a fixed time; rounds alternate; medians. What a receiver cannot keep up with,
 * the kernel drops, so datagrams received per second is the receiver's capacity.
 */
import dgram from 'node:dgram'
import { runPython } from '../test/support/python'
import { benchEngine, OWNER } from './engine'

/**
 * Also used by the UI bench: sends `rate` datagrams/s of `size` bytes (0: as fast as it can)
 * for `ms`, then prints how many it sent. Python's `socket` (as a student's sender would be): at 100,000/s
 * it needs about 40 % of a core here, where a Node sender (a callback per datagram) needs 75 %,
 * CPU the receiver and the page then lack on a two-core machine.
 */
export const UDP_SENDER = String.raw`
import socket, sys, time
port, ms, rate, size = map(int, sys.argv[1:5])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.connect(('127.0.0.1', port))
send = s.send
buf = b'x' * size
sent = 0
t0 = time.monotonic()
end = t0 + ms / 1000
while True:
    now = time.monotonic()
    if now >= end:
        break
    due = int(rate * (now - t0)) - sent if rate else 256
    if due <= 0:
        time.sleep(0.001)
        continue
    for _ in range(due):
        try:
            send(buf)
        except OSError:  # ENOBUFS, or ECONNREFUSED (an ICMP from a port closed meanwhile)
            pass
    sent += due
print(sent)
`

export async function runUdpSender(port: number, ms: number, rate: number, size = 64): Promise<number> {
  const r = await runPython(UDP_SENDER, [String(port), String(ms), String(rate), String(size)], ms + 15_000)
  if (r.code !== 0) throw new Error(`sender exited ${r.code}: ${r.stderr}`)
  return Number(r.stdout)
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
  const u = await b.engine.udp.bind(OWNER, { host: '127.0.0.1', port: 0, recvBufferBytes: 4 * 1024 * 1024 })
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
