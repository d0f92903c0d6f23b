/**
 * A classroom on one machine: a teacher and N student hosts, each a network namespace of its
 * own with one interface (eth0) on one private /24, joined by a bridge that lives in a switch
 * namespace of its own. Nothing is added to the machine's own namespace: no address, no route,
 * no link; nothing can be routed out. Everything the tier starts is stopped and every namespace
 * deleted by close() (and on exit); namespaces a crashed run left (this tier's name prefix, a
 * process id no longer alive) are removed when a LAN is made.
 *
 * Linux, as root, with iproute2 (and nft, tc for the rules). `lanUnavailable()` says why not.
 */
import { spawn, spawnSync, type ChildProcess, type SpawnSyncReturns } from 'node:child_process'
import { PYTHON } from './python'

export const LAN_PREFIX = 'sllan-'

export interface Host {
  /** 'teacher', 's1', 's2'... */
  name: string
  ns: string
  ip: string
  mac: string
}
export interface Lan {
  /** The /24's first three octets, e.g. "10.213.7". */
  net: string
  broadcast: string
  teacher: Host
  students: Host[]
  /** Runs a command in a host and waits (at most `timeoutMs`). */
  run(h: Host, cmd: string, args: string[], timeoutMs?: number, input?: string): SpawnSyncReturns<string>
  /** Starts a long-running command in a host; stopped by close() if still running. */
  start(h: Host, cmd: string, args: string[], env?: NodeJS.ProcessEnv): ChildProcess
  /** A Python script in a host. */
  python(h: Host, script: string, args?: string[]): ChildProcess
  /** The CLI (the engine) in a host. */
  cli(h: Host, args: string[]): ChildProcess
  /** The host's own socket table for a port, as `socket-lab sockets --port P --json` reads it. */
  sockets(h: Host, port: number): { state: string; sendQ: number; remote: { address: string } }[]
  /** nft rules in a host's own ruleset (a table of this tier's; replaced by the next call). */
  nft(h: Host, rules: string): void
  /** Limits what a host sends: a tbf qdisc on its eth0. */
  rate(h: Host, rate: string): void
  close(): void
}

const ipCmd = (args: string[]): SpawnSyncReturns<string> => spawnSync('ip', args, { encoding: 'utf8' })
function must(r: SpawnSyncReturns<string>, what: string): SpawnSyncReturns<string> {
  if (r.status !== 0) throw new Error(`${what}: ${r.stderr || r.error}`)
  return r
}

/** Why namespaces cannot be made here (not Linux, not root, no iproute2), or undefined. */
export function lanUnavailable(): string | undefined {
  if (process.platform !== 'linux') return `network namespaces are Linux's (this is ${process.platform})`
  if (process.getuid?.() !== 0) return 'making network namespaces needs root'
  const probe = `${LAN_PREFIX}${process.pid}-probe`
  const r = ipCmd(['netns', 'add', probe])
  if (r.status !== 0) return `ip netns add failed: ${r.stderr || r.error}`
  ipCmd(['netns', 'del', probe])
  return undefined
}

/**
 * For a LAN test file: undefined when the tier can run; otherwise why not, said once as a notice
 * (the file's tests are then skipped). On CI the tier must run: there it throws instead.
 */
