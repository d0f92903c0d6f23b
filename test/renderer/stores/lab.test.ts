import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { computed } from 'vue'
import { LIMITS, type LabEvent } from '../../../src/shared/contract'
import { setLocale } from '../../../src/renderer/src/i18n'
import { setApi } from '../../../src/renderer/src/api'
import { useLogStore } from '../../../src/renderer/src/stores/log'
import {
  BUSY_EVENTS,
  BUSY_INTERVAL_MS,
  CROWD,
  CHUNKS_PER_SOCKET,
  FLUSH_BUDGET_MS,
  MAX_WAITING_EVENTS,
  useLabStore,
} from '../../../src/renderer/src/stores/lab'
import { createFakeApi, manualFrames } from '../../support/fake-api'

let fake: ReturnType<typeof createFakeApi>
let frames: ReturnType<typeof manualFrames>
beforeEach(() => {
  fake = createFakeApi()
  frames = manualFrames()
  setApi(fake.api)
  setActivePinia(createPinia())
})

const dial = (i: number): LabEvent => ({ kind: 'connecting', id: `c${i}`, t: 1, host: 'h', port: 1, timeoutMs: 1 })
const data = (id: string, bytes: number, preview = ''): LabEvent => ({
  kind: 'data',
  id,
  t: 1,
  bytes,
  preview,
  truncated: false,
})

