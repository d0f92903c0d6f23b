/**
 * Records the Packets tab's lessons: course-style Python sockets on this machine, captured with
 * tcpdump, each kept as pcapng in src/shared/pcap/lessons.ts (base64, with where and how
 * it was recorded). Run as root on Linux: `npx tsx scripts/record-lessons.ts`. The ARP lesson runs
 * in a LAN of network namespaces (test/support/lan.ts), torn down after.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { readCapture } from '../src/shared/pcap/reader'
import { PcapngWriter, concatBytes } from '../src/shared/pcap/writer'
import { createLan } from '../test/support/lan'
import { freePort } from '../test/support/ports'
import { PYTHON, PYTHON_ENV } from '../test/support/python'

const HEAD = `import socket, struct, sys, threading, time
port = int(sys.argv[1])
host = sys.argv[2] if len(sys.argv) > 2 else '127.0.0.1'
`
/** Each lesson: a Python script (the port, and the host, as arguments) and its filter. */
const LESSONS: { id: string; script: string; filter: (p: number) => string; lan?: boolean }[] = [
  {
    id: 'handshake',
    filter: (p) => `tcp port ${p}`,
    script: `srv = socket.socket(); srv.bind((host, port)); srv.listen(5)
def serve():
    c, a = srv.accept(); name = c.recv(1024); c.sendall(b'Hello, ' + name + b'!'); c.recv(1024); c.close()
t = threading.Thread(target=serve); t.start()
s = socket.socket(); s.connect((host, port)); s.sendall(b'Michael'); print(s.recv(1024)); s.close()
t.join(); srv.close()`,
  },
  {
    id: 'reset',
    filter: (p) => `tcp port ${p}`,
    script: `srv = socket.socket(); srv.bind((host, port)); srv.listen(5)
def serve():
    c, a = srv.accept(); c.recv(1024)
    c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack('ii', 1, 0)); c.close()
t = threading.Thread(target=serve); t.start()
s = socket.socket(); s.connect((host, port)); s.sendall(b'hi'); time.sleep(0.2)
try: s.recv(1024)
except ConnectionResetError as e: print('reset', e)
t.join(); s.close(); srv.close()`,
  },
  {
    id: 'udpIcmp',
    filter: (p) => `udp port ${p} or icmp`,
    script: `u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.connect((host, port))
u.send(b'hello'); time.sleep(0.2)
try: u.recv(1024)
except ConnectionRefusedError as e: print('refused', e)
u.close()`,
  },
  {
    id: 'backlog',
    filter: (p) => `tcp port ${p}`,
    script: `srv = socket.socket(); srv.bind((host, port)); srv.listen(1)
def client():
    c = socket.socket(); c.settimeout(9)
    try: c.connect((host, port)); time.sleep(9)
    except OSError as e: print(e)
    c.close()
ts = [threading.Thread(target=client) for _ in range(4)]
for t in ts: t.start(); time.sleep(0.05)
time.sleep(8); srv.close()
for t in ts: t.join()`,
  },
  {
    id: 'sticky',
    filter: (p) => `tcp port ${p}`,
    script: `srv = socket.socket(); srv.bind((host, port)); srv.listen(5)
def serve():
    c, a = srv.accept(); time.sleep(0.3); print(c.recv(1024)); c.close()
t = threading.Thread(target=serve); t.start()
s = socket.socket(); s.connect((host, port))
for i in range(5): s.send(b'msg%d;' % i)
t.join(); s.close(); srv.close()`,
  },
  {
    id: 'arp',
    lan: true,
    filter: (p) => `arp or tcp port ${p} or udp port ${p}`,
    script: `s = socket.socket(); s.connect((host, port)); s.sendall(b'hello'); print(s.recv(1024)); s.close()
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
u.sendto(b'to everyone', (sys.argv[3], port)); u.close()`,
  },
]

const OUT = 'src/shared/pcap/lessons.ts'

const SERVER = `import socket, sys
srv = socket.socket(); srv.bind(('0.0.0.0', int(sys.argv[1]))); srv.listen(5); print('up', flush=True)
c, a = srv.accept(); c.sendall(c.recv(1024)); c.recv(1024); c.close(); srv.close()`