export function lanTier(): string | undefined {
  const why = lanUnavailable()
  if (why && process.env['CI']) throw new Error(`CI must run the LAN tier: ${why}`)
  if (why) console.warn(`LAN tier skipped: ${why}`)
  return why
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

/** Deletes namespaces of this tier whose run is gone (a crash, a kill -9). */
export function sweepStale(): string[] {
  const names = ipCmd(['netns', 'list'])
    .stdout.split('\n')
    .map((l) => l.split(' ')[0]!)
    .filter((n) => n.startsWith(LAN_PREFIX))
  const stale = names.filter((n) => !alive(Number(n.slice(LAN_PREFIX.length).split('-')[0])))
  for (const n of stale) ipCmd(['netns', 'del', n])
  return stale
}

/** A 10.213.K.0/24 that no interface or route of this machine's namespace uses. */
function freeNet(): string {
  const used = ipCmd(['-4', '-o', 'addr']).stdout + ipCmd(['-4', 'route']).stdout
  for (let k = process.pid % 200; k < (process.pid % 200) + 256; k++) {
    const net = `10.213.${k % 256}`
    if (!used.includes(`${net}.`)) return net
  }
  throw new Error('no free 10.213.K.0/24')
}

export function createLan(students: number): Lan {
  if (students < 1 || students > 60) throw new Error('1 to 60 students')
  sweepStale()
  const id = `${LAN_PREFIX}${process.pid}-${Date.now() % 100000}`
  const net = freeNet()
  const sw = `${id}-sw`
  const children = new Set<ChildProcess>()
  const made: string[] = []
  const mk = (i: number, name: string): Host => ({
    name,
    ns: `${id}-${name}`,
    ip: `${net}.${i === 0 ? 1 : 10 + i}`,
    mac: `02:00:0a:d5:00:${i.toString(16).padStart(2, '0')}`,
  })
  const teacher = mk(0, 'teacher')
  const hosts = [teacher, ...Array.from({ length: students }, (_, i) => mk(i + 1, `s${i + 1}`))]

  const close = (): void => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL')
    children.clear()
    for (const ns of made.splice(0).reverse()) ipCmd(['netns', 'del', ns])
    process.off('exit', close)
  }
  process.on('exit', close)
  try {
    must(ipCmd(['netns', 'add', sw]), 'switch namespace')
    made.push(sw)
    must(ipCmd(['-n', sw, 'link', 'add', 'br0', 'type', 'bridge']), 'bridge')
    must(ipCmd(['-n', sw, 'link', 'set', 'br0', 'up']), 'bridge up')
    hosts.forEach((h, i) => {
      must(ipCmd(['netns', 'add', h.ns]), `namespace ${h.name}`)
      made.push(h.ns)
      const port = `p${i}`
      must(
        ipCmd(['-n', sw, 'link', 'add', port, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', h.ns]),
        `veth ${h.name}`,
      )
      must(ipCmd(['-n', sw, 'link', 'set', port, 'master', 'br0', 'up']), `port ${h.name}`)
      must(ipCmd(['-n', h.ns, 'link', 'set', 'eth0', 'address', h.mac]), `mac ${h.name}`)
      must(ipCmd(['-n', h.ns, 'addr', 'add', `${h.ip}/24`, 'brd', '+', 'dev', 'eth0']), `address ${h.name}`)
      must(ipCmd(['-n', h.ns, 'link', 'set', 'eth0', 'up']), `eth0 ${h.name}`)
      must(ipCmd(['-n', h.ns, 'link', 'set', 'lo', 'up']), `lo ${h.name}`)
      // multicast leaves by the LAN interface (there is no default route to pick it by)
      must(ipCmd(['-n', h.ns, 'route', 'add', '224.0.0.0/4', 'dev', 'eth0']), `multicast route ${h.name}`)
    })
  } catch (e) {
    close()
    throw e
  }

  const inNs = (h: Host, cmd: string, args: string[]): [string, string[]] => [
    'ip',
    ['netns', 'exec', h.ns, cmd, ...args],
  ]
  const start = (h: Host, cmd: string, args: string[], env?: NodeJS.ProcessEnv): ChildProcess => {
    const c = spawn(...inNs(h, cmd, args), { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...env } })
    children.add(c)
    c.once('exit', () => children.delete(c))
    return c
  }
  return {
    net,
    broadcast: `${net}.255`,
    teacher,
    students: hosts.slice(1),
    run: (h, cmd, args, timeoutMs = 15_000, input) =>
      spawnSync(...inNs(h, cmd, args), { encoding: 'utf8', timeout: timeoutMs, ...(input ? { input } : {}) }),
    start,
    python: (h, script, args = []) => start(h, PYTHON, ['-u', '-c', script, ...args]),
    cli: (h, args) => start(h, process.execPath, ['--import', 'tsx', 'src/cli/index.ts', ...args]),
    sockets(h, port) {
      const r = spawnSync(
        ...inNs(h, process.execPath, [
          '--import',
          'tsx',
          'src/cli/index.ts',
          'sockets',
          '--port',
          String(port),
          '--json',
        ]),
        { encoding: 'utf8', timeout: 15_000 },
      )
      return (JSON.parse(r.stdout.split('\n')[0]!) as { rows: never[] }).rows
    },
    nft(h, rules) {
      spawnSync('ip', ['netns', 'exec', h.ns, 'nft', 'delete', 'table', 'inet', 'lantier'], { encoding: 'utf8' })
      must(
        spawnSync('ip', ['netns', 'exec', h.ns, 'nft', '-f', '-'], {
          input: `table inet lantier {\n${rules}\n}\n`,
          encoding: 'utf8',
        }),
        `nft in ${h.name}`,
      )
    },
    rate(h, rate) {
      must(
        ipCmd([
          'netns',
          'exec',
          h.ns,
          'tc',
          'qdisc',
          'replace',
          'dev',
          'eth0',
          'root',
          'tbf',
          'rate',
          rate,
          'burst',
          '16kb',
          'latency',
          '400ms',
        ]),
        `tbf in ${h.name}`,
      )
    },
    close,
  }
}

/** A process's output, line by line as it comes, and a wait for a line (or a JSON event) that matches. */
export function follow(c: ChildProcess) {
  const out: string[] = []
  let err = ''
  let buf = ''
  const waiters = new Set<() => void>()
  c.stdout!.setEncoding('utf8').on('data', (d: string) => {
    buf += d
    const parts = buf.split('\n')
    buf = parts.pop()!
    out.push(...parts)
    for (const w of waiters) w()
  })
  c.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d))
  const exited = new Promise<number | null>((r) => c.once('exit', (code) => r(code)))
  const events = (): Record<string, unknown>[] =>
    out.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>)
  /** Resolves with the first JSON event `pred` accepts; fails after `ms`, saying what came. */
  function event(pred: (e: Record<string, unknown>) => boolean, ms = 10_000): Promise<Record<string, unknown>> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        const e = events().find(pred)
        if (!e) return
        waiters.delete(check)
        clearTimeout(t)
        resolve(e)
      }
      const t = setTimeout(() => {
        waiters.delete(check)
        reject(new Error(`no such event in ${ms} ms; got:\n${out.slice(-20).join('\n')}\n${err}`))
      }, ms)
      waiters.add(check)
      check()
    })
  }
  return { out, events, event, exited, stderr: () => err }
}