describe('lab store', () => {
  it('applies pushed batches at most once per frame', () => {
    const store = useLabStore()
    store.start(frames.scheduler)
    fake.emit([data('c1', 10)])
    fake.emit([data('c1', 20)])
    expect(frames.pending()).toBe(1)
    expect(useLogStore().totalEvents).toBe(0)
    frames.run()
    expect(useLogStore().totalEvents).toBe(2)
    expect(store.sockets.get('c1')!.info.bytesIn).toBe(30)
  })

  it('keeps exact counters even when the batcher folded reads into an overflow', () => {
    const store = useLabStore()
    store.start(frames.scheduler)
    fake.emit([data('a1', 100), { kind: 'overflow', of: 'data', id: 'a1', t: 2, reads: 999, bytes: 99_900 }])
    frames.run()
    const v = store.sockets.get('a1')!
    expect(v.info.bytesIn).toBe(100_000)
    expect(v.reads).toBe(1000)
  })

  it('interleaves lifecycle marks with reads and sends, and follows the latest step and name', () => {
    const store = useLabStore()
    store.start(frames.scheduler)
    const ep = { address: '127.0.0.1', port: 1, family: 'IPv4' as const }
    fake.emit([
      { kind: 'connect', id: 'c1', t: 1, local: ep, remote: ep },
      data('c1', 3),
      { kind: 'shutdown', id: 'c1', t: 3 },
      { kind: 'name', id: 'c1', t: 4, name: 'Ann' },
      { kind: 'error', id: 'c1', t: 5, code: 'ECONNRESET', message: 'read ECONNRESET' },
      { kind: 'close', id: 'c1', t: 6, hadError: true },
    ])
    frames.run()
    const v = store.sockets.get('c1')!
    expect(v.chunks.map((c) => c.mark ?? c.dir)).toEqual(['connect', 'in', 'shutdown', 'name', 'error', 'close'])
    expect(v.chunks.find((c) => c.mark === 'error')!.note).toBe('ECONNRESET')
    expect(v.info.name).toBe('Ann')
    expect(v.last).toEqual({ kind: 'close', t: 6 })
  })

  it('bounds the log and the chunks kept per socket', () => {
    const store = useLabStore()
    store.start(frames.scheduler)
    useLogStore().setLogCapacity(100)
    fake.emit(Array.from({ length: 1000 }, () => data('c1', 1, 'QQ==')))
    frames.run()
    expect(useLogStore().logLength).toBe(100)
    expect(useLogStore().rows).toHaveLength(100)
    expect(useLogStore().totalEvents).toBe(1000)
    expect(store.sockets.get('c1')!.chunks).toHaveLength(CHUNKS_PER_SOCKET)
    expect(store.sockets.get('c1')!.info.bytesIn).toBe(1000)
  })

  it('ignores events of a dismissed socket', async () => {
    const store = useLabStore()
    store.start(frames.scheduler)
    fake.emit([data('c7', 5)])
    frames.run()
    await store.dismiss('c7')
    expect(fake.calls.at(-1)).toEqual({ method: 'socketClose', req: { id: 'c7' } })
    fake.emit([data('c7', 5)])
    frames.run()
    expect(store.sockets.has('c7')).toBe(false)
  })

  it('tags sockets by panel; accepted connections inherit their server tag', async () => {
    const store = useLabStore()
    store.start(frames.scheduler)
    const r = await store.listen({ host: '127.0.0.1', port: 8001 }, 'chat')
    const sid = r.ok ? r.data.id : ''
    const tuple = { address: '127.0.0.1', port: 8001, family: 'IPv4' as const }
    fake.emit([{ kind: 'connection', id: sid, t: 1, conn: 'a9', local: tuple, remote: { ...tuple, port: 50000 } }])
    frames.run()
    expect(store.byTag('chat').map((v) => v.info.id)).toEqual([sid, 'a9'])
    expect(store.sockets.get('a9')!.info.parent).toBe(sid)
  })

  it('names are per tab: where two tabs’ sockets share one (S1, U1), each carries its tab', async () => {
    setLocale('zh-CN')
    const store = useLabStore()
    store.start(frames.scheduler)
    const a = await store.listen({ host: '127.0.0.1', port: 8001 }, 'chat')
    const u = await store.udpBind({ host: '127.0.0.1', port: 9001 }, 'udp')
    store.byTag('chat')
    store.byTag('udp')
    const chatS1 = a.ok ? a.data.id : ''
    // only one S1 and one U1 so far: the plain names
    expect(store.displayName(chatS1)).toBe('S1')
    expect(store.displayName(u.ok ? u.data.id : '')).toBe('U1')
    const b = await store.listen({ host: '127.0.0.1', port: 8002 }, 'backlog')
    store.byTag('backlog')
    expect(store.displayName(chatS1)).toBe('聊天 S1')
    expect(store.displayName(b.ok ? b.data.id : '')).toBe('队列 S1')
    setLocale('en')
    expect(store.displayName(chatS1)).toBe('Chat S1')
  })

  it('a socket whose first event came before its creation’s answer still gets its tab where names are shared', async () => {
    const store = useLabStore()
    store.start(frames.scheduler)
    const a = await store.listen({ host: '127.0.0.1', port: 8001 }, 'chat')
    const chatS1 = a.ok ? a.data.id : ''
    const local = { address: '127.0.0.1', port: 8002, family: 'IPv4' as const }
    // the engine's event is applied, and the names read, before listen's answer comes back
    fake.emit([{ kind: 'listening', id: 's77', t: 2, transport: 'tcp', local, backlog: 5, mode: 'plain' }])
    frames.run()
    const shown = computed(() => store.displayName(chatS1))
    expect(shown.value).toBe('S1')
    fake.answerNext('backlogListen', {
      ok: true,
      data: { id: 's77', kind: 'tcp-server', state: 'listening', bytesIn: 0, bytesOut: 0, local },
    })
    await store.backlogListen({ host: '127.0.0.1', port: 8002, backlog: 2 }, 'backlog')
    expect(store.displayName('s77')).toBe('Queue S1')
    expect(shown.value).toBe('Chat S1')
  })

  it('tracks states: half-close, peer FIN, close', () => {
    const store = useLabStore()
    store.start(frames.scheduler)
    fake.emit([
      {
        kind: 'connect',
        id: 'c1',
        t: 1,
        local: { address: '127.0.0.1', port: 1, family: 'IPv4' },
        remote: { address: '127.0.0.1', port: 2, family: 'IPv4' },
      },
    ])
    frames.run()
    expect(store.sockets.get('c1')!.info.state).toBe('open')
    fake.emit([{ kind: 'shutdown', id: 'c1', t: 2 }])
    frames.run()
    expect(store.sockets.get('c1')!.info.state).toBe('half-closed')
    fake.emit([
      { kind: 'end', id: 'c1', t: 3 },
      { kind: 'close', id: 'c1', t: 4, hadError: false },
    ])
    frames.run()
    expect(store.sockets.get('c1')!.info.state).toBe('closed')
  })

  it('filters the log by socket and kind and exports JSON Lines', () => {
    const store = useLabStore()
    store.start(frames.scheduler)
    fake.emit([data('c1', 1), data('c2', 2), { kind: 'end', id: 'c1', t: 3 }])
    frames.run()
    useLogStore().filter.socket = 'c1'
    expect(useLogStore().rows.map((r) => r.ev.kind)).toEqual(['data', 'end'])
    useLogStore().filter.kinds.add('end')
    expect(useLogStore().rows).toHaveLength(1)
    const lines = useLogStore().exportJsonl().trim().split('\n')
    expect(lines.map((l) => JSON.parse(l))).toEqual([{ kind: 'end', id: 'c1', t: 3 }])
  })

  it('trims long previews in the log but not in the socket view', () => {
    const store = useLabStore()
    store.start(frames.scheduler)
    const preview = Buffer.alloc(4096, 65).toString('base64')
    fake.emit([data('c1', 4096, preview)])
    frames.run()
    const row = useLogStore().rows[0]!.ev as Extract<LabEvent, { kind: 'data' }>
    expect(Buffer.from(row.preview, 'base64').length).toBe(255)
    expect(row.truncated).toBe(true)
    expect(store.sockets.get('c1')!.chunks[0]!.preview).toBe(preview)
  })

  it('never lets the queue grow while no frame comes (hidden window)', async () => {
    const store = useLabStore()
    store.start(frames.scheduler)
    fake.emit([data('c1', 1)])
    await new Promise((r) => setTimeout(r, 300))
    expect(useLogStore().totalEvents).toBe(1)
  })

  it('bumps the version once per frame, however many calls answered in between', async () => {
    const store = useLabStore()
    store.start(frames.scheduler)
    const v0 = store.version
    for (let i = 0; i < 50; i++) await store.connect({ host: '127.0.0.1', port: 1 }, 'backlog')
    fake.emit([data('c1', 1)])
    expect(store.version).toBe(v0)
    frames.run()
    expect(store.version).toBe(v0 + 1)
    expect(store.rawByTag('backlog')).toHaveLength(50)
  })

  it('finds the newest matching log rows without copying the log', () => {
    const store = useLabStore()
    store.start(frames.scheduler)
    fake.emit(Array.from({ length: 500 }, (_, i) => data(i % 2 ? 'c1' : 'c2', i)))
    frames.run()
    const last = useLogStore().lastRows((r) => r.ev.id === 'c1', 3)
    expect(last.map((r) => (r.ev as { bytes: number }).bytes)).toEqual([495, 497, 499])
  })

  it('unsubscribes on stop', () => {
    const store = useLabStore()
    store.start(frames.scheduler)
    expect(fake.listenerCount()).toBe(1)
    store.stop()
    expect(fake.listenerCount()).toBe(0)
  })

  describe('a burst is spread over frames within the budget, and nothing is lost', () => {
    /** A clock that moves 1 ms each time it is read: a slow machine. */
    const slowFrames = () => {
      let t = 0
      return { ...frames, scheduler: { ...frames.scheduler, now: () => t++ } }
    }

    it('applies part of a burst per update, in order, until all is applied', () => {
      vi.useFakeTimers()
      try {
        const store = useLabStore()
        const f = slowFrames()
        store.start(f.scheduler)
        const burst = Array.from({ length: 2000 }, (_, i) => data('c1', i + 1))
        fake.emit(burst)
        f.run()
        const afterOne = useLogStore().totalEvents
        expect(afterOne).toBeGreaterThan(0)
        expect(afterOne).toBeLessThan(2000)
        expect(afterOne).toBeLessThanOrEqual(128 * (FLUSH_BUDGET_MS + 2)) // the clock is read every 128 events
        // A burst of reads is a flood: the rest waits for the busy interval, not the next frame.
        expect(f.pending()).toBe(0)
        let guard = 0
        while (useLogStore().totalEvents < 2000 && guard++ < 100) {
          vi.advanceTimersByTime(BUSY_INTERVAL_MS)
          f.run()
        }
        expect(useLogStore().totalEvents).toBe(2000)
        expect(store.sockets.get('c1')!.info.bytesIn).toBe((2000 * 2001) / 2)
        expect(store.sockets.get('c1')!.reads).toBe(2000)
        const bytes = useLogStore().rows.map((r) => (r.ev.kind === 'data' ? r.ev.bytes : 0))
        expect(bytes).toEqual(burst.map((e) => (e.kind === 'data' ? e.bytes : 0)))
      } finally {
        vi.useRealTimers()
      }
    })

    it('applies the rest of a burst that is not busy with the next frame', () => {
      const store = useLabStore()
      const f = slowFrames()
      store.start(f.scheduler)
      fake.emit(
        Array.from(
          { length: 2000 },
          (_, i) => ({ kind: 'lookup', id: 'c1', t: i, host: 'h', address: 'a' }) as LabEvent,
        ),
      )
      f.run()
      expect(useLogStore().totalEvents).toBeLessThan(2000)
      expect(f.pending()).toBe(1)
      let guard = 0
      while (f.pending() && guard++ < 100) f.run()
      expect(useLogStore().totalEvents).toBe(2000)
    })

    it('applies everything at once when too much is waiting, so the queue stays bounded', () => {
      const store = useLabStore()
      const f = slowFrames()
      store.start(f.scheduler)
      fake.emit(Array.from({ length: MAX_WAITING_EVENTS + 1 }, () => data('c1', 1)))
      f.run()
      expect(useLogStore().totalEvents).toBe(MAX_WAITING_EVENTS + 1)
      expect(f.pending()).toBe(0)
    })

    it('applies everything when stopped', () => {
      const store = useLabStore()
      const f = slowFrames()
      store.start(f.scheduler)
      fake.emit(Array.from({ length: 3000 }, () => data('c1', 1)))
      store.stop()
      expect(store.sockets.get('c1')!.info.bytesIn).toBe(3000)
    })
  })

  it("gives a panel the same socket list while only another panel's sockets change", async () => {
    const store = useLabStore()
    store.start(frames.scheduler)
    await store.listen({ host: '127.0.0.1', port: 0 }, 'chat')
    const chat = store.byTag('chat')
    expect(chat).toHaveLength(1)
    const r = await store.connectMany({ host: '127.0.0.1', port: 1, count: 50 }, 'backlog')
    expect(r.ok && r.data).toHaveLength(50)
    expect(store.byTag('backlog')).toHaveLength(50)
    expect(store.byTag('chat')).toBe(chat) // the very same array: the Chat panel does not re-render
    await store.listen({ host: '127.0.0.1', port: 0 }, 'chat')
    expect(store.byTag('chat')).not.toBe(chat)
    expect(store.byTag('chat')).toHaveLength(2)
  })

  it('shows reactive readers the fields of views made by a call, and later changes to them', async () => {
    const store = useLabStore()
    store.start(frames.scheduler)
    const states = computed(() => store.byTag('backlog').map((v) => `${v.info.kind}:${v.info.state}:${v.tag}`))
    expect(states.value).toEqual([])
    await store.connectMany({ host: '127.0.0.1', port: 1, count: 2 }, 'backlog')
    expect(states.value).toEqual(['tcp-client:connecting:backlog', 'tcp-client:connecting:backlog'])
    const id = store.byTag('backlog')[0]!.info.id
    fake.emit([
      {
        kind: 'connect',
        id,
        t: 1,
        local: { address: '127.0.0.1', family: 'IPv4', port: 5 },
        remote: { address: '127.0.0.1', family: 'IPv4', port: 1 },
      },
    ])
    frames.run()
    expect(states.value[0]).toBe('tcp-client:open:backlog')
  })

  it("bumps a view's rev on every change made to it, and only to it", () => {
    const store = useLabStore()
    store.start(frames.scheduler)
    fake.emit([data('c1', 1), data('c2', 1)])
    frames.run()
    const rev = (id: string) => store.sockets.get(id)!.rev
    const [r1, r2] = [rev('c1'), rev('c2')]
    fake.emit([data('c1', 5)])
    frames.run()
    expect(rev('c1')).toBeGreaterThan(r1)
    expect(rev('c2')).toBe(r2)
  })

  describe('busy updates (fake timers, a clock moved by hand)', () => {
    beforeEach(() => void vi.useFakeTimers())
    afterEach(() => void vi.useRealTimers())
    const clockedStore = () => {
      const clock = { t: 0 }
      const f = { ...frames, scheduler: { ...frames.scheduler, now: () => clock.t } }
      const store = useLabStore()
      store.start(f.scheduler)
      return { store, f, clock }
    }

    it('under a flood, updates the views every BUSY_INTERVAL_MS instead of every frame', () => {
      const { store, f, clock } = clockedStore()
      fake.emit(Array.from({ length: BUSY_EVENTS }, () => data('u1', 64)))
      f.run() // a flood's worth in one flush
      fake.emit([data('u1', 64)])
      expect(f.pending()).toBe(0) // no frame yet: the next update waits
      vi.advanceTimersByTime(BUSY_INTERVAL_MS - 1)
      expect(f.pending()).toBe(0)
      clock.t += BUSY_INTERVAL_MS
      vi.advanceTimersByTime(1)
      expect(f.pending()).toBe(1)
      f.run()
      expect(store.sockets.get('u1')!.info.bytesIn).toBe(64 * (BUSY_EVENTS + 1))
      // A trickle afterwards is shown with the next frame again.
      fake.emit([data('u1', 1)])
      expect(f.pending()).toBe(1)
      f.run()
      // A burst of lifecycle events (1,000 clients dialling) is not a flood: shown live.
      fake.emit(Array.from({ length: BUSY_EVENTS }, (_, i) => dial(i)))
      f.run()
      fake.emit([data('u1', 1)])
      expect(f.pending()).toBe(1)
      f.run()
      // A flood as the batcher ships it (its cap listed, the rest counted) is still a flood.
      fake.emit([
        ...Array.from({ length: LIMITS.listedPerBatch }, () => data('u1', 64)),
        { kind: 'overflow', id: 'u1', t: 1, of: 'data', reads: 1000, bytes: 64_000 },
      ])
      f.run()
      fake.emit([data('u1', 64)])
      expect(f.pending()).toBe(0)
    })

    it('in a crowd of CROWD sockets, changes that keep coming update the views every BUSY_INTERVAL_MS; the first after a quiet spell at once', () => {
      const { store, f, clock } = clockedStore()
      // One socket short of a crowd: every change is shown with the next frame.
      fake.emit(Array.from({ length: CROWD - 1 }, (_, i) => dial(i)))
      f.run()
      clock.t += 16
      fake.emit([data('c0', 1)])
      expect(f.pending()).toBe(1)
      f.run()
      // The crowd forms: the update that makes it is shown with the next frame...
      clock.t += 16
      fake.emit([dial(CROWD)])
      expect(f.pending()).toBe(1)
      f.run()
      const before = store.version
      clock.t += 16
      fake.emit([data('c1', 1)])
      expect(f.pending()).toBe(0) // ...and a change soon after it waits for BUSY_INTERVAL_MS
      vi.advanceTimersByTime(BUSY_INTERVAL_MS - 17)
      expect(f.pending()).toBe(0)
      clock.t += BUSY_INTERVAL_MS - 16
      vi.advanceTimersByTime(1)
      expect(f.pending()).toBe(1)
      f.run()
      expect(store.version).toBe(before + 1)
      expect(store.sockets.get('c1')!.info.bytesIn).toBe(1)
      // An update that brings new connections (views made while applying) keeps the same wait.
      const ep = { address: '127.0.0.1', family: 'IPv4' as const, port: 1 }
      clock.t += 50
      fake.emit([{ kind: 'connection', id: 's1', t: 1, conn: 'a1', local: ep, remote: ep }])
      clock.t += BUSY_INTERVAL_MS - 50
      vi.advanceTimersByTime(BUSY_INTERVAL_MS - 50)
      f.run()
      expect(store.sockets.has('a1')).toBe(true)
      expect(f.pending()).toBe(0)
      fake.emit([data('c1', 1)])
      vi.advanceTimersByTime(BUSY_INTERVAL_MS - 1)
      expect(f.pending()).toBe(0)
      vi.advanceTimersByTime(1)
      expect(f.pending()).toBe(1)
      f.run()
      // After a quiet spell, the crowd's next change is shown with the next frame.
      clock.t += 2 * BUSY_INTERVAL_MS
      vi.advanceTimersByTime(2 * BUSY_INTERVAL_MS)
      f.run()
      fake.emit([data('c2', 1)])
      expect(f.pending()).toBe(1)
    })
  })
})

describe('names on screen', () => {
  it('numbers sockets per panel and kind, and names a connection after its lab client', async () => {
    const store = useLabStore()
    store.start(frames.scheduler)
    await store.listen({ host: '127.0.0.1', port: 0 }, 'chat')
    await store.connect({ host: '127.0.0.1', port: 1 }, 'chat')
    await store.connect({ host: '127.0.0.1', port: 1 }, 'chat')
    await store.udpBind({ host: '127.0.0.1', port: 0 }, 'udp')
    await store.listen({ host: '127.0.0.1', port: 0 }, 'backlog')
    const names = store.socketList.map((v) => `${v.tag}:${v.name}`)
    expect(names).toEqual(['chat:S1', 'chat:C1', 'chat:C2', 'udp:U1', 'backlog:S1'])
    const [server, , second] = store.socketList
    const ep = (port: number) => ({ address: '127.0.0.1', port, family: 'IPv4' as const })
    second!.info.local = ep(5002)
    fake.emit([{ kind: 'connection', id: server!.info.id, conn: 'a99', t: 2, local: ep(8001), remote: ep(5002) }])
    frames.run()
    expect(store.displayName('a99')).toBe('A1 ← C2')
    expect(store.displayName('gone7')).toBe('gone7')
  })
})
