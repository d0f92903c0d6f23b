/**
 * `npm run bench:cli`: the CLI beside ncat (Debian's), side by side in one run, alternating, as
 * users type it (default output as well as --quiet; stdin a file and a pipe).
 * - sink: a sender pushes 200 MB into `tcp-server --output raw > /dev/null` (its event lines on
 *   stderr, to /dev/null too; and with --quiet) and into `ncat -l -k --recv-only > /dev/null`;
 *   the sender times sendall + shutdown (the socket buffers, a few MB, are the error).
 * - push: `tcp-client < file` (default output, and --quiet) and `ncat --send-only < file` push a
 *   200 MB file into one bare receiver, which times the first byte to the end; the same with
 *   stdin a pipe (`cat file | …`) for both.
 * - start-up: `socket-lab --help` (the built CLI under plain Node), median of 5.
 * Targets: each throughput ≥ 0.8 of ncat's; start-up under 300 ms. Needs `npm run build` and ncat.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { closeSync, existsSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs'
import net from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePort } from '../test/support/ports'
import { runPython } from '../test/support/python'

const MB = 1024 * 1024
const BYTES = 200 * MB
const ROUNDS = process.argv.includes('--quick') ? 1 : 5
const CLI = 'out/main/cli.js'
const med = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

const SENDER = `import socket, sys, time
s = socket.create_connection(('127.0.0.1', int(sys.argv[1])))
chunk = b'x' * (1024 * 1024)
t0 = time.perf_counter()
for _ in range(int(sys.argv[2])):
    s.sendall(chunk)
s.shutdown(socket.SHUT_WR)
print(time.perf_counter() - t0)
`

function startQuiet(cmd: string, args: string[]): ChildProcess {
  const devnull = openSync('/dev/null', 'w')
  const c = spawn(cmd, args, { stdio: ['pipe', devnull, devnull] })
  closeSync(devnull)
  return c
}
async function listening(port: number): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const ok = await new Promise<boolean>((r) => {
      const s = net.connect(port, '127.0.0.1', () => (s.destroy(), r(true)))
      s.on('error', () => r(false))
    })
    if (ok) return
    await new Promise((r) => setTimeout(r, 25))
  }
  throw new Error(`nothing listening on ${port}`)
}

/** A bare node:net sink writing what it reads to stdout: what any Node program can reach. */
const BARE = `const net = require('net'), fs = require('fs')
net.createServer((s) => s.on('data', (d) => fs.writeSync(1, d))).listen(Number(process.argv[1]), '127.0.0.1')`

/** MB/s into a sink: the sender's time to push BYTES. `cli` prints its event lines; `cli-quiet` does not. */
async function sink(kind: 'cli' | 'cli-quiet' | 'ncat' | 'node'): Promise<number> {
  const port = await freePort()
  const c =
    kind === 'node'
      ? startQuiet(process.execPath, ['-e', BARE, String(port)])
      : kind !== 'ncat'
        ? startQuiet(process.execPath, [
            CLI,
            'tcp-server',
            '--port',
            String(port),
            '--mode',
            'plain',
            '--reply',
            'none',
            '--output',
            'raw',
            ...(kind === 'cli-quiet' ? ['--quiet'] : []),
          ])
        : startQuiet('ncat', ['-l', '-k', '--recv-only', '127.0.0.1', String(port)])
  try {
    await listening(port)
    const r = await runPython(SENDER, [String(port), String(BYTES / MB)], 120_000)
    return BYTES / MB / Number(r.stdout.trim())
  } finally {
    c.kill('SIGKILL')
  }
}

type Push = 'cli' | 'cli-quiet' | 'ncat'
type Stdin = 'file' | 'pipe'

/**
 * MB/s pushed from a file by a client, timed by a bare receiver from its first byte to the end.
 * stdin the file itself (`< file`), or a pipe from `cat` (`cat file | …`); the client's output
 * (default: a line per send, folded) to /dev/null.
 */
async function push(kind: Push, file: string, stdin: Stdin): Promise<number> {
  let n = 0
  let t0 = 0
  let done!: (ms: number) => void
  const finished = new Promise<number>((r) => (done = r))
  const server = net.createServer((s) => {
    s.on('data', (d: Buffer) => {
      if (!t0) t0 = performance.now()
      n += d.length
    })
    s.on('end', () => (done(performance.now() - t0), s.end()))
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const port = (server.address() as net.AddressInfo).port
  const args =
    kind === 'ncat'
      ? ['ncat', '--send-only', '127.0.0.1', String(port)]
      : [
          process.execPath,
          CLI,
          'tcp-client',
          '--port',
          String(port),
          '--linger',
          '0',
          ...(kind === 'cli-quiet' ? ['--quiet'] : []),
        ]
  let c: ChildProcess
  if (stdin === 'file') {
    const input = openSync(file, 'r')
    c = spawn(args[0]!, args.slice(1), { stdio: [input, 'ignore', 'inherit'] })
    closeSync(input)
  } else {
    const line = `cat "$0" | ${args.map((a) => `'${a}'`).join(' ')}`
    c = spawn('sh', ['-c', line, file], { stdio: ['ignore', 'ignore', 'inherit'] })
  }
  // never wait forever: a client that ends without the receiver seeing its end, or a stall
  const exited = new Promise<number | null>((r) => c.once('exit', (code) => r(code)))
  const ms = await Promise.race([
    finished,
    exited.then(async (code) => {
      await new Promise((r) => setTimeout(r, 5000))
      throw new Error(`${kind} push: the client exited (${code}) and the receiver saw ${n} bytes, no end`)
    }),
    new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error(`${kind} push: no end within 60 s (${n} bytes)`)), 60_000).unref(),
    ),
  ]).finally(() => {
    c.kill('SIGKILL')
    server.close()
  })
  if (n !== BYTES) throw new Error(`${kind}: ${n} bytes arrived of ${BYTES}`)
  return BYTES / MB / (ms / 1000)
}

