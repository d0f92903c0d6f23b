/**
 * A live capture: an existing capturer run as a child (no native addon, nothing bundled, no
 * capability given to the app itself), its pcap or pcapng read from stdout as it comes (see
 * capturerFor for which, per OS). Whether it may capture is found out by starting it, never assumed; when it may not,
 * the reason and this OS's one-time fix are given (messages in the catalogs: capture.fix.*).
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { CaptureReader, type CaptureRecord } from '../../../shared/pcap/reader'

export interface CaptureSpec {
  /** The lab's ports: TCP and UDP on them are captured, with ARP and ICMP. */
  ports: number[]
  /** An interface to capture on, instead of every one (Linux `any`; macOS lo0 and en0). */
  iface?: string
  /** A BPF filter of one's own, instead of the one built from the ports. */
  filter?: string
  /** tcpdump: each packet as it comes (`--immediate-mode`; a terminal's user waits for each line)
   * rather than a block at a time (what a flood needs: see DRAIN_MS). */
  immediate?: boolean
}

export type Refusal = 'no-capturer' | 'not-permitted'

export interface LiveCapture {
  /** The capturer's name, the interfaces and the filter, once it is capturing. */
  ready: Promise<{ tool: string; interfaces: string[]; filter: string }>
  /** Stops the capturer, after `drainMs` (what the kernel still holds for it is handed over by
   * then: see DRAIN_MS); resolves when it has exited (every record it wrote was given). */
  stop(drainMs?: number): Promise<void>
  /** Resolves when the capturer has exited, by stop() or of its own accord (with why, if it failed). */
  ended: Promise<{ refusal?: Refusal; message?: string }>
  /** Packets the kernel dropped because the capturer fell behind, as it last said (0 until it does). */
  dropped(): number
  /** Asks the capturer to say its counts now (tcpdump on Linux: SIGUSR1); a no-op elsewhere. */
  poll(): void
}

/** The BPF filter for the lab's ports: their TCP and UDP, ARP, and ICMP (the UDP lesson's errors). */
export function labFilter(ports: readonly number[]): string {
  const own = ports.map((p) => `port ${p}`).join(' or ')
  return own ? `(${own}) or arp or icmp or icmp6` : 'arp or icmp or icmp6 or tcp or udp'
}

/**
 * tcpdump reads the kernel's packets a block at a time, a block handed over when full or after
 * its timeout (1 s): a flood of 100,000 a second is taken in whole, where `--immediate-mode` (a
 * wake-up per packet) lets the kernel drop a third of it. A quiet lab's packets then show up to
 * a second late, and a capturer stopped at once loses the block not handed over yet: a stop that
 * must keep the last packets (the FINs of the last connection closed) waits this long first.
 */
export const DRAIN_MS = 1100

/** Where Wireshark puts dumpcap on each OS. */
const DUMPCAP: Record<string, string[]> = {
  linux: ['/usr/bin/dumpcap', '/usr/sbin/dumpcap'],
  darwin: ['/Applications/Wireshark.app/Contents/MacOS/dumpcap', '/opt/homebrew/bin/dumpcap', '/usr/local/bin/dumpcap'],
}

/**
 * The capturer for this OS and the arguments that make it write a capture to stdout, packet by
 * packet. Linux: tcpdump as root; for anyone else Wireshark's dumpcap when it is there (members of
 * the `wireshark` group may run it), else tcpdump (which then says it may not). macOS: dumpcap on
 * lo0 and en0 together when Wireshark is installed, else tcpdump on lo0 (one interface: `any` is a
 * PKTAP interface only root may create). Windows: dumpcap over Npcap's loopback adapter.
 */
