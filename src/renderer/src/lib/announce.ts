/**
 * What a screen reader is told of the lab's events, throttled: a few lifecycle events (a server
 * listening, a connection, a close, an error) are read one by one; a flood becomes one summary
 * every few seconds with counts, never a wall of speech. Data reads and sends are only counted.
 */
import type { SocketEvent } from '../../../shared/contract'

/** The lifecycle events said one by one (data and sends are counted). */
export const SAID = ['listening', 'connection', 'connect', 'end', 'close', 'error'] as const
export type SaidKind = (typeof SAID)[number]
const SAID_KINDS = new Set<string>(SAID)
/** Who an event is about: a socket's view (its name on screen, else its id). */
export interface Named {
  name?: string
  info: { id: string }
}
export interface Said {
  kind: SaidKind
  name: string
  addr?: string
  code?: string
}
/** Turns what accumulated into one sentence (in the UI's language). */
export interface Phrases {
  one(s: Said): string
  summary(counts: Partial<Record<SaidKind, number>>, reads: number, sends: number): string
}

/** At most this many lifecycle events are read one by one; more become the summary. */
export const ONE_BY_ONE = 3
/** The least time between two announcements. */
export const ANNOUNCE_MS = 2500

export class Announcer {
  private said: Said[] = []
  private reads = 0
  private sends = 0
  private lastAt = -Infinity

  constructor(private readonly phrases: Phrases) {}

  /** One applied event of `who`'s socket. Called for every event, 100,000 a second in a flood:
   * a read or a send is one increment, and the name is looked up only for what is said. */
  note(ev: SocketEvent, who: Named): void {
    if (ev.kind === 'data') this.reads++
    else if (ev.kind === 'sent') this.sends++
    else if (SAID_KINDS.has(ev.kind)) {
      const s: Said = { kind: ev.kind as SaidKind, name: who.name ?? who.info.id }
      if (ev.kind === 'listening') s.addr = `${ev.local.address}:${ev.local.port}`
      if (ev.kind === 'connect') s.addr = `${ev.remote.address}:${ev.remote.port}`
      if (ev.kind === 'connection') s.addr = `${ev.remote.address}:${ev.remote.port}`
      if (ev.kind === 'error') s.code = ev.code
      this.said.push(s)
    }
  }

  get pending(): boolean {
    return this.said.length > 0 || this.reads > 0 || this.sends > 0
  }

  /** The sentence to read now, or undefined (nothing new, or too soon after the last one). */
  take(now: number): string | undefined {
    if (!this.pending || now - this.lastAt < ANNOUNCE_MS) return undefined
    let text: string
    if (this.said.length <= ONE_BY_ONE && this.reads + this.sends <= ONE_BY_ONE) {
      const parts = this.said.map((s) => this.phrases.one(s))
      if (this.reads || this.sends) parts.push(this.phrases.summary({}, this.reads, this.sends))
      text = parts.join('. ')
    } else {
      const counts: Partial<Record<SaidKind, number>> = {}
      for (const s of this.said) counts[s.kind] = (counts[s.kind] ?? 0) + 1
      text = this.phrases.summary(counts, this.reads, this.sends)
    }
    this.said = []
    this.reads = 0
    this.sends = 0
    this.lastAt = now
    return text
  }
}
