import type { Writable } from 'node:stream'
import { LIMITS, type Encoding, type Endpoint, type LabError, type LabEvent, type QueueMode } from '../shared/contract'
import { decodeForDisplay } from '../shared/codec'
import { formatEndpoint } from '../shared/endpoint'
import { en } from '../shared/i18n/en'
import { explainError } from '../shared/i18n/explain'
import { zhCN } from '../shared/i18n/zh-CN'
import { terminalLang } from './options'
import { RawSink } from './raw-sink'

function ep(e: Endpoint | undefined): string {
  return e ? formatEndpoint(e) : '?'
}

/** The learner-facing explanation of an error code, in the terminal's language. */
export function hint(err: LabError, lang: 'zh-CN' | 'en' = terminalLang()): string | undefined {
  return explainError(lang === 'zh-CN' ? zhCN : en, err)
}

/** The machine's dropped-SYN counter by the name its OS gives it (Linux /proc, macOS netstat -s). */
const DROP_COUNTER = process.platform === 'darwin' ? 'listen queue overflows' : 'ListenOverflows'

/** Past this many reads or sends in one second, the rest of that second is counted, not listed. */
export const FOLD_AFTER = 20
/** Past this many bytes of reads or sends listed in one second, likewise: a few 1 MiB sends from
 * a file are a flood too, though far fewer than FOLD_AFTER a second. */
export const FOLD_BYTES = 64 * 1024
export const FOLD_MS = 1000
/** The most of one read a line shows (decoded as text, or as base64 in JSON): a whole socket read
 * (64 KiB), as a peer's answer is what one wants to see; never the whole of a 1 MiB bulk read. */
export const SHOW_BYTES = 64 * 1024
/** The most of one send a line shows: the app's preview (LIMITS.previewBytes, 4 KiB). What is sent
 * is what the user gave (typed, --send, a file); a file's 1 MiB chunks are not decoded whole. */
export const SHOW_SENT_BYTES = LIMITS.previewBytes
const LIFECYCLE = new Set<LabEvent['kind']>([
  'listening',
  'connect',
  'connection',
  'end',
  'shutdown',
  'close',
  'error',
  'name',
])

export interface PrinterOptions {
  output: 'text' | 'json' | 'raw'
  quiet: boolean
  encoding: Encoding
  /** false: every read and send listed (--no-fold). */
  fold?: boolean
}

/** What a text line shows of a read or send: at most `max` bytes of it, and how much more there was. */
function shown(payload: Uint8Array, encoding: Encoding, max: number): string {
  if (payload.length <= max) return decodeForDisplay(payload, encoding)
  return `${decodeForDisplay(payload.subarray(0, max), encoding)}… (${payload.length - max} more bytes)`
}

/**
 * Prints engine events as readable lines or as one JSON object per line; with `raw`, writes the
 * bytes received to stdout unchanged and the events, as text, to stderr. Under a flood, reads and
 * sends beyond FOLD_AFTER (or FOLD_BYTES) a second are folded into one line per second that says so.
 */
export class Printer {
  private readonly json: boolean
  private readonly encoding: Encoding
  /** Where events go as lines: stdout, or stderr when stdout carries the raw bytes. */
  private readonly lines: Writable
  private window = { start: 0, listed: 0, bytes: 0 }
  private folded = { reads: 0, bytes: 0, sends: 0, sent: 0 }
  private foldTimer: NodeJS.Timeout | undefined

  constructor(
    out: Writable,
    private readonly err: Writable,
    private readonly opts: PrinterOptions,
  ) {
    this.json = opts.output === 'json'
    this.encoding = opts.encoding
    this.lines = opts.output === 'raw' ? err : out
    this.rawSink = new RawSink(out)
  }

  private servedSince = new Map<string, number>()

  /** Which accept queue the backlog demo shows, and why. */
  mode(m: QueueMode): void {
    const why = (en.backlog.reasons as Record<string, string>)[m.reason] ?? m.reason
    if (this.json)
      return this.line(
        JSON.stringify({
          event: 'mode',
          queue: m.kind,
          reason: m.reason,
          explanation: why,
          platform: process.platform,
        }),
      )
    this.line(`accept queue: ${m.kind === 'kernel' ? "the kernel's own" : 'SIMULATED by the app'} — ${why}`)
  }

