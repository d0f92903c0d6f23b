import type { Writable } from 'node:stream'
import type { Encoding, Endpoint, LabError, LabEvent, QueueMode } from '../shared/contract'
import { decodeForDisplay } from '../shared/codec'
import { formatEndpoint } from '../shared/endpoint'
import { en } from '../shared/i18n/en'
import { explainError } from '../shared/i18n/explain'
import { zhCN } from '../shared/i18n/zh-CN'

function ep(e: Endpoint | undefined): string {
  return e ? formatEndpoint(e) : '?'
}

/** The learner-facing explanation of an error code, in the terminal's language. */
export function hint(err: LabError, lang = process.env['LC_ALL'] || process.env['LANG'] || ''): string | undefined {
  return explainError(lang.toLowerCase().startsWith('zh') ? zhCN : en, err)
}

/** Prints engine events as readable lines or as one JSON object per line. */
export class Printer {
  constructor(
    private readonly out: Writable,
    private readonly err: Writable,
    private readonly json: boolean,
    private readonly encoding: Encoding,
  ) {}

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
    if (ev.kind === 'serve') return this.serve(ev)
    if (this.json) return this.line(JSON.stringify(this.toJson(ev, payload)))
    const text = payload ? decodeForDisplay(payload, this.encoding) : ''
    switch (ev.kind) {
      case 'listening':
        return this.line(`[${ev.id}] ${ev.transport} listening on ${ep(ev.local)}${ev.mode ? ` (${ev.mode})` : ''}`)
      case 'connecting':
        return this.line(`[${ev.id}] connect() to ${ev.host}:${ev.port}: SYN sent`)
      case 'lookup':
        return this.line(`[${ev.id}] ${ev.host} resolved to ${ev.address}`)
      case 'connect':
        return this.line(`[${ev.id}] connected ${ep(ev.local)} -> ${ep(ev.remote)}`)
      case 'connection':
        return this.line(`[${ev.id}] accepted ${ev.conn}: ${ep(ev.remote)} -> ${ep(ev.local)}`)
      case 'data':
        return this.line(`[${ev.id}] recv ${ev.bytes} bytes${ev.from ? ` from ${ep(ev.from)}` : ''}: ${text}`)
      case 'sent':
        return this.line(
          `[${ev.id}] send ${ev.bytes} bytes${ev.to ? ` to ${ep(ev.to)}` : ''}${ev.auto ? ' (auto)' : ''}: ${text}`,
        )
      case 'overflow':
        return this.line(`[${ev.id}] ${ev.reads} more ${ev.of} events, ${ev.bytes} bytes`)
      case 'queue':
        return this.line(
          `[${ev.id}] queue: ${ev.kernel ?? ev.app ?? '?'} of ${ev.slots} waiting (${ev.mode === 'kernel' ? 'kernel figure' : 'app count, simulated'})` +
            (ev.overflows !== null ? `, ListenOverflows ${ev.overflows}` : ''),
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
    this.err.write(`${id ? `[${id}] ` : ''}error ${e.code}: ${e.message}${h ? `\n  ${h}` : ''}\n`)
  }

  note(msg: string): void {
    if (this.json) this.line(JSON.stringify({ event: 'note', message: msg }))
    else this.err.write(`${msg}\n`)
  }

  private line(s: string): void {
    this.out.write(s + '\n')
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
    if ((kind === 'data' || kind === 'sent') && payload) {
      delete o.preview
      delete o.truncated
      o.text = decodeForDisplay(payload, this.encoding === 'hex' ? 'utf-8' : this.encoding)
      o.base64 = Buffer.from(payload).toString('base64')
    }
    return o
  }
}
