/**
 * `socket-lab capture --read FILE [--json]`: a pcap or pcapng (Wireshark's, tcpdump's, a
 * classmate's) read as a stream, one line per packet in the course's words, or JSON lines; then a
 * summary. Exit 0; 2 when the file is not a capture or is corrupt past repair (the packets before
 * the fault are printed first), with the reason and the byte offset on stderr. No stack trace.
 */
import { createReadStream } from 'node:fs'
import { parseArgs } from 'node:util'
import type { Writable } from 'node:stream'
import { decodePacket } from '../shared/pcap/decode'
import { CaptureReader, type CaptureRecord } from '../shared/pcap/reader'
import { packetJson, packetLine } from '../shared/pcap/summary'

export const CAPTURE_USAGE = `Usage: socket-lab capture --read FILE [--json]
  Reads a pcap or pcapng file (Wireshark, tcpdump, dumpcap, a classmate's) and prints each packet
  in the course's words: the TCP handshake's SYN / SYN+ACK / ACK with seq and ack, data, FIN, RST,
  UDP datagrams, ARP's "who has" and its answer, ICMP's "port unreachable".
  --json   one JSON object per packet ({"event":"packet",…}), then {"event":"summary",…}
  Exit 0; 2 for a file that is not a capture, or a corrupt one (the packets before the fault are
  printed first).`

export interface CaptureIo {
  stdout: Writable
  stderr: Writable
}

export async function runCapture(argv: string[], io: CaptureIo): Promise<number> {
  let values: { read?: string; json?: boolean; help?: boolean }
  try {
    ;({ values } = parseArgs({
      args: argv,
      options: {
        read: { type: 'string' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }))
  } catch (e) {
    io.stderr.write(`socket-lab capture: ${(e as Error).message}\n\n${CAPTURE_USAGE}\n`)
    return 2
  }
  if (values.help) {
    io.stdout.write(CAPTURE_USAGE + '\n')
    return 0
  }
  if (!values.read) {
    io.stderr.write(
      `socket-lab capture: --read FILE is needed (live capture is not in this version yet)\n\n${CAPTURE_USAGE}\n`,
    )
    return 2
  }
  const json = values.json === true
  const reader = new CaptureReader()
  let packets = 0
  let truncated = 0
  const print = (r: CaptureRecord): void => {
    const p = decodePacket(r.linkType, r.data)
    packets++
    if (p.truncated || r.data.length < r.origLen) truncated++
    io.stdout.write((json ? JSON.stringify(packetJson(r, p)) : packetLine(r, p)) + '\n')
  }
  try {
    for await (const chunk of createReadStream(values.read, { highWaterMark: 1024 * 1024 })) {
      for (const r of reader.push(chunk as Buffer)) print(r)
      if (reader.error) break
    }
    reader.end()
  } catch (e) {
    const err = e as NodeJS.ErrnoException
    const why = err.code ? `${values.read}: ${err.code}` : `${values.read}: ${err.message}`
    if (json) io.stdout.write(JSON.stringify({ event: 'summary', packets, truncated, error: why }) + '\n')
    io.stderr.write(`socket-lab capture: ${why}\n`)
    return 2
  }
  if (json) io.stdout.write(JSON.stringify({ event: 'summary', packets, truncated, format: reader.format }) + '\n')
  else
    io.stdout.write(
      `${packets} packets (${reader.format})${truncated ? `, ${truncated} cut short by the capture` : ''}\n`,
    )
  return 0
}
