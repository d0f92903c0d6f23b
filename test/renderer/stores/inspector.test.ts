import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { OsSocket } from '../../../src/shared/contract'
import { setApi } from '../../../src/renderer/src/api'
import { LINGER_MS, useInspectorStore } from '../../../src/renderer/src/stores/inspector'
import { useLabStore } from '../../../src/renderer/src/stores/lab'
import { createFakeApi, manualFrames } from '../../support/fake-api'

let fake: ReturnType<typeof createFakeApi>
beforeEach(() => {
  vi.useFakeTimers()
  fake = createFakeApi()
  setApi(fake.api)
  setActivePinia(createPinia())
})
afterEach(() => vi.useRealTimers())

const row = (lab: string, state: string): OsSocket => ({
  proto: 'tcp',
  family: 'IPv4',
  local: { address: '127.0.0.1', port: 1 },
  remote: { address: '127.0.0.1', port: 2 },
  state,
  sendQ: 0,
  recvQ: 0,
  lab,
})
const table = (rows: OsSocket[], costMs = 0.2) => ({
  ok: true as const,
  data: { source: '/proc/net' as const, rows, costMs },
})

/** The lab's store started and the inspector's following it, out of sight; its readings counted. */
function following() {
  const lab = useLabStore()
  const frames = manualFrames()
  lab.start(frames.scheduler)
  useInspectorStore().follow()
  return { lab, frames, polls: () => fake.calls.filter((c) => c.method === 'osSockets').length }
}

describe('inspector store', () => {
  it('records each state change once, and CLOSED when a row is gone', async () => {
    const s = useInspectorStore()
    for (const rows of [[row('c1', 'ESTABLISHED')], [row('c1', 'ESTABLISHED')], [row('c1', 'FIN_WAIT2')], []]) {
      fake.answerNext('osSockets', table(rows))
      await s.poll()
    }
    expect(s.history.get('c1')!.map((x) => x.state)).toEqual(['ESTABLISHED', 'FIN_WAIT2', 'CLOSED'])
  })

  it('the refresh button asks the engine for a fresh reading, once; the readings after it are the usual ones', async () => {
    const s = useInspectorStore()
    s.refresh()
    await vi.advanceTimersByTimeAsync(0)
    await s.poll()
    const asked = fake.calls.filter((c) => c.method === 'osSockets').map((c) => c.req)
    expect(asked).toEqual([{ all: false, fresh: true }, { all: false }])
  })

  it('polls at 500x what a reading cost (0.5 s to 10 s), only while started', async () => {
    const s = useInspectorStore()
    fake.answerNext('osSockets', table([], 2.4))
    s.start()
    await vi.advanceTimersByTimeAsync(0)
    expect(s.intervalMs).toBe(1200)
    const polls = () => fake.calls.filter((c) => c.method === 'osSockets').length
    await vi.advanceTimersByTimeAsync(1200)
    expect(polls()).toBe(2)
    s.stop()
    await vi.advanceTimersByTimeAsync(10_000)
    expect(polls()).toBe(2)
  })

  it('out of sight, reads whenever the lab has a TCP socket, and for TIME_WAIT’s length after the last one closed', async () => {
    const { lab, frames, polls } = following()
    await vi.advanceTimersByTimeAsync(5000)
    expect(polls()).toBe(0) // nothing of TCP in the lab: no reading
    const r = await lab.connect({ host: '127.0.0.1', port: 9 })
    expect(r.ok).toBe(true)
    await vi.advanceTimersByTimeAsync(0)
    expect(polls()).toBe(1) // a TCP socket opened: read at once, the inspector hidden
    await vi.advanceTimersByTimeAsync(10_000)
    expect(polls()).toBeGreaterThan(5) // the heartbeat goes on
    await vi.advanceTimersByTimeAsync(LINGER_MS + 10_000)
    const open = polls()
    await vi.advanceTimersByTimeAsync(5000)
    expect(polls()).toBeGreaterThan(open) // as long as the socket is open
    const id = (r as { data: { id: string } }).data.id
    fake.emit([{ kind: 'close', id, t: 1, hadError: false }])
    frames.run()
    await vi.advanceTimersByTimeAsync(LINGER_MS + 11_000)
    const after = polls()
    await vi.advanceTimersByTimeAsync(30_000)
    expect(polls()).toBe(after) // TIME_WAIT's length past the last close: readings stop
  })

  it('out of sight, a change within a second of the last reading is read a second after it, not at the next heartbeat', async () => {
    const { lab, frames, polls } = following()
    fake.answerNext('osSockets', table([], 10)) // a costly reading: the heartbeat is 2 s
    const r = await lab.connect({ host: '127.0.0.1', port: 9 })
    await vi.advanceTimersByTimeAsync(0)
    expect(polls()).toBe(1)
    fake.answerNext('osSockets', table([], 10))
    await vi.advanceTimersByTimeAsync(300)
    const id = (r as { data: { id: string } }).data.id
    fake.emit([
      {
        kind: 'connect',
        id,
        t: 1,
        local: { address: '127.0.0.1', port: 5, family: 'IPv4' },
        remote: { address: '127.0.0.1', port: 9, family: 'IPv4' },
      },
    ])
    frames.run()
    await vi.advanceTimersByTimeAsync(650)
    expect(polls()).toBe(1) // at most one a second
    await vi.advanceTimersByTimeAsync(100)
    expect(polls()).toBe(2) // a second after the last: the connect is read, not 2 s later
  })

  it('out of sight, a change that comes while a reading is on its way is read a second after that reading began', async () => {
    const { lab, frames, polls } = following()
    // the first reading's answer is held back: the connect comes while it is on its way
    const answer: ((v: ReturnType<typeof table>) => void)[] = []
    const osSockets = fake.api.osSockets
    fake.api.osSockets = (req) => {
      fake.calls.push({ method: 'osSockets', req })
      return new Promise((r) => answer.push(r))
    }
    const r = await lab.connect({ host: '127.0.0.1', port: 9 })
    await vi.advanceTimersByTimeAsync(0)
    expect(polls()).toBe(1)
    const id = (r as { data: { id: string } }).data.id
    const ep = (port: number) => ({ address: '127.0.0.1', port, family: 'IPv4' as const })
    fake.emit([{ kind: 'connect', id, t: 1, local: ep(5), remote: ep(9) }])
    frames.run()
    await vi.advanceTimersByTimeAsync(200)
    fake.api.osSockets = osSockets
    answer[0]!(table([], 10)) // a costly reading (the heartbeat is seconds away), asked before the connect
    await vi.advanceTimersByTimeAsync(790)
    expect(polls()).toBe(1) // at most one a second
    await vi.advanceTimersByTimeAsync(20)
    expect(polls()).toBe(2) // the connect is read, not at the heartbeat
  })

  it('shows an error and keeps the last table', async () => {
    const s = useInspectorStore()
    fake.answerNext('osSockets', table([row('s1', 'LISTEN')]))
    await s.poll()
    fake.answerNext('osSockets', { ok: false, code: 'EBRIDGE', message: 'down' })
    await s.poll()
    expect(s.error?.code).toBe('EBRIDGE')
    expect(s.table?.rows).toHaveLength(1)
  })
})