function tcpdump(args: string[]): Promise<ChildProcess> {
  const td = spawn(args[0]!, args.slice(1), { stdio: ['ignore', 'ignore', 'pipe'] })
  return new Promise((ok, fail) => {
    let err = ''
    td.stderr!.on('data', (d: Buffer) => {
      err += d.toString()
      if (err.includes('listening on')) ok(td)
    })
    td.once('exit', (code) => fail(new Error(`tcpdump exited ${code}: ${err}`)))
  })
}

const stop = (c: ChildProcess): Promise<void> =>
  new Promise((r) => {
    c.once('exit', () => r())
    c.kill('SIGINT')
  })

function python(args: string[]): void {
  const r = spawnSync(args[0]!, args.slice(1), { encoding: 'utf8', env: PYTHON_ENV, timeout: 20_000 })
  if (r.status !== 0) throw new Error(`${args.join(' ')}: ${r.stderr}`)
}

async function record(dir: string, l: (typeof LESSONS)[number]): Promise<Uint8Array> {
  const file = join(dir, `${l.id}.pcap`)
  const port = await freePort()
  if (!l.lan) {
    const td = await tcpdump(['tcpdump', '-i', 'lo', '-U', '-n', '--immediate-mode', '-w', file, l.filter(port)])
    python([PYTHON, '-c', HEAD + l.script, String(port)])
    await new Promise((r) => setTimeout(r, 300))
    await stop(td)
  } else {
    const lan = createLan(1)
    try {
      const [s1] = lan.students
      const server = lan.python(s1!, SERVER, [String(port)])
      await new Promise<void>((r) => server.stdout!.once('data', () => r()))
      const cap = ['ip', 'netns', 'exec', lan.teacher.ns, 'tcpdump', '-i', 'eth0', '-U', '-n', '--immediate-mode']
      const td = await tcpdump([...cap, '-w', file, l.filter(port)])
      const args = [String(port), s1!.ip, lan.broadcast]
      python(['ip', 'netns', 'exec', lan.teacher.ns, PYTHON, '-c', HEAD + l.script, ...args])
      await new Promise((r) => setTimeout(r, 300))
      await stop(td)
    } finally {
      lan.close()
    }
  }
  // as pcapng, the form the app writes
  const w = new PcapngWriter()
  return concatBytes(w.header(), ...readCapture(readFileSync(file)).records.map((r) => w.packet(r)))
}

async function main(): Promise<void> {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) throw new Error('record the lessons as root on Linux')
  const dir = mkdtempSync(join(tmpdir(), 'lessons-'))
  const os = `Linux ${spawnSync('uname', ['-r'], { encoding: 'utf8' }).stdout.trim().split('-')[0]}`
  const tool = spawnSync('tcpdump', ['--version'], { encoding: 'utf8' }).stdout.split('\n')[0]!.trim()
  const date = new Date().toISOString().slice(0, 10)
  const out: string[] = []
  try {
    for (const l of LESSONS) {
      const bytes = await record(dir, l)
      const n = readCapture(bytes).records.length
      console.log(`${l.id}: ${n} packets`)
      const where = { os, iface: l.lan ? 'lan' : 'lo', tool, date }
      out.push(
        `  ${l.id}: { where: ${JSON.stringify(where)}, packets: ${n}, base64: '${Buffer.from(bytes).toString('base64')}' },`,
      )
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
  const head = `/**
 * Recorded lessons for the Packets tab, made by scripts/record-lessons.ts (course-style Python
 * sockets captured with tcpdump; the ARP lesson in a LAN of network namespaces). Generated: do not edit.
 */
export interface RecordedLesson {
  where: { os: string; iface: 'lo' | 'lan'; tool: string; date: string }
  packets: number
  base64: string
}
export const LESSONS: Record<string, RecordedLesson> = {
`
  writeFileSync(OUT, `${head}${out.join('\n')}\n}\n`)
  spawnSync('npx', ['prettier', '--write', OUT], { stdio: 'inherit' })
}

main().catch((e: unknown) => {
  console.error(e)
  process.exit(1)
})