export function capturerFor(
  platform: NodeJS.Platform,
  spec: CaptureSpec,
  exists: (p: string) => boolean = existsSync,
  uid: number | undefined = process.getuid?.(),
): { tool: string; cmd: string; args: string[]; interfaces: string[]; filter: string } | undefined {
  const filter = spec.filter ?? labFilter(spec.ports)
  const dumpcap = (cmd: string, ifaces: string[]) => ({
    tool: 'dumpcap',
    cmd,
    args: [...ifaces.flatMap((i) => ['-i', i]), '-f', filter, '-w', '-', '-q'],
    interfaces: ifaces,
    filter,
  })
  if (platform === 'win32') {
    const pf = process.env['ProgramFiles'] ?? 'C:\\Program Files'
    const cmd = join(pf, 'Wireshark', 'dumpcap.exe')
    return exists(cmd) ? dumpcap(cmd, spec.iface ? [spec.iface] : ['\\Device\\NPF_Loopback']) : undefined
  }
  const wireshark = (DUMPCAP[platform] ?? []).find((p) => exists(p))
  if (wireshark && platform === 'darwin') return dumpcap(wireshark, spec.iface ? [spec.iface] : ['lo0', 'en0'])
  if (wireshark && platform === 'linux' && uid !== 0) return dumpcap(wireshark, [spec.iface ?? 'any'])
  const tcpdump = ['/usr/sbin/tcpdump', '/usr/bin/tcpdump', '/sbin/tcpdump'].find((p) => exists(p))
  if (!tcpdump) return undefined
  const iface = spec.iface ?? (platform === 'darwin' ? 'lo0' : 'any')
  return {
    tool: 'tcpdump',
    cmd: tcpdump,
    args: ['-i', iface, '-U', '-n', ...(spec.immediate ? ['--immediate-mode'] : []), '-B', '16384', '-w', '-', filter],
    interfaces: [iface],
    filter,
  }
}

/** Whether the capturer's words on stderr say it may not capture here. */
export const refusedByOs = (stderr: string): boolean =>
  /permission|not permitted|Operation not permitted|You don't have permission|access denied|BIOCSETIF|\/dev\/bpf/i.test(
    stderr,
  )

/** The packets a capturer says the kernel dropped because it fell behind, as it last said it. */
export function droppedOf(stderr: string): number {
  // tcpdump, on SIGUSR1 and as it exits (a running total): "12 packets dropped by kernel";
  // dumpcap, as it exits, per interface: "Packets received/dropped on interface 'lo': 900/12 …"
  const tcpdump = [...stderr.matchAll(/(\d+) packets? dropped by kernel/g)].at(-1)
  if (tcpdump) return Number(tcpdump[1])
  return [...stderr.matchAll(/received\/dropped on interface[^:]*: \d+\/(\d+)/g)].reduce((a, m) => a + Number(m[1]), 0)
}

/** Starts a capture; `onRecord` hears each packet as the capturer writes it. */
export function startCapture(
  spec: CaptureSpec,
  onRecord: (r: CaptureRecord) => void,
  platform: NodeJS.Platform = process.platform,
  spawnIt: typeof spawn = spawn,
): LiveCapture {
  const how = capturerFor(platform, spec)
  if (!how) {
    const ended = Promise.resolve({ refusal: 'no-capturer' as const })
    const none = { ready: new Promise<never>(() => undefined), stop: () => Promise.resolve(), ended }
    return { ...none, dropped: () => 0, poll: () => undefined }
  }
  const child: ChildProcess = spawnIt(how.cmd, how.args, { stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true })
  const reader = new CaptureReader()
  let stderr = ''
  let readyNow!: (v: { tool: string; interfaces: string[]; filter: string }) => void
  const ready = new Promise<{ tool: string; interfaces: string[]; filter: string }>((r) => (readyNow = r))
  const info = { tool: how.tool, interfaces: how.interfaces, filter: how.filter }
  child.stderr!.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-16_384) // its counts come again and again
    // tcpdump: "listening on any, link-type …"; dumpcap: "Capturing on …"
    if (/listening on|Capturing on/i.test(stderr)) readyNow(info)
  })
  child.stdout!.on('data', (d: Buffer) => {
    for (const r of reader.push(d)) onRecord(r)
  })
  const ended = new Promise<{ refusal?: Refusal; message?: string }>((resolve) => {
    child.once('error', (e) => resolve({ refusal: 'no-capturer', message: e.message }))
    child.once('close', (code, signal) => {
      const message = stderr.trim().split('\n').filter(Boolean).at(-1)
      if (code !== 0 && signal === null && refusedByOs(stderr))
        return resolve({ refusal: 'not-permitted', ...(message ? { message } : {}) })
      resolve(code === 0 || signal !== null ? {} : { ...(message ? { message } : {}) })
    })
  })
  const running = (): boolean => child.exitCode === null && child.signalCode === null
  return {
    ready,
    ended,
    dropped: () => droppedOf(stderr),
    poll: () => {
      if (how.tool === 'tcpdump' && platform === 'linux' && running()) child.kill('SIGUSR1')
    },
    stop: async (drainMs = 0) => {
      if (drainMs && running()) await Promise.race([ended, new Promise((r) => setTimeout(r, drainMs))])
      if (running()) child.kill('SIGINT')
      await ended
    },
  }
}
