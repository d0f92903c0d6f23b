/**
 * The engine as the app runs it, for the benches: every event goes through the batcher, and
 * every batch is serialized as the preview bridge does for the page. `onEvent` sees each event
 * first (to count reads); `batches` counts the events that reached the page.
 */
import { EventRouter } from '../src/main/engine/batcher'
import { SocketEngine } from '../src/main/engine/engine'
import type { LabEvent } from '../src/shared/contract'

export const OWNER = 'bench'

export interface BenchEngine {
  engine: SocketEngine
  /** Events delivered to the page so far (listed, not counting those folded into overflow). */
  delivered(): number
  close(): Promise<void>
}

export function benchEngine(onEvent?: (ev: LabEvent) => void): BenchEngine {
  let delivered = 0
  const router = new EventRouter()
  router.attach(OWNER, (batch) => {
    delivered += batch.length
    void JSON.stringify(batch).length
  })
  const engine = new SocketEngine((owner, ev, payload) => {
    onEvent?.(ev)
    router.push(owner, ev, payload)
  })
  return {
    engine,
    delivered: () => delivered,
    close: async () => {
      router.dispose()
      await engine.closeAll()
    },
  }
}

export const TCP_SERVER = { host: '127.0.0.1', port: 0, backlog: 511, reply: 'none', encoding: 'utf-8' } as const
