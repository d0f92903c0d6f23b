/** The raw sink's reader (`bulk`): 1 MiB reads into a buffer of its own, every byte, in order. */
import { createHash, randomBytes } from 'node:crypto'
import net from 'node:net'
import { describe, expect, it } from 'vitest'
import { SocketEngine } from '../../../../src/main/engine/engine'
import type { LabEvent } from '../../../../src/shared/contract'
import { listenDefaults } from '../../../support/engine-harness'
import { until } from '../../../support/until'

describe('a bulk plain server', () => {
  it('receives a large transfer byte-exact in reads up to 1 MiB, sees the FIN, and closes with nothing left', async () => {
    const hash = createHash('sha256')
    let bytes = 0
    let biggest = 0
    const events: LabEvent[] = []
    const engine = new SocketEngine((_o, ev, payload) => {
      events.push(ev)
      if (ev.kind === 'data' && payload) {
        hash.update(payload) // the view is read while the event is handled, as the printer does
        bytes += payload.length
        biggest = Math.max(biggest, payload.length)
      }
    })
    const s = await engine.tcp.listen('o', { host: '127.0.0.1', port: 0, ...listenDefaults, bulk: true })
    const data = randomBytes(24 * 1024 * 1024)
    const c = net.connect(s.local!.port, '127.0.0.1')
    await new Promise((r) => c.once('connect', r))
    c.end(data)
    await until(() => events.some((e) => e.kind === 'end'), 15_000)
    expect(bytes).toBe(data.length)
    expect(hash.digest('hex')).toBe(createHash('sha256').update(data).digest('hex'))
    expect(biggest).toBeGreaterThan(64 * 1024) // more than Node's own read size at least once
    expect(biggest).toBeLessThanOrEqual(1024 * 1024)
    await engine.closeAll()
    expect(engine.size).toBe(0)
    c.destroy()
  })
})
