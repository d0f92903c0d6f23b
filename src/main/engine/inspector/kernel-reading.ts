/**
 * What the kernel says about one listening port, read as often as its cost allows: the accept
 * queue's figure, the handshakes under way and the machine's dropped-SYN counter. Linux reads
 * /proc (cheap: every 200 ms); macOS spawns `netstat -Lan` and `netstat -s`, so the pace follows
 * what a reading costs there instead of spawning two processes five times a second.
 */
import { execFile } from 'node:child_process'
import { handshakes, listenOverflows, listenQueue, parseNetstatListen, rcvbufErrors, readTcpTables } from './proc-net'

export interface KernelReading {
  /** Connections waiting for accept(), by the kernel's own figure; null where the OS gives none. */
  kernel: number | null
  hs: ReturnType<typeof handshakes>
  /** The machine's count of connection attempts dropped by a full listen queue, or null. */
  overflows: number | null
}

/** Runs a command and gives its standard output, or null when it failed. */
export type Run = (cmd: string, args: string[]) => Promise<string | null>

const run: Run = (cmd, args) =>
  new Promise((resolve) => {
    execFile(cmd, args, { timeout: 1000, windowsHide: true }, (err, stdout) => resolve(err ? null : stdout))
  })

/** The first number of `netstat -s` output's line that reads "<n> <label>", or null. */
function statLine(text: string | null, label: RegExp): number | null {
  if (text === null) return null
  for (const line of text.split('\n')) {
    const m = /^\s*(\d+) (.*?)\s*$/.exec(line)
    if (m && label.test(m[2]!)) return Number(m[1])
  }
  return null
}

/** macOS `netstat -s -p tcp`: "\t<n> listen queue overflow(s)" (network_cmds, inet.c). */
export const parseListenDrops = (text: string | null): number | null => statLine(text, /^listen queue overflows?$/)

/** macOS `netstat -s -p udp`: "\t\t<n> dropped due to full socket buffers" (network_cmds, inet.c). */
export const parseUdpFullSock = (text: string | null): number | null =>
  statLine(text, /^dropped due to full socket buffers$/)

/** One reading for `port` on `platform`: /proc on Linux, netstat on macOS, nothing elsewhere. */
export async function kernelReading(
  port: number,
  platform = process.platform,
  exec: Run = run,
): Promise<KernelReading> {
  if (platform === 'darwin') {
    const [table, stats] = await Promise.all([
      exec('netstat', ['-Lan', '-p', 'tcp']),
      exec('netstat', ['-s', '-p', 'tcp']),
    ])
    const row = table === null ? undefined : parseNetstatListen(table).find((r) => r.port === port)
    // XNU's qlen counts the half-open connections too: those waiting for accept() are the rest
    return { kernel: row ? row.qlen - row.incqlen : null, hs: null, overflows: parseListenDrops(stats) }
  }
  if (platform === 'win32') return { kernel: null, hs: null, overflows: null }
  const texts = readTcpTables()
  return { kernel: listenQueue(port, texts), hs: handshakes(port, texts), overflows: listenOverflows() }
}

/** The machine's count of datagrams dropped because a receive buffer was full, or null. */
export async function udpBufferDrops(platform = process.platform, exec: Run = run): Promise<number | null> {
  if (platform === 'darwin') return parseUdpFullSock(await exec('netstat', ['-s', '-p', 'udp']))
  return platform === 'win32' ? null : rcvbufErrors()
}

/** Milliseconds until the next reading: 200 when a reading is cheap, twenty times its cost when
 * it is not (a 30 ms pair of netstat spawns: 600 ms), at most a second. */
export const readingInterval = (costMs: number): number => Math.min(1000, Math.max(200, Math.round(costMs * 20)))