  event(ev: LabEvent, payload?: Uint8Array): void {
    if (ev.kind === 'data' && this.opts.output === 'raw' && payload) this.rawSink.write(payload)
    // the bytes gathered are out before anything else is told (a close may end the process)
    else this.rawSink.flush()
    if (this.opts.quiet && !LIFECYCLE.has(ev.kind) && ev.kind !== 'serve') return
    if ((ev.kind === 'data' || ev.kind === 'sent') && this.opts.fold !== false && this.fold(ev)) return
    // what was folded is told before what comes after it (the peer's FIN, a close): the counts add up in order
    if (ev.kind !== 'data' && ev.kind !== 'sent') this.flush()
    if (ev.kind === 'serve') return this.serve(ev)
    if (this.json) return this.line(JSON.stringify(this.toJson(ev, payload)))
    // raw: the bytes themselves are on stdout; the line on stderr only counts them
    const text =
      payload && this.opts.output !== 'raw'
        ? shown(payload, this.encoding, ev.kind === 'sent' ? SHOW_SENT_BYTES : SHOW_BYTES)
        : ''
    switch (ev.kind) {
      case 'listening':
        // UDP has no listen(): a bound socket receives what is sent to its address
        return this.line(
          ev.transport === 'udp'
            ? `[${ev.id}] udp bound to ${ep(ev.local)} (no listen() in UDP)`
            : `[${ev.id}] tcp listening on ${ep(ev.local)}${ev.mode ? ` (${ev.mode})` : ''}`,
        )
      case 'connecting':
        return this.line(
          `[${ev.id}] connect() to ${ev.host}:${ev.port}: ` +
            (ev.resolving ? `looking up ${ev.host} first (DNS); no packet sent yet` : 'SYN sent'),
        )
      case 'lookup':
        return this.line(`[${ev.id}] ${ev.host} resolved to ${ev.address}: SYN sent`)
      case 'connect':
        return this.line(`[${ev.id}] connected ${ep(ev.local)} -> ${ep(ev.remote)}`)
      case 'connection':
        return this.line(`[${ev.id}] accepted ${ev.conn}: ${ep(ev.remote)} -> ${ep(ev.local)}`)
      case 'data':
        return this.line(
          `[${ev.id}] ${ev.from ? `recvfrom ${ev.bytes} bytes from ${ep(ev.from)}` : `recv ${ev.bytes} bytes`}${text ? `: ${text}` : ''}`,
        )
      case 'sent':
        return this.line(
          `[${ev.id}] ${ev.to ? `sendto ${ev.bytes} bytes to ${ep(ev.to)}` : `send ${ev.bytes} bytes`}${ev.auto ? ' (auto)' : ''}: ${text}`,
        )
      case 'overflow':
        return this.line(`[${ev.id}] ${ev.reads} more ${ev.of} events, ${ev.bytes} bytes`)
      case 'queue':
        return this.line(
          `[${ev.id}] queue: ${ev.kernel ?? ev.app ?? '?'} of ${ev.slots} waiting (${ev.mode === 'kernel' ? 'kernel figure' : 'app count, simulated'})` +
            (ev.overflows !== null ? `, ${DROP_COUNTER} ${ev.overflows} (this machine, all programs)` : ''),
        )
      case 'end':
        return this.line(`[${ev.id}] peer sent FIN (recv() returned b'')`)
      case 'shutdown':
        return this.line(`[${ev.id}] sent FIN (shutdown SHUT_WR)`)
      case 'close':
        return this.line(
          `[${ev.id}] ${ev.reset ? 'reset (RST sent)' : `closed${ev.hadError ? ' after an error' : ''}`}`,
        )
      case 'error':
        return this.error({ code: ev.code, message: ev.message }, ev.id)
      case 'name':
        return this.line(`[${ev.id}] is now called ${ev.name}`)
      case 'tls':
        return this.tls(ev)
    }
  }

  /** A finished TLS handshake: what was chosen, whose certificate, and whether it verified. */
  private tls(ev: Extract<LabEvent, { kind: 'tls' }>): void {
    const chosen = `[${ev.id}] TLS ${ev.protocol} ${ev.cipher}${ev.group ? ` ${ev.group}` : ''}${ev.alpn ? ` ALPN ${ev.alpn}` : ''}`
    const leaf = ev.chain?.[0]
    const cert = leaf ? `; certificate ${leaf.subject} (issuer ${leaf.issuer}), SHA-256 ${leaf.fingerprint256}` : ''
    if (ev.side === 'server') {
      const o = ev.offered
      const offered = o
        ? `; the client offered ${o.versions.join('/')}, ${o.ciphers.length} suites${o.alpn.length ? `, ALPN ${o.alpn.join(',')}` : ''}${o.sni ? `, SNI ${o.sni}` : ', no SNI'}`
        : ''
      return this.line(`${chosen}${offered}${cert}`)
    }
    const why = [ev.authorizationError, ev.nameError].filter((x): x is string => !!x)
    this.line(`${chosen}${cert}; ${ev.authorized ? 'verified' : `NOT verified (${why.join(', ')}): connected anyway`}`)
    for (const code of why) {
      const h = hint({ code, message: code })
      if (h) this.err.write(`  ${h}\n`)
    }
  }

