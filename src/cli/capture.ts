/**
 * `socket-lab capture`: live, the packets of the given ports (and ARP, ICMP) as a capturer run as
 * a child writes them; or `--read FILE`, a pcap or pcapng (Wireshark's, tcpdump's, a classmate's)
 * read as a stream. One line per packet in the course's words, or JSON lines; then a summary.
 * Exit 0; 2 for bad input (not a capture, corrupt past repair: the packets before the fault are
 * printed first); 3 when this user may not capture here, with this OS's one-time fix. No stack trace.
 */
import { createReadStream, createWriteStream } from 'node:fs'
import { parseArgs } from 'node:util'
import type { Writable } from 'node:stream'
import { decodePacket } from '../shared/pcap/decode'
import { CaptureReader, type CaptureRecord } from '../shared/pcap/reader'
import { packetJson, packetLine } from '../shared/pcap/summary'
import { PcapngWriter } from '../shared/pcap/writer'
import { catalogFor } from '../shared/i18n/catalog'
import { startCapture, type CaptureSpec } from '../main/engine/capture/capturer'
import { int } from './flags'
import { terminalLang } from './options'
import { UsageError } from './usage-error'

export const CAPTURE_USAGE = `Usage: socket-lab capture [--port P ...] [--iface NAME] [--filter BPF] [--write FILE.pcapng]
                          [--count N] [--json]
       socket-lab capture --read FILE [--json]
  Prints each packet in the course's words: the TCP handshake's SYN / SYN+ACK / ACK with seq and
  ack, data, FIN, RST, UDP datagrams, ARP's "who has" and its answer, ICMP's "port unreachable".
  Live, it runs tcpdump (Linux: on any interface; macOS: lo0, or --iface en0) or Wireshark's dumpcap
  (Windows) with a filter for the ports (TCP and UDP) plus ARP and ICMP, until Ctrl+C or --count.
  --read   a pcap or pcapng file (Wireshark, tcpdump, dumpcap, a classmate's)
  --write  also save what was captured, as pcapng (opens in Wireshark)
  --json   {"event":"capturing",…} once capturing, one {"event":"packet",…} per packet, then
           {"event":"summary",…}
  Exit 0; 2 for bad input (not a capture file, a corrupt one: the packets before the fault are
  printed first); 3 when this user may not capture here, with the one-time fix for this OS:
    Linux: the wireshark group (dpkg-reconfigure wireshark-common; usermod -aG wireshark), or root
    macOS: Wireshark's ChmodBPF (the access_bpf group), or sudo
    Windows: Wireshark with Npcap's default options`

export interface CaptureIo {
  stdout: Writable
  stderr: Writable
}

export async function runCapture(argv: string[], io: CaptureIo): Promise<number> {
  let values: {
    read?: string
    json?: boolean
    help?: boolean
    port?: string[]
    iface?: string
    filter?: string
    write?: string
    count?: string
  }
  try {
    ;({ values } = parseArgs({
      args: argv,
      options: {
        read: { type: 'string' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h' },
        port: { type: 'string', multiple: true },
        iface: { type: 'string' },
        filter: { type: 'string' },
        write: { type: 'string' },
        count: { type: 'string' },
      },
      strict: true,
    }))
  } catch (e) {
    return usage(io, (e as Error).message)
  }
  if (values.help) {
    io.stdout.write(CAPTURE_USAGE + '\n')
    return 0
  }
  let ports: number[]
  let count: number | undefined
  try {
    ports = (values.port ?? []).map((p) => int(p, 'port', 0, 1, 65535))
    count = values.count === undefined ? undefined : int(values.count, 'count', 0, 1, Number.MAX_SAFE_INTEGER)
  } catch (e) {
    if (e instanceof UsageError) return usage(io, e.message)
    throw e
  }
  const out = new PacketPrinter(io, values.json === true)
  return values.read ? readFile(values.read, out, io) : live({ ports, ...pick(values) }, count, values.write, out, io)
}

const pick = (v: { iface?: string; filter?: string }): { iface?: string; filter?: string } => ({
  ...(v.iface ? { iface: v.iface } : {}),
  ...(v.filter ? { filter: v.filter } : {}),
})

function usage(io: CaptureIo, why: string): number {
  io.stderr.write(`socket-lab capture: ${why}\n\n${CAPTURE_USAGE}\n`)
  return 2
}

/** Prints packets as lines or JSON, and the summary. */
class PacketPrinter {
  packets = 0
  truncated = 0
  constructor(
    private readonly io: CaptureIo,
    readonly json: boolean,
  ) {}
  packet(r: CaptureRecord): void {
    const p = decodePacket(r.linkType, r.data)
    this.packets++
    if (p.truncated || r.data.length < r.origLen) this.truncated++
    this.io.stdout.write((this.json ? JSON.stringify(packetJson(r, p)) : packetLine(r, p)) + '\n')
  }
  summary(extra: Record<string, unknown>): void {
    const { packets, truncated } = this
    if (this.json) this.io.stdout.write(JSON.stringify({ event: 'summary', packets, truncated, ...extra }) + '\n')
    else
      this.io.stdout.write(
        `${packets} packets${extra['format'] ? ` (${String(extra['format'])})` : ''}${truncated ? `, ${truncated} cut short by the capture` : ''}\n`,
      )
  }
}

async function readFile(path: string, out: PacketPrinter, io: CaptureIo): Promise<number> {
  const reader = new CaptureReader()
  try {
    for await (const chunk of createReadStream(path, { highWaterMark: 1024 * 1024 })) {
      for (const r of reader.push(chunk as Buffer)) out.packet(r)
      if (reader.error) break
    }
    reader.end()
  } catch (e) {
    const err = e as NodeJS.ErrnoException
    const why = err.code ? `${path}: ${err.code}` : `${path}: ${err.message}`
    out.summary({ error: why })
    io.stderr.write(`socket-lab capture: ${why}\n`)
    return 2
  }
  out.summary({ format: reader.format })
  return 0
}

async function live(
  spec: CaptureSpec,
  count: number | undefined,
  write: string | undefined,
  out: PacketPrinter,
  io: CaptureIo,
): Promise<number> {
  const file = write ? createWriteStream(write) : undefined
  const w = new PcapngWriter()
  file?.write(w.header())
  // the callback runs once packets come, after `cap` is set
  const cap = startCapture({ ...spec, immediate: true }, (r) => {
    if (count !== undefined && out.packets >= count) return
    out.packet(r)
    file?.write(w.packet(r))
    if (count !== undefined && out.packets >= count) void cap.stop()
  })
  const stop = (): void => void cap.stop()
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
  void cap.ready.then((info) => {
    if (out.json) io.stdout.write(JSON.stringify({ event: 'capturing', ...info }) + '\n')
    else io.stderr.write(`capturing with ${info.tool} on ${info.interfaces.join(', ')}: ${info.filter}\n`)
  })
  const end = await cap.ended
  process.off('SIGINT', stop)
  process.off('SIGTERM', stop)
  if (file) await new Promise((r) => file.end(r))
  if (end.refusal) {
    const m = catalogFor(terminalLang()).capture
    const why = end.refusal === 'no-capturer' ? m.noCapturer : m.notPermitted.replace('{why}', end.message ?? '')
    const fix = (m.fix as Record<string, string>)[process.platform] ?? m.fix.linux
    io.stderr.write(`socket-lab capture: ${why}\n${fix}\n`)
    return 3
  }
  if (end.message) {
    io.stderr.write(`socket-lab capture: ${end.message}\n`)
    return 1
  }
  out.summary(write ? { written: write } : {})
  return 0
}
