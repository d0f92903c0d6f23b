/**
 * The operating system's own socket table, for the inspector: Linux /proc/net/{tcp,tcp6,udp,udp6}
 * (no privileges, no process spawned), macOS `netstat -an`, Windows `netstat -ano`. Parsers are
 * pure and tested on recorded samples; states are normalized to the Linux names the course uses.
 */
import { execFile } from 'node:child_process'
import os from 'node:os'
import { readdir, readFile, readlink } from 'node:fs/promises'
import type { OsSocket, SocketTable, TableSource } from '../../../shared/contract'
import { matchAddress, plainAddress } from '../../../shared/endpoint'
import { decodeConsole, parseWindowsTable } from './netstat-windows'
import { parseProcNet } from './proc-net'

/** To the course's Linux names: LISTEN, ESTABLISHED, SYN_SENT, SYN_RECV, FIN_WAIT1, FIN_WAIT2,
 * TIME_WAIT, CLOSE, CLOSE_WAIT, LAST_ACK, CLOSING. */
const STATE_NAMES: Record<string, string> = {
  LISTENING: 'LISTEN',
  SYN_RECEIVED: 'SYN_RECV',
  SYN_RCVD: 'SYN_RECV',
  FIN_WAIT_1: 'FIN_WAIT1',
  FIN_WAIT_2: 'FIN_WAIT2',
  CLOSED: 'CLOSE',
  NEW_SYN_RECV: 'SYN_RECV',
}
export const normalizeState = (s: string): string => STATE_NAMES[s] ?? s

const familyOf = (address: string): 'IPv4' | 'IPv6' => (address.includes(':') ? 'IPv6' : 'IPv4')

function row(
  proto: 'tcp' | 'udp',
  local: { address: string; port: number },
  remote: { address: string; port: number },
  state: string,
  sendQ: number | null,
  recvQ: number | null,
  pid?: number,
): OsSocket {
  const r: OsSocket = {
    proto,
    family: familyOf(local.address),
    local: { address: plainAddress(local.address), port: local.port },
    remote: { address: plainAddress(remote.address), port: remote.port },
    state: normalizeState(state),
    sendQ,
    recvQ,
  }
  if (pid !== undefined) r.pid = pid
  return r
}

/** Linux: the four /proc tables. UDP has no connection state; a connected UDP socket shows its peer. */
export function fromProc(
  tables: { tcp?: string; tcp6?: string; udp?: string; udp6?: string },
  ports?: ReadonlySet<number>,
): OsSocket[] {
  const out: OsSocket[] = []
  for (const [name, text] of Object.entries(tables)) {
    if (!text) continue
    const udp = name.startsWith('udp')
    for (const s of parseProcNet(text, udp, ports)) {
      const state = udp ? (s.remote.port === 0 ? 'UNCONN' : 'CONNECTED') : s.state
      const r = row(udp ? 'udp' : 'tcp', s.local, s.remote, state, s.txQueue, s.rxQueue)
      if (s.inode) r.inode = s.inode
      out.push(r)
    }
  }
  return out
}

/** "127.0.0.1.8001", "*.8001", "::1.8001", "fe80::1%lo0.5353", "*.*" -> address and port. */
function bsdEndpoint(s: string, v6: boolean): { address: string; port: number } {
  if (s === '*.*') return { address: v6 ? '::' : '0.0.0.0', port: 0 }
  const dot = s.lastIndexOf('.')
  const addr = s.slice(0, dot)
  const port = s.slice(dot + 1)
  const address = addr === '*' ? (v6 ? '::' : '0.0.0.0') : addr
  return { address, port: port === '*' ? 0 : Number(port) }
}

/**
 * macOS `netstat -an` (also `-p tcp` / `-p udp`): "Proto Recv-Q Send-Q Local Foreign (state)".
 * Proto is tcp4, tcp6, tcp46, udp4, udp6, udp46.
 */
export function parseNetstatBsd(text: string): OsSocket[] {
  const out: OsSocket[] = []
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/)
    const m = /^(tcp|udp)(4|6|46)$/.exec(f[0] ?? '')
    if (!m || f.length < 5) continue
    const v6 = m[2] !== '4'
    const proto = m[1] as 'tcp' | 'udp'
    const state = proto === 'udp' ? (f[4] === '*.*' ? 'UNCONN' : 'CONNECTED') : (f[5] ?? 'CLOSE')
    out.push(row(proto, bsdEndpoint(f[3]!, v6), bsdEndpoint(f[4]!, v6), state, Number(f[2]), Number(f[1])))
  }
  return out
}

/**
 * macOS cuts IPv6 addresses to 16 characters unless asked for them whole (`-l`, network_cmds'
 * inetprint): a lab socket on 2001:da8::… or a link-local address would never be matched. On
 * FreeBSD and OpenBSD `-l` means something else (the listen queues), so only macOS gets it.
 */
export function bsdNetstatArgs(platform: string): string[] {
  return platform === 'darwin' ? ['-anl'] : ['-an']
}

/** Windows `netstat -ano` in any display language (netstat-windows.ts): the rows. */
export function parseNetstatWindows(text: string, learned?: ReadonlyMap<string, string>): OsSocket[] {
  return parseWindowsTable(text, learned).rows
}

