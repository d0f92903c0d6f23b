/**
 * `npm run bench [-- --quick]`: every figure is measured side by side in one run, and the
 * targets are ratios, never absolute times (this machine is noisy).
 *
 * 1. TCP: bytes/s into an engine server that records every read as an event and pushes batches
 *    through the batcher (serialized as the preview bridge does), vs a bare node:net server.
 *    The same sender (a separate process, so it gets the other core) feeds both, alternating.
 * 2. Batcher: events/s pushed through the router with 4 KiB payloads, with the peak heap.
 * 3. Accept: the kernel-queue acceptor (one connection per accept, via the fd bank) vs Node's
 *    own accept loop, each taking the same number of connections already waiting in the queue.
 * 4. Room: broadcast latency p50/p99 and heap per connection, engine room vs a bare one (room.ts).
 * 6. UDP: datagrams/s received by the engine vs a bare node:dgram socket (udp.ts).
 * 5. Inspector: CPU share of polling the OS socket table at the inspector's rate (inspector.ts).
 * 7. The CLI beside ncat: a sink, a file pushed, start-up (cli.ts).
 */
import { spawn, spawnSync } from 'node:child_process'
import net from 'node:net'
import { FdBank, KernelAcceptor } from '../src/main/engine/backlog/acceptor'
import { EventRouter } from '../src/main/engine/batcher'
import type { LabEvent } from '../src/shared/contract'
import { freePort } from '../test/support/ports'
import { runPython } from '../test/support/python'
import { benchEngine, OWNER, TCP_SERVER } from './engine'
import { existsSync } from 'node:fs'
import { cliBench, type CliRatios } from './cli'
import { captureBench } from './capture'
import { liveCaptureBench } from './capture-live'
import { tlsBench, tlsHandshakes, tlsThroughput } from './tls'
import { inspectorBench } from './inspector'
import { roomBench } from './room'
import { udpBench } from './udp'

import { gate } from './gate'
const quick = process.argv.includes('--quick')
/** `--only tcp,room`: those parts alone (tcp udp batcher accept room inspector cli capture live tls). */
const onlyAt = process.argv.indexOf('--only')
const only = onlyAt > 0 ? new Set(process.argv[onlyAt + 1]?.split(',')) : undefined
const runs = (part: string): boolean => !only || only.has(part)
const MB = 1024 * 1024
const TCP_BYTES = (quick ? 128 : 1024) * MB
const ROUNDS = quick ? 2 : 5
const TCP_TARGET = 0.85
const BATCH_SECONDS = quick ? 1 : 5

type Receiver = { port: number; received: () => number; close: () => Promise<void> }

async function bareReceiver(): Promise<Receiver> {
  let n = 0
  const server = net.createServer((s) => s.on('data', (c: Buffer) => (n += c.length)))
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  return {
    port: (server.address() as net.AddressInfo).port,
    received: () => n,
    close: () => new Promise((r) => server.close(() => r())),
  }
}

async function engineReceiver(): Promise<Receiver & { events: () => number }> {
  let n = 0
  const b = benchEngine((ev) => {
    if (ev.kind === 'data') n += ev.bytes
  })
  // backlog 5 as the UI's default: one sender connects
  const info = await b.engine.tcp.listen(OWNER, { ...TCP_SERVER, backlog: 5, mode: 'plain' })
  return { port: info.local!.port, received: () => n, events: b.delivered, close: b.close }
}

// Python's sendall() of 1 MiB blocks: about three times what a Node sender writing 64 KiB
// chunks reaches here, so the receiver, not the sender, is what is measured.
const SENDER = `
import socket, sys
port, total = int(sys.argv[1]), int(sys.argv[2])
s = socket.create_connection(('127.0.0.1', port))
block = b'x' * (1 << 20)
sent = 0
while sent < total:
    s.sendall(block)
    sent += len(block)
s.close()
`