describe('inspector store: after an action, and after a close', () => {
  beforeEach(() => {
    vi.useFakeTimers()
    fake = createFakeApi()
    setApi(fake.api)
    setActivePinia(createPinia())
  })

  it('keeps a lab row that left the table, as CLOSED, with when it left; forgets it when it is back', async () => {
    const s = useInspectorStore()
    fake.answerNext('osSockets', table([row('c1', 'TIME_WAIT'), row('s1', 'LISTEN')]))
    await s.poll()
    fake.answerNext('osSockets', table([row('s1', 'LISTEN')]))
    await s.poll()
    expect(s.gone.get('c1')?.row.state).toBe('CLOSED')
    expect(s.gone.has('s1')).toBe(false)
    fake.answerNext('osSockets', table([row('c1', 'ESTABLISHED'), row('s1', 'LISTEN')]))
    await s.poll()
    expect(s.gone.has('c1')).toBe(false)
  })

  it('reads every 150 ms for 3 s after quicken(), then at the slow rate again; one chain of reads', async () => {
    const s = useInspectorStore()
    const polls = () => fake.calls.filter((c) => c.method === 'osSockets').length
    s.start()
    // quicken() while the first reading is still under way: still one chain of readings after it
    s.quicken()
    s.quicken()
    await vi.advanceTimersByTimeAsync(0)
    const at = polls()
    await vi.advanceTimersByTimeAsync(3000)
    expect(polls() - at).toBeGreaterThanOrEqual(18)
    expect(polls() - at).toBeLessThanOrEqual(21)
    const after = polls()
    await vi.advanceTimersByTimeAsync(1000)
    expect(polls() - after).toBeLessThanOrEqual(3)
    s.stop()
  })
})