/** A Socket Lab process, by its command line: the app, the CLI, the preview. */
export const LAB_PROCESS = /socket[-_ ]?lab|src[/\\](cli|preview)[/\\]/i

/**
 * Linux: the socket inodes held by Socket Lab processes and their children (the accept helper),
 * mapped to the process id. Only processes this user may inspect are seen.
 */
export async function labInodes(self = process.pid): Promise<Map<number, number>> {
  const out = new Map<number, number>()
  let pids: string[]
  try {
    pids = (await readdir('/proc')).filter((d) => /^\d+$/.test(d))
  } catch {
    return out
  }
  const lab = new Set<number>()
  const parent = new Map<number, number>()
  await Promise.all(
    pids.map(async (pid) => {
      const [cmd, stat] = await Promise.all([readOr(`/proc/${pid}/cmdline`), readOr(`/proc/${pid}/stat`)])
      if (cmd && Number(pid) !== self && LAB_PROCESS.test(cmd.replace(/\0/g, ' '))) lab.add(Number(pid))
      const ppid = stat && /\) \S (\d+)/.exec(stat)?.[1]
      if (ppid) parent.set(Number(pid), Number(ppid))
    }),
  )
  for (const [pid, ppid] of parent) if (lab.has(ppid)) lab.add(pid)
  await Promise.all(
    [...lab].map(async (pid) => {
      const fds = await readdir(`/proc/${pid}/fd`).catch(() => [] as string[])
      for (const fd of fds) {
        const link = await readlink(`/proc/${pid}/fd/${fd}`).catch(() => '')
        const m = /^socket:\[(\d+)\]$/.exec(link)
        if (m) out.set(Number(m[1]), pid)
      }
    }),
  )
  return out
}

const SOURCES: Record<string, TableSource> = {
  linux: '/proc/net',
  darwin: 'netstat -an',
  win32: 'netstat -ano',
}

/** Runs a command and gives its standard output as bytes: `run`, or a recorded machine in tests. */
export type Runner = (cmd: string, args: string[]) => Promise<Buffer>

/** A command's output as bytes (no shell, hidden window on Windows, 5 s at most). */
export function run(cmd: string, args: string[]): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    execFile(
      cmd,
      args,
      { timeout: 5000, maxBuffer: 32 * 1024 * 1024, windowsHide: true, encoding: 'buffer' },
      (err, stdout) => (err ? reject(err) : resolve(stdout)),
    ),
  )
}

/** Windows: the console's code page, which netstat writes in (`chcp`: "Active code page: 850."
 * in any language, the number last). Asked once of this machine. */
let codePage: Promise<number | undefined> | undefined
export const consoleCodePage = (runner: Runner = run): Promise<number | undefined> =>
  runner === run ? (codePage ??= askCodePage(run)) : askCodePage(runner)
const askCodePage = (runner: Runner): Promise<number | undefined> =>
  runner('cmd', ['/d', '/c', 'chcp']).then(
    (b) => Number(/(\d+)\D*$/.exec(b.toString('latin1'))?.[1]) || undefined,
    () => undefined,
  )

const readOr = (p: string): Promise<string | undefined> => readFile(p, 'utf8').catch(() => undefined)

/**
 * Reads the table the platform offers; `none` where there is no known source. With `ports`
 * (Linux), only rows touching those ports are decoded; other platforms return every row.
 * `runner` runs netstat and chcp (tests give it a recorded machine's output).
 */
export async function readOsSockets(
  platform: string = process.platform,
  ports?: ReadonlySet<number>,
  learned?: ReadonlyMap<string, string>,
  runner: Runner = run,
): Promise<SocketTable> {
  const t0 = performance.now()
  const source = SOURCES[platform] ?? (platform === 'freebsd' || platform === 'openbsd' ? 'netstat -an' : 'none')
  let rows: OsSocket[] = []
  if (source === '/proc/net') {
    const [tcp, tcp6, udp, udp6] = await Promise.all(
      ['tcp', 'tcp6', 'udp', 'udp6'].map((n) => readOr(`/proc/net/${n}`)),
    )
    rows = fromProc({ tcp, tcp6, udp, udp6 }, ports)
  } else if (source === 'netstat -an') {
    rows = parseNetstatBsd((await runner('netstat', bsdNetstatArgs(platform))).toString('utf8'))
  } else if (source === 'netstat -ano') {
    const [bytes, cp] = await Promise.all([runner('netstat', ['-ano']), consoleCodePage(runner)])
    rows = parseWindowsTable(decodeConsole(bytes, cp).text, learned).rows
  }
  const table: SocketTable = { source, rows, costMs: performance.now() - t0 }
  if (platform === 'darwin' && ownSocketsOnly()) table.partial = 'own-user'
  return table
}

/**
 * macOS 27 (Darwin 26) shows a process that is not root only its own user's sockets in netstat
 * (reported by users; not verified here, no Mac): the table is then partial, and says so.
 */
export function ownSocketsOnly(release = os.release(), uid = process.getuid?.()): boolean {
  return Number(release.split('.')[0]) >= 26 && uid !== 0
}

/** The key a connection is known by from one side: local and remote endpoint. */
export function tupleKey(
  proto: string,
  local: { address: string; port: number },
  remote: { address: string; port: number },
): string {
  return `${proto} ${matchAddress(local.address)}:${local.port} ${matchAddress(remote.address)}:${remote.port}`
}