  private serve(ev: Extract<LabEvent, { kind: 'serve' }>): void {
    if (ev.phase === 'start') {
      this.servedSince.set(ev.conn, ev.t)
      if (this.json) return this.line(JSON.stringify({ event: 'accepted', id: ev.id, conn: ev.conn, t: ev.t }))
      return this.line(`[${ev.id}] accept() -> ${ev.conn}: serving`)
    }
    const ms = Math.round(ev.t - (this.servedSince.get(ev.conn) ?? ev.t))
    this.servedSince.delete(ev.conn)
    if (this.json) {
      this.line(JSON.stringify({ event: 'served', id: ev.id, conn: ev.conn, ms, reason: ev.reason, t: ev.t }))
      return this.line(JSON.stringify({ event: 'left', id: ev.id, conn: ev.conn, t: ev.t }))
    }
    this.line(`[${ev.id}] served ${ev.conn} for ${ms} ms (${ev.reason}); it left`)
  }

  error(e: LabError, id?: string): void {
    const h = hint(e)
    if (this.json)
      return this.line(JSON.stringify({ event: 'error', ...(id ? { id } : {}), ...e, ...(h ? { hint: h } : {}) }))
    this.flush()
    this.err.write(`${id ? `[${id}] ` : ''}error ${e.code}: ${e.message}${h ? `\n  ${h}` : ''}\n`)
  }

  note(msg: string): void {
    if (this.json) this.line(JSON.stringify({ event: 'note', message: msg }))
    else this.err.write(`${msg}\n`)
  }

  private line(s: string): void {
    this.lines.write(s + '\n')
  }

  private readonly rawSink: RawSink

  /** True when this read or send is counted in the second's fold instead of listed. */
  private fold(ev: Extract<LabEvent, { kind: 'data' | 'sent' }>): boolean {
    const now = Date.now()
    if (now - this.window.start >= FOLD_MS) {
      this.flush()
      this.window = { start: now, listed: 0, bytes: 0 }
    }
    if (this.window.listed < FOLD_AFTER && this.window.bytes < FOLD_BYTES) {
      this.window.listed++
      this.window.bytes += ev.bytes
      return false
    }
    if (ev.kind === 'data') {
      this.folded.reads++
      this.folded.bytes += ev.bytes
    } else {
      this.folded.sends++
      this.folded.sent += ev.bytes
    }
    this.foldTimer ??= setTimeout(() => this.flush(), FOLD_MS).unref()
    return true
  }

  /** Prints what was folded since the last line of it (also at the end). */
  flush(): void {
    this.rawSink.flush()
    clearTimeout(this.foldTimer)
    this.foldTimer = undefined
    const f = this.folded
    if (!f.reads && !f.sends) return
    this.folded = { reads: 0, bytes: 0, sends: 0, sent: 0 }
    if (this.json) return this.line(JSON.stringify({ event: 'folded', ...f, ms: FOLD_MS, t: Date.now() }))
    this.line(
      `(a flood: ${f.reads} more reads, ${f.bytes} bytes` +
        (f.sends ? `; ${f.sends} more sends, ${f.sent} bytes` : '') +
        ` — counted, not printed one by one)`,
    )
  }

  private toJson(ev: LabEvent, payload?: Uint8Array): Record<string, unknown> {
    const { kind, ...rest } = ev
    const o: Record<string, unknown> = { event: kind, ...rest }
    if (kind === 'listening') {
      // Flat address and port first, so `--port 0` is usable from scripts.
      delete o.local
      return {
        event: kind,
        transport: ev.transport,
        address: ev.local.address,
        port: ev.local.port,
        family: ev.local.family,
        ...o,
      }
    }
    // TLS: the peer's certificate by the name Node gives it (the chain beside it)
    if (kind === 'tls' && ev.side === 'client' && ev.chain?.[0]) o.peerCertificate = ev.chain[0]
    if ((kind === 'data' || kind === 'sent') && payload) {
      delete o.preview
      delete o.truncated
      const head = payload.subarray(0, kind === 'sent' ? SHOW_SENT_BYTES : SHOW_BYTES)
      o.text = decodeForDisplay(head, this.encoding === 'hex' ? 'utf-8' : this.encoding)
      o.base64 = Buffer.from(head.buffer, head.byteOffset, head.length).toString('base64')
      // text and base64 hold the first SHOW_(SENT_)BYTES; `bytes` is how many there were
      if (head.length < payload.length) o.truncated = true
    }
    return o
  }
}
