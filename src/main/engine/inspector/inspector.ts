/**
 * The socket inspector: the operating system's own socket table, with the lab's sockets marked
 * (remembered for a while after they close, as the OS keeps them in TIME_WAIT).
 */
import type { OsSocket, SocketTable } from '../../../shared/contract'
import type { SocketRegistry } from '../registry'
import { LabTuples } from './lab-tuples'
import { readOsSockets } from './os-sockets'

export class Inspector {
  private readonly tuples = new LabTuples()
  /** A translated Windows' state words, learned from the lab's own open connections. */
  private readonly learned = new Map<string, string>()

  constructor(private readonly reg: SocketRegistry) {
    reg.onFinish((entry) => this.tuples.note(entry, true))
  }

  /** The OS socket table, the owner's lab sockets marked (and only those unless `all`). */
  async osSockets(owner: string, all: boolean): Promise<SocketTable> {
    const cpu0 = process.cpuUsage()
    for (const e of this.reg.all()) if (e.owner === owner) this.tuples.note(e)
    const table = await readOsSockets(process.platform, all ? undefined : this.tuples.ports(owner), this.learned)
    const marked = this.learn(this.tuples.mark(owner, table.rows))
    const rows = all ? marked : marked.filter((r) => r.lab ?? r.peerOf)
    // The cost that sets the polling rate: this process's CPU time (the kernel's work of
    // printing /proc counts as ours), or the wall time where that is larger.
    const cpu = process.cpuUsage(cpu0)
    return { ...table, rows, costMs: Math.max(table.costMs, (cpu.user + cpu.system) / 1000) }
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