async function measure(rx: Receiver, bytes: number): Promise<number> {
  // The test suite's Python runner: `python` on Windows, PYTHON overrides.
  const exited = runPython(SENDER, [String(rx.port), String(bytes)], 600_000).then((r) => {
    if (r.code) console.error(`sender exited with ${r.code}: ${r.stderr}`)
  })
  // Timed from the first byte in (the sender's start-up is not the receiver's speed).
  let start: bigint | undefined
  let first = 0
  await new Promise<void>((resolve) => {
    const tick = setInterval(() => {
      const n = rx.received()
      if (start === undefined && n > 0) [start, first] = [process.hrtime.bigint(), n]
      if (n >= bytes) {
        clearInterval(tick)
        resolve()
      }
    }, 1)
  })
  const secs = Number(process.hrtime.bigint() - start!) / 1e9
  await exited
  return (bytes - first) / secs
}

/**
 * iperf3 (Debian package) on loopback, the same byte count: the machine's practical limit.
 * Undefined where iperf3 is not installed.
 */
async function iperf3(bytes: number): Promise<number | undefined> {
  const probe = spawnSync('iperf3', ['--version'], { encoding: 'utf8' })
  if (probe.error || probe.status !== 0) return undefined
  const port = await freePort()
  const server = spawn('iperf3', ['-s', '-1', '-B', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' })
  try {
    for (let i = 0; i < 50; i++) {
      const c = spawnSync('iperf3', ['-c', '127.0.0.1', '-p', String(port), '-n', String(bytes), '-J'], {
        encoding: 'utf8',
      })
      const r =
        c.status === 0
          ? (JSON.parse(c.stdout) as { end?: { sum_received?: { bytes: number; seconds: number } } })
          : undefined
      const sum = r?.end?.sum_received
      if (sum) return sum.bytes / sum.seconds
      await new Promise((res) => setTimeout(res, 100)) // the server was not listening yet
    }
    return undefined
  } finally {
    server.kill()
  }
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

async function tcpBench(): Promise<number> {
  const bare: number[] = []
  const eng: number[] = []
  const iperf: number[] = []
  let events = 0
  for (let i = 0; i < ROUNDS; i++) {
    const limit = await iperf3(TCP_BYTES)
    if (limit) iperf.push(limit)
    const b = await bareReceiver()
    bare.push(await measure(b, TCP_BYTES))
    await b.close()
    const e = await engineReceiver()
    eng.push(await measure(e, TCP_BYTES))
    await new Promise((r) => setTimeout(r, 50))
    events += e.events()
    await e.close()
  }
  const ratio = median(eng) / median(bare)
  const gbps = (x: number) => ((x * 8) / 1e9).toFixed(2)
  console.log(`TCP ${TCP_BYTES / MB} MiB x ${ROUNDS} rounds, loopback, median:`)
  console.log(`  bare node:net        ${(median(bare) / MB).toFixed(0)} MiB/s (${gbps(median(bare))} Gbit/s)`)
  console.log(
    `  engine + batcher     ${(median(eng) / MB).toFixed(0)} MiB/s (${gbps(median(eng))} Gbit/s), ${events} events recorded`,
  )
  console.log(`  ratio engine/bare    ${ratio.toFixed(2)} (target >= ${TCP_TARGET})`)
  if (iperf.length) {
    console.log(`  iperf3 (C, no events) ${(median(iperf) / MB).toFixed(0)} MiB/s (${gbps(median(iperf))} Gbit/s)`)
    console.log(`  ratio engine/iperf3  ${(median(eng) / median(iperf)).toFixed(2)} (the machine's practical limit)`)
  } else console.log('  iperf3 not installed: no comparison with the machine limit (apt-get install iperf3)')
  return ratio
}

async function batcherBench(): Promise<void> {
  let delivered = 0
  let batches = 0
  const router = new EventRouter()
  router.attach('bench', (batch) => {
    batches++
    delivered += batch.length
    void JSON.stringify(batch).length
  })
  const payload = Buffer.alloc(4096, 97)
  const heap0 = process.memoryUsage().heapUsed
  let peak = heap0
  let pushed = 0
  const end = Date.now() + BATCH_SECONDS * 1000
  // Push in slices so the batcher's timer can fire, as it does between socket reads.
  while (Date.now() < end) {
    for (let i = 0; i < 5000; i++) {
      const ev: LabEvent = { kind: 'data', id: `a${i % 8}`, t: 0, bytes: payload.length, preview: '', truncated: false }
      router.push('bench', ev, payload)
      pushed++
    }
    peak = Math.max(peak, process.memoryUsage().heapUsed)
    await new Promise((r) => setImmediate(r))
  }
  router.dispose()
  console.log(`Batcher, ${BATCH_SECONDS} s of 4 KiB data events from 8 sockets:`)
  console.log(
    `  ${(pushed / BATCH_SECONDS / 1e6).toFixed(2)} M events/s pushed, ${batches} batches (${(batches / BATCH_SECONDS).toFixed(0)}/s), ${delivered} listed + the rest counted in overflow`,
  )
  console.log(`  heap at start ${(heap0 / MB).toFixed(0)} MiB, peak ${(peak / MB).toFixed(0)} MiB`)
}

const ACCEPTS = quick ? 100 : 400

/** Opens n connections to port and resolves once all have completed their handshake. */
async function dial(port: number, n: number): Promise<net.Socket[]> {
  const socks = await Promise.all(
    Array.from(
      { length: n },
      () =>
        new Promise<net.Socket>((resolve) => {
          const s = net.connect(port, '127.0.0.1', () => resolve(s))
        }),
    ),
  )
  return socks
}

async function acceptBench(): Promise<void> {
  // Node's own loop: the connections are queued while the server is not yet polled, then taken.
  const plainTimes: number[] = []
  const kernelTimes: number[] = []
  for (let round = 0; round < 3; round++) {
    {
      let accepted = 0
      let done!: () => void
      const all = new Promise<void>((r) => (done = r))
      const server = net.createServer((s) => {
        s.destroy()
        if (++accepted === ACCEPTS) done()
      })
      await new Promise<void>((r) => server.listen({ host: '127.0.0.1', port: 0, backlog: 511 }, r))
      const t0 = process.hrtime.bigint()
      const clients = await dial((server.address() as net.AddressInfo).port, ACCEPTS)
      await all
      plainTimes.push(Number(process.hrtime.bigint() - t0) / 1e6)
      for (const c of clients) c.destroy()
      await new Promise((r) => server.close(r))
    }
    {
      const bank = new FdBank()
      const acc = await KernelAcceptor.open(bank, '127.0.0.1', 0, 511)
      const t0 = process.hrtime.bigint()
      const clients = await dial(acc.local.port, ACCEPTS)
      const tQueued = process.hrtime.bigint()
      for (let i = 0; i < ACCEPTS; i++) (await acc.acceptOne()).destroy()
      const t1 = process.hrtime.bigint()
      kernelTimes.push(Number(t1 - t0) / 1e6)
      if (round === 2) {
        const perAccept = Number(t1 - tQueued) / 1e3 / ACCEPTS
        console.log(
          `  kernel mode, from a full queue: ${perAccept.toFixed(0)} µs per accept (helper round trip + listen + accept)`,
        )
      }
      for (const c of clients) c.destroy()
      await acc.close()
      bank.stop()
    }
  }
  const p = median(plainTimes)
  const k = median(kernelTimes)
  console.log(`Accept, ${ACCEPTS} connections dialled at once, median of 3 (dial + accept all):`)
  console.log(`  Node's accept loop      ${p.toFixed(1)} ms (${((p * 1000) / ACCEPTS).toFixed(0)} µs each)`)
  console.log(`  kernel-queue acceptor   ${k.toFixed(1)} ms (${((k * 1000) / ACCEPTS).toFixed(0)} µs each)`)
  console.log(`  ratio kernel/Node time  ${(k / p).toFixed(2)} (the price of taking exactly one per accept)`)
}

async function main(): Promise<void> {
  console.log(`Socket Lab bench (${quick ? 'quick' : 'full'}), Node ${process.version}, ${process.platform}`)
  const ratio = runs('tcp') ? await tcpBench() : undefined
  const udpRatio = runs('udp') ? await udpBench(quick) : undefined
  if (runs('batcher')) await batcherBench()
  if (runs('accept') && process.platform !== 'win32') await acceptBench()
  // `-- --room-clients 10000`: the classroom at scale instead of 500 (about 20 minutes here: every
  // join is announced to every member, so joining alone is 50 million lines).
  const big = process.argv.indexOf('--room-clients')
  if (runs('room')) await (big > 0 ? roomBench(false, Number(process.argv[big + 1])) : roomBench(quick))
  if (runs('inspector')) await inspectorBench(quick)
  // The CLI beside ncat (bench/cli.ts): printed here; `npm run bench:cli` exits non-zero below target.
  let cli: CliRatios | undefined
  const built = existsSync('out/main/cli.js')
  if (runs('cli') && built)
    cli = await cliBench().catch((e: unknown) => {
      console.log(`CLI vs ncat: not measured (${(e as Error).message})`)
      return undefined
    })
  else if (runs('cli')) console.log('CLI vs ncat: not measured (no built CLI: npm run build)')
  // decoding a recorded capture beside tshark (Linux, root: the flood is recorded with tcpdump)
  const capture =
    runs('capture') && built
      ? await captureBench(quick).catch((e: unknown) => {
          console.log(`capture: not measured (${(e as Error).message})`)
          return undefined
        })
      : undefined
  // the engine under a 100,000/s flood while capturing it (Linux, root, tcpdump)
  const live = runs('live')
    ? await liveCaptureBench(quick).catch((e: unknown) => {
        console.log(`capture, live: not measured (${(e as Error).message})`)
        return undefined
      })
    : undefined
  // TLS beside ncat --ssl, and handshakes beside bare node:tls
  const tlsRatios =
    runs('tls') && built
      ? await tlsBench(quick).catch((e: unknown) => {
          console.log(`TLS: not measured (${(e as Error).message})`)
          return undefined
        })
      : undefined
  // Quick mode (CI) fails when a ratio is below target by more than the noise margin (gate.ts),
  // never on a time, and only when it stays there: measured again (3 times in all) before it
  // fails, since another job on this machine can halve a single reading.
  if (quick) {
    const tcpOk = ratio === undefined || (await gate('TCP', ratio, TCP_TARGET, tcpBench))
    const udpOk = udpRatio === undefined || (await gate('UDP', udpRatio, 0.7, () => udpBench(quick)))
    // every way a user pushes or sinks with the CLI (default output, --quiet, stdin a file or a pipe)
    let cliOk = true
    for (const [name, r] of Object.entries(cli?.ratios ?? {}))
      cliOk &&= await gate(`CLI ${name}`, r, 0.8, async () => (await cliBench())?.ratios[name] ?? r)
    const captureOk =
      capture === undefined || (await gate('capture', capture, 1.0, async () => (await captureBench(quick)) ?? capture))
    const liveOk =
      live === undefined ||
      ((await gate('capture keeps up', live.keepUp, 0.8, async () => (await liveCaptureBench(quick))?.keepUp ?? 0)) &&
        (await gate('capture counts', live.counted, 0.95, async () => (await liveCaptureBench(quick))?.counted ?? 0)))
    const tlsOk =
      tlsRatios === undefined ||
      ((await gate('TLS throughput', tlsRatios.throughput, 0.8, async () => (await tlsThroughput(quick)) ?? 0)) &&
        (await gate('TLS handshakes', tlsRatios.handshakes, 0.9, () => tlsHandshakes(quick))))
    if (!tcpOk || !udpOk || !cliOk || !captureOk || !liveOk || !tlsOk) process.exit(1)
  } else if (
    (ratio ?? 1) < TCP_TARGET ||
    (udpRatio ?? 1) < 0.7 ||
    (tlsRatios?.throughput ?? 1) < 0.8 ||
    (tlsRatios?.handshakes ?? 1) < 0.9
  ) {
    // A full run's medians of 5 are held to the targets themselves.
    console.log(
      `below target: TCP ${ratio?.toFixed(2)} (≥ ${TCP_TARGET}), UDP ${udpRatio?.toFixed(2)} (≥ 0.7), TLS ${tlsRatios?.throughput.toFixed(2)} (≥ 0.8), handshakes ${tlsRatios?.handshakes.toFixed(2)} (≥ 0.9)`,
    )
    process.exitCode = 1
  }
}

main().catch((e: unknown) => {
  console.error(e)
  process.exit(1)
})
