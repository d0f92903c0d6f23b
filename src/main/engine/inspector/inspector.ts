/**
 * The socket inspector: the operating system's own socket table, with the lab's sockets marked
 * (remembered for a while after they close, as the OS keeps them in TIME_WAIT).
 */
import type { SocketTable } from '../../../shared/contract'
import type { SocketRegistry } from '../registry'
import { LabTuples } from './lab-tuples'
import { readOsSockets } from './os-sockets'

export class Inspector {
  private readonly tuples = new LabTuples()

  constructor(private readonly reg: SocketRegistry) {
    reg.onFinish((entry) => this.tuples.note(entry, true))
  }

  /** The OS socket table, the owner's lab sockets marked (and only those unless `all`). */
  async osSockets(owner: string, all: boolean): Promise<SocketTable> {
    const cpu0 = process.cpuUsage()
    for (const e of this.reg.all()) if (e.owner === owner) this.tuples.note(e)
    const table = await readOsSockets(process.platform, all ? undefined : this.tuples.ports(owner))
    const marked = this.tuples.mark(owner, table.rows)
    const rows = all ? marked : marked.filter((r) => r.lab ?? r.peerOf)
    // The cost that sets the polling rate: this process's CPU time (the kernel's work of
    // printing /proc counts as ours), or the wall time where that is larger.
    const cpu = process.cpuUsage(cpu0)
    return { ...table, rows, costMs: Math.max(table.costMs, (cpu.user + cpu.system) / 1000) }
  }
}
