/**
 * A socket table captured on another machine: a student's `netstat -ano > out.txt` from their
 * Windows PC (in its code page, or UTF-16 from PowerShell), a Mac's `netstat -an`, a Linux
 * /proc/net/tcp, or text pasted as UTF-8. The format is told or recognised from the text.
 */
import iconv from 'iconv-lite'
import type { CaptureFormat, ParsedTable } from '../../../shared/contract'
import { decodeConsole, parseWindowsTable } from './netstat-windows'
import { fromProc, parseNetstatBsd } from './os-sockets'

export { CAPTURE_FORMATS, type CaptureFormat } from '../../../shared/contract'
export type ParsedCapture = ParsedTable

/** The text is none of the tables this reads (or its format could not be recognised). */
export class NotATable extends Error {
  constructor() {
    super('not a socket table this can read')
  }
}

/** Which table the text is: Windows rows ("TCP 0.0.0.0:135"), BSD rows ("tcp4 ... 127.0.0.1.22"), /proc. */
export function guessFormat(text: string): CaptureFormat | undefined {
  if (/^\s*sl\s+local_address\s+rem(ote)?_address/m.test(text)) return 'proc'
  if (/^\s*(tcp|udp)(4|6|46)\s+\d+\s+\d+\s/m.test(text)) return 'bsd'
  if (/^\s*(TCP|UDP)\s+(\[[0-9a-f:.%]+\]|[\d.]+|\*):(\d+|\*)\s/im.test(text)) return 'windows'
  return undefined
}

export function parseCapture(
  input: Uint8Array | string,
  opts: { format?: CaptureFormat; encoding?: string } = {},
): ParsedCapture {
  let text: string
  let encoding: string
  if (typeof input === 'string') {
    text = input
    encoding = 'text'
  } else if (opts.encoding) {
    if (!iconv.encodingExists(opts.encoding)) throw new Error(`unknown encoding "${opts.encoding}"`)
    text = iconv.decode(Buffer.from(input), opts.encoding) // a byte-order mark is dropped by iconv
    encoding = opts.encoding
  } else {
    ;({ text, encoding } = decodeConsole(input))
  }
  const format = opts.format ?? guessFormat(text)
  if (!format) throw new NotATable()
  if (format === 'windows') return { format, encoding, ...parseWindowsTable(text) }
  if (format === 'bsd') return { format, encoding, rows: parseNetstatBsd(text), unrecognized: [] }
  // /proc/net/{tcp,tcp6,udp,udp6}: UDP's header ends in "drops" (each row's family is read from its
  // address, 8 or 32 hex digits)
  const udp = /^\s*sl\s.*\bdrops\b/m.test(text)
  const rows = fromProc(udp ? { udp: text } : { tcp: text }).map((r) => {
    const copy = { ...r }
    delete copy.inode // this machine's /proc links mean nothing for another's
    return copy
  })
  return { format, encoding, rows, unrecognized: [] }
}