function startup(): number {
  const times: number[] = []
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now()
    spawnSync(process.execPath, [CLI, '--help'], { stdio: 'ignore' })
    times.push(performance.now() - t0)
  }
  return med(times)
}

export interface CliRatios {
  /** Each variant's ratio to ncat, by name ("sink", "push < file", ...). */
  ratios: Record<string, number>
  startMs: number
  ofNode: number
}

export async function cliBench(): Promise<CliRatios | undefined> {
  if (spawnSync('ncat', ['--version']).status !== 0) {
    console.log('CLI vs ncat: not measured (no ncat: apt-get install ncat)')
    return undefined
  }
  if (!existsSync(CLI)) throw new Error(`no ${CLI}: run "npm run build" first`)
  const dir = mkdtempSync(join(tmpdir(), 'bench-cli-'))
  const file = join(dir, 'push.bin')
  writeFileSync(file, randomBytes(BYTES))
  try {
    const s = { cli: [] as number[], 'cli-quiet': [] as number[], ncat: [] as number[], node: [] as number[] }
    const p: Record<`${Push} ${Stdin}`, number[]> = {
      'ncat file': [],
      'cli file': [],
      'cli-quiet file': [],
      'ncat pipe': [],
      'cli pipe': [],
      'cli-quiet pipe': [],
    }
    for (let i = 0; i < ROUNDS; i++) {
      for (const k of ['ncat', 'cli', 'cli-quiet', 'node'] as const) s[k].push(await sink(k))
      for (const stdin of ['file', 'pipe'] as const)
        for (const k of ['ncat', 'cli', 'cli-quiet'] as const) p[`${k} ${stdin}`].push(await push(k, file, stdin))
    }
    const ncatSink = med(s.ncat)
    const ratios: Record<string, number> = {
      'sink --output raw': med(s.cli) / ncatSink,
      'sink --output raw --quiet': med(s['cli-quiet']) / ncatSink,
      'push < file': med(p['cli file']) / med(p['ncat file']),
      'push --quiet < file': med(p['cli-quiet file']) / med(p['ncat file']),
      'push, stdin a pipe': med(p['cli pipe']) / med(p['ncat pipe']),
      'push --quiet, stdin a pipe': med(p['cli-quiet pipe']) / med(p['ncat pipe']),
    }
    const startMs = startup()
    const mbs = (xs: number[]): string => `${med(xs).toFixed(0)} MB/s`
    const ratio = (name: string): string => `ratio ${ratios[name]!.toFixed(2)} (target ≥ 0.8)`
    console.log(`CLI vs ncat (200 MB, median of ${ROUNDS}, alternating; a bare node:net sink beside them):`)
    console.log(`  sink   ncat --recv-only > /dev/null ${mbs(s.ncat)}`)
    console.log(`         tcp-server --output raw (event lines on stderr) ${mbs(s.cli)}: ${ratio('sink --output raw')}`)
    console.log(
      `         tcp-server --output raw --quiet ${mbs(s['cli-quiet'])}: ${ratio('sink --output raw --quiet')}`,
    )
    console.log(
      `         a bare node:net sink ${mbs(s.node)} (64 KiB reads): ${(med(s.node) / ncatSink).toFixed(2)} of ncat; the CLI (1 MiB reads) is ${(med(s['cli-quiet']) / med(s.node)).toFixed(2)} of it`,
    )
    for (const stdin of ['file', 'pipe'] as const) {
      const how = stdin === 'file' ? '< file' : 'stdin a pipe (cat file | …)'
      const key = stdin === 'file' ? '< file' : ', stdin a pipe'
      console.log(`  push   ${how}: ncat --send-only ${mbs(p[`ncat ${stdin}`])}`)
      console.log(
        `         tcp-client (default output) ${mbs(p[`cli ${stdin}`])}: ${ratio(stdin === 'file' ? 'push < file' : 'push, stdin a pipe')}`,
      )
      console.log(
        `         tcp-client --quiet ${mbs(p[`cli-quiet ${stdin}`])}: ${ratio(`push --quiet${key === '< file' ? ' < file' : key}`)}`,
      )
    }
    console.log(`  start-up socket-lab --help ${startMs.toFixed(0)} ms (target < 300 ms)`)
    return { ratios, startMs, ofNode: med(s['cli-quiet']) / med(s.node) }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

if (process.argv[1]?.endsWith('cli.ts')) {
  cliBench().then(
    (r) => {
      if (r && (Object.values(r.ratios).some((x) => x < 0.8) || r.startMs >= 300)) process.exitCode = 1
    },
    (e: unknown) => {
      console.error(e)
      process.exit(1)
    },
  )
}
