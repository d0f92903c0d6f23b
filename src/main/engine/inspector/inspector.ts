/**
 * The socket inspector: the operating system's own socket table, with the lab's sockets marked
 * (remembered for a while after they close, as the OS keeps them in TIME_WAIT). The table is read
 * again only when it can have changed for what is shown: one of the owner's sockets had an event,
 * a row shown was in a state the kernel leaves by itself (a handshake, a close, TIME_WAIT), the
 * backlog demo's queue is up (clients wait in it with no event), or the heartbeat came.
 */
import { INSPECTOR_HEARTBEAT_MS, type OsSocket, type SocketTable } from '../../../shared/contract'
import { now } from '../clock'
import type { SocketRegistry } from '../registry'
import { LabTuples } from './lab-tuples'
import { readOsSockets } from './os-sockets'

/** States a socket leaves without the program doing anything (UNKNOWN: a word no table knew). */
const PASSING = new Set(['SYN_SENT', 'SYN_RECV', 'FIN_WAIT1', 'FIN_WAIT2', 'CLOSING', 'LAST_ACK', 'TIME_WAIT', 'CLOSE'])
const passing = (r: OsSocket): boolean => PASSING.has(r.state) || r.state === 'UNKNOWN'

interface Reading {
  /** The OS's rows as read (the owner's ports), before they were marked; what the reading cost. */
  table: SocketTable
  /** When it was read (the events' clock), and the owner's event count then. */
  at: number
  events: number
  /** A lab row in it was passing from one state to another. */
  moving: boolean
}

export class Inspector {
  private readonly tuples = new LabTuples()
  /** A translated Windows' state words, learned from the lab's own open connections. */
  private readonly learned = new Map<string, string>()
  /** Each owner's last reading of its lab rows. */
  private readonly last = new Map<string, Reading>()

  constructor(
    private readonly reg: SocketRegistry,
    private readonly clock: () => number = now,
  ) {
    reg.onFinish((entry) => this.tuples.note(entry, true))
  }

  /** The OS socket table, the owner's lab sockets marked (and only those unless `all`); read
   * again now if `fresh`, or if it can have changed since the owner's last reading. */
  async osSockets(owner: string, all: boolean, fresh = false): Promise<SocketTable> {
    const before = all || fresh ? undefined : this.last.get(owner)
    const events = this.reg.eventsOf(owner)
    if (before && !this.mayHaveChanged(owner, before, events))
      return { ...this.shown(owner, before.table, false), unchangedSince: before.at }
    const cpu0 = process.cpuUsage()
    const at = this.clock()
    for (const e of this.reg.all()) if (e.owner === owner) this.tuples.note(e)
    const read = await readOsSockets(process.platform, all ? undefined : this.tuples.ports(owner), this.learned)
    // The cost that sets the polling rate: this process's CPU time (the kernel's work of
    // printing /proc counts as ours), or the wall time where that is larger.
    const cpu = process.cpuUsage(cpu0)
    const table = { ...read, costMs: Math.max(read.costMs, (cpu.user + cpu.system) / 1000) }
    const out = this.shown(owner, table, all)
    if (!all) this.last.set(owner, { table, at, events, moving: out.rows.some(passing) })
    return out
  }

  /** The table with the owner's lab rows marked, and (unless `all`) only those. */
  private shown(owner: string, table: SocketTable, all: boolean): SocketTable {
    const marked = this.learn(this.tuples.mark(owner, table.rows))
    return { ...table, rows: all ? marked : marked.filter((r) => r.lab ?? r.peerOf) }
  }

  /** Whether the owner's rows can differ from `before`'s: see the file's comment. */
  private mayHaveChanged(owner: string, before: Reading, events: number): boolean {
    if (events !== before.events || before.moving || this.clock() - before.at >= INSPECTOR_HEARTBEAT_MS) return true
    for (const e of this.reg.all()) if (e.owner === owner && 'acceptor' in e.handle) return true
    return false
  }

  /** An owner gone (its window closed): its last reading with it. */
  forget(owner: string): void {
    this.last.delete(owner)
  }

  /**
   * A state word no table knew (a Windows in a language not covered), on a row of a lab
   * connection the engine knows is open: that word means ESTABLISHED on this machine, here and
   * in every later reading.
   */
  learn(rows: OsSocket[]): OsSocket[] {
    for (const r of rows) {
      if (r.state !== 'UNKNOWN' || !r.word || !r.lab) continue
      if (this.reg.get(r.lab)?.info.state !== 'open') continue
      this.learned.set(r.word, 'ESTABLISHED')
    }
    if (!this.learned.size) return rows
    return rows.map((r) => {
      const known = r.state === 'UNKNOWN' && r.word ? this.learned.get(r.word) : undefined
      if (!known) return r
      const copy = { ...r, state: known }
      delete copy.word
      return copy
    })
  }
}
