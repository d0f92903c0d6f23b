/** The listen-backlog demo: its serial server and whose accept queue it shows. */
import type { Encoding } from './common'

/** The serial server of the listen-backlog demo. */
export interface BacklogListenReq {
  host: string
  port: number
  /** listen(n), 0..128. */
  backlog?: number
  /** 'echo' answers each message; 'none' leaves the answers to the teacher. */
  reply?: 'echo' | 'none'
  /** Serve each client for this long, then hang up (0: until it leaves, says "bye" or the teacher hangs up). */
  serveMs?: number
  encoding?: Exclude<Encoding, 'hex'>
}

/** Whose accept queue the demo shows, and why (reason is a key the UI explains). */
export interface QueueMode {
  kind: 'kernel' | 'simulated'
  reason: string
  /** Completed connections the queue holds for this backlog (0 before a server exists). */
  slots: number
}
