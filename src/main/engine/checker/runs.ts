/**
 * The checker as the app runs it: each run belongs to an owner (a window, a preview page) and
 * reports through the engine's events — a `grade` event per student as each check ends, a
 * `grade-end` when the run is over. A run can be stopped; an owner that goes stops its runs.
 */
import type { CheckClientsReq, CheckRun, CheckServersReq, LabEvent } from '../../../shared/contract'
import type { Emit } from '../registry'
import { now } from '../clock'
import { gradeClients, gradeServer, MAX_AT_ONCE, pool, type ClientGrading } from './checker'

type GradeEv = Extract<LabEvent, { kind: 'grade' | 'grade-end' }>
type Body<E> = E extends unknown ? Omit<E, 'id' | 't'> : never

interface Run {
  owner: string
  stopped: boolean
  /** Ends the run: a client run's reference server closes; a server run grades no one more. */
  stop(): Promise<void>
}

export class CheckRuns {
  private readonly runs = new Map<string, Run>()
  private seq = 0

  constructor(private readonly emit: Emit) {}

  private say(owner: string, run: string, ev: Body<GradeEv>): void {
    this.emit(owner, { ...ev, id: run, t: now() } as LabEvent)
  }

  /** Grades each student's server, MAX_AT_ONCE at a time; answers at once with the run's id. */
  servers(owner: string, req: CheckServersReq): CheckRun {
    const run = `k${++this.seq}`
    const state: Run = { owner, stopped: false, stop: async () => void (state.stopped = true) }
    this.runs.set(run, state)
    void pool(req.students, MAX_AT_ONCE, async (s) => {
      if (state.stopped) return
      const who = { key: s.key, name: s.name, host: s.host, port: s.port }
      this.say(owner, run, { kind: 'grade', ...who, results: [], done: false })
      const results = await gradeServer(req.exercise, s, {
        lists: req.lists,
        progress: (sofar) => this.say(owner, run, { kind: 'grade', ...who, results: sofar, done: false }),
      })
      this.say(owner, run, { kind: 'grade', ...who, results, done: true })
    }).finally(() => {
      this.runs.delete(run)
      this.say(owner, run, { kind: 'grade-end' })
    })
    return { run }
  }

  /** Plays the reference server until stopped, grading each client that connects. */
  async clients(owner: string, req: CheckClientsReq): Promise<CheckRun> {
    const run = `k${++this.seq}`
    const key = (host: string, from: number): string => `${host}:${from}`
    const g: ClientGrading = await gradeClients(
      req.exercise,
      {
        host: req.host,
        port: req.port,
        started: (s, from) =>
          this.say(owner, run, {
            kind: 'grade',
            key: key(s.host, from),
            name: s.name,
            host: s.host,
            results: [],
            done: false,
          }),
      },
      (r, from) =>
        this.say(owner, run, {
          kind: 'grade',
          key: key(r.host, from),
          name: r.name,
          host: r.host,
          results: r.results,
          done: true,
        }),
    )
    const state: Run = { owner, stopped: false, stop: () => g.close() }
    this.runs.set(run, state)
    void g.done.finally(() => {
      this.runs.delete(run)
      this.say(owner, run, { kind: 'grade-end' })
    })
    return { run, port: g.port }
  }

  /** Stops one of the owner's runs (a run already over is no error). */
  async stop(owner: string, run: string): Promise<void> {
    const r = this.runs.get(run)
    if (!r || r.owner !== owner) return
    r.stopped = true
    await r.stop()
  }

  /** Stops every run of one owner, or of all. */
  async stopAll(owner?: string): Promise<void> {
    await Promise.all([...this.runs.values()].filter((r) => !owner || r.owner === owner).map((r) => r.stop()))
  }
}
