/**
 * "capture": decoding a recorded capture, side by side with tshark on the same file. A UDP flood
 * (100,000 datagrams/s offered on loopback) is recorded with tcpdump until the file holds at
 * least 500,000 packets; then, alternating, `socket-lab capture --read FILE --json > /dev/null`
 * (the built CLI) and `tshark -r FILE -T fields -e frame.number -e ip.src -e ip.dst -e tcp.srcport
 * -e tcp.dstport -e tcp.seq_raw -e tcp.ack_raw -e udp.length > /dev/null`, median of the rounds.
 * Target: at least as fast as tshark (ratio ≥ 1.0; goal 3). Memory: the CLI's peak RSS on the
 * file and on the same packets twice over (a stream: flat, ratio near 1).
 * Needs Linux, root, tcpdump, tshark and a build; says why when it cannot run.
 */
import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { readCapture } from '../src/shared/pcap/reader'
import { PcapngWriter } from '../src/shared/pcap/writer'
import { freeUdpPort } from '../test/support/ports'
import { runUdpSender } from './udp'

const PACKETS = 500_000
const med = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

/** Seconds a command takes (its output to /dev/null), and its peak RSS in KiB. */
function timed(cmd: string, args: string[]): { s: number; kib: number } {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %M', cmd, ...args], {
    stdio: ['ignore', 'ignore', 'pipe'],
    encoding: 'utf8',
  })
  const [s, kib] = r.stderr.trim().split('\n').at(-1)!.split(' ').map(Number)
  if (r.status !== 0) throw new Error(`${cmd} exited ${r.status}: ${r.stderr.slice(0, 300)}`)
  return { s: s!, kib: kib! }
}

async function record(file: string): Promise<number> {
  const port = await freeUdpPort()
  const dump = spawn('tcpdump', ['-i', 'lo', '-U', '-n', '-B', '65536', '-w', file, `udp port ${port}`], {
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  await new Promise<void>((ok) => {
    let err = ''
    dump.stderr!.on('data', (d: Buffer) => {
      err += d.toString()
      if (err.includes('listening on')) ok()
    })
  })
  let n = 0
  // 100,000 datagrams/s offered until the file holds enough (a busy machine drops some)
  for (let i = 0; i < 4 && n < PACKETS; i++) {
    await runUdpSender(port, 6000, 100_000)
    await new Promise((r) => setTimeout(r, 300))
    n = readCapture(readFileSync(file)).records.length
  }
  dump.kill('SIGINT')
  await new Promise((r) => dump.once('exit', r))
  return readCapture(readFileSync(file)).records.length
}

export async function captureBench(quick: boolean): Promise<number | undefined> {
  const missing = ['tcpdump', 'tshark'].filter((c) => spawnSync('sh', ['-c', `command -v ${c}`]).status !== 0)
  if (process.platform !== 'linux' || process.getuid?.() !== 0 || missing.length) {
    console.log(
      `capture: not measured (needs Linux, root, tcpdump and tshark${missing.length ? `; missing ${missing.join(', ')}` : ''})`,
    )
    return undefined
  }
  const dir = mkdtempSync(join(tmpdir(), 'bench-capture-'))
  try {
    const file = join(dir, 'flood.pcap')
    const n = await record(file)
    // the same packets twice over, for memory: a stream keeps it flat
    const twice = join(dir, 'flood-twice.pcapng')
    const w = new PcapngWriter()
    const recs = readCapture(readFileSync(file)).records
    const parts = [w.header(), ...recs.map((r) => w.packet(r)), ...recs.map((r) => w.packet(r))]
    writeFileSync(twice, Buffer.concat(parts))
    const ours = (f: string) => timed(process.execPath, ['out/main/cli.js', 'capture', '--read', f, '--json'])
    const shark = (f: string) =>
      timed('tshark', [
        '-r',
        f,
        '-T',
        'fields',
        ...[
          'frame.number',
          'ip.src',
          'ip.dst',
          'tcp.srcport',
          'tcp.dstport',
          'tcp.seq_raw',
          'tcp.ack_raw',
          'udp.length',
        ].flatMap((e) => ['-e', e]),
      ])
    const a: number[] = []
    const b: number[] = []
    let rss = 0
    for (let i = 0; i < (quick ? 1 : 3); i++) {
      const o = ours(file)
      a.push(o.s)
      rss = o.kib
      b.push(shark(file).s)
    }
    const rss2 = ours(twice).kib
    const ratio = med(b) / med(a)
    console.log(`Capture decoding, ${n} packets of a recorded UDP flood (median of ${quick ? 1 : 3}, alternating):`)
    console.log(
      `  socket-lab capture --read --json ${med(a).toFixed(2)} s, tshark -T fields ${med(b).toFixed(2)} s: ratio ${ratio.toFixed(2)} (target ≥ 1.0, goal 3)`,
    )
    console.log(
      `  peak memory ${(rss / 1024).toFixed(0)} MiB for ${n} packets, ${(rss2 / 1024).toFixed(0)} MiB for ${2 * n}: ratio ${(rss2 / rss).toFixed(2)} (a stream: flat)`,
    )
    return ratio
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

if (process.argv[1]?.endsWith('capture.ts')) {
  captureBench(process.argv.includes('--quick')).then(
    (r) => {
      if (r !== undefined && r < 1) process.exitCode = 1
    },
    (e: unknown) => {
      console.error(e)
      process.exit(1)
    },
  )
}
