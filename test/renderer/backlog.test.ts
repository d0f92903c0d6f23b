import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { h, KeepAlive, nextTick, ref, type Component } from 'vue'
import type { Endpoint, LabEvent } from '../../src/shared/contract'
import { setApi } from '../../src/renderer/src/api'
import ClientDots from '../../src/renderer/src/components/ClientDots.vue'
import QueueDiagram from '../../src/renderer/src/components/QueueDiagram.vue'
import { setLocale } from '../../src/renderer/src/i18n'
import { clientPhase, connFor, connIndex } from '../../src/renderer/src/lib/backlog'
import BacklogPanel from '../../src/renderer/src/panels/BacklogPanel.vue'
import { useLabStore, type SocketView } from '../../src/renderer/src/stores/lab'
import { createFakeApi, manualFrames } from '../support/fake-api'

let fake: ReturnType<typeof createFakeApi>
let frames: ReturnType<typeof manualFrames>
let pinia: ReturnType<typeof createPinia>
beforeEach(() => {
  setLocale('en')
  fake = createFakeApi()
  frames = manualFrames()
  setApi(fake.api)
  pinia = createPinia()
  setActivePinia(pinia)
})
afterEach(() => vi.restoreAllMocks())

const ep = (port: number): Endpoint => ({ address: '127.0.0.1', port, family: 'IPv4' })
const push = (evs: LabEvent[]) => {
  fake.emit(evs)
  frames.run()
}

describe('client phases', () => {
  it('follow the client from SYN to done, and name its failures', () => {
    const store = useLabStore()
    store.start(frames.scheduler)
    push([{ kind: 'connecting', id: 'c1', t: 1, host: '127.0.0.1', port: 8002, timeoutMs: 1000 }])
    const c = store.sockets.get('c1')!
    expect(clientPhase(c, undefined)).toBe('connecting')
    push([{ kind: 'connect', id: 'c1', t: 2, local: ep(5000), remote: ep(8002) }])
    expect(clientPhase(c, undefined)).toBe('waiting')
    push([{ kind: 'connection', id: 's1', t: 3, conn: 'a2', local: ep(8002), remote: ep(5000) }])
    const conn = connFor(c, connIndex([store.sockets.get('a2')!]))!
    expect(conn.info.id).toBe('a2')
    push([{ kind: 'serve', id: 's1', t: 3, conn: 'a2', phase: 'start' }])
    expect(clientPhase(c, conn)).toBe('serving')
    push([{ kind: 'serve', id: 's1', t: 9, conn: 'a2', phase: 'end', reason: 'timeout' }])
    expect(clientPhase(c, conn)).toBe('done')
    expect(conn.serveEnd).toBe('timeout')
    for (const [code, phase] of [
      ['ETIMEDOUT', 'timedOut'],
      ['ECONNREFUSED', 'refused'],
      ['ECONNRESET', 'reset'],
    ] as const) {
      const v = { ...c, info: { ...c.info, state: 'closed' as const }, error: { code, message: '' } } as SocketView
      expect(clientPhase(v, undefined)).toBe(phase)
    }
  })
})

describe('QueueDiagram', () => {
  it('draws the kernel figure, names app clients in the slots and counts external ones', async () => {
    const store = useLabStore()
    store.start(frames.scheduler)
    await store.backlogListen({ host: '127.0.0.1', port: 8002, backlog: 2 }, 'backlog')
    push([{ kind: 'queue', id: 's1', t: 1, mode: 'kernel', slots: 3, kernel: 0, app: null, overflows: 10 }])
    push([
      { kind: 'connect', id: 'c2', t: 2, local: ep(5001), remote: ep(8002) },
      { kind: 'queue', id: 's1', t: 3, mode: 'kernel', slots: 3, kernel: 3, app: null, overflows: 14 },
    ])
    const server = store.sockets.get('s1')!
    const w = mount(QueueDiagram, {
      global: { plugins: [pinia] },
      props: { server, waiting: [store.sockets.get('c2')!], platform: 'linux' },
    })
    expect(w.find('[data-testid="queue-count"]').text()).toBe('3')
    expect(w.findAll('[data-testid="queue-slot"]').map((s) => s.attributes('data-kind'))).toEqual([
      'app',
      'external',
      'external',
    ])
    expect(w.text()).toContain('kernel’s own figure')
    expect(w.find('[data-testid="dropped"]').text()).toContain('4')
    expect(w.find('[data-testid="dropped"]').text()).toContain('ListenOverflows')
    // macOS counts them in netstat -s under its own name
    await w.setProps({ platform: 'darwin' })
    expect(w.find('[data-testid="dropped"]').text()).toContain('listen queue overflows since start')
    expect(w.text()).toContain('netstat -Lan')
  })

  it('moves the queue along by removing the accepted client’s cell, keeping the cells behind it', async () => {
    const store = useLabStore()
    store.start(frames.scheduler)
    await store.backlogListen({ host: '127.0.0.1', port: 8002, backlog: 3 }, 'backlog')
    push([
      { kind: 'queue', id: 's1', t: 1, mode: 'simulated', slots: 4, kernel: null, app: 3, overflows: null },
      ...[1, 2, 3].map((i): LabEvent => ({
        kind: 'connect',
        id: `c${i}`,
        t: 2,
        local: ep(5000 + i),
        remote: ep(8002),
      })),
    ])
    const client = (i: number) => store.sockets.get(`c${i}`)!
    const server = store.sockets.get('s1')!
    const w = mount(QueueDiagram, {
      global: { plugins: [pinia] },
      props: { server, waiting: [1, 2, 3].map(client), platform: 'win32' },
    })
    const cells = () => w.findAll('[data-testid="queue-slot"]')
    const before = cells().map((c) => c.element)
    expect(cells().map((c) => c.text())).toEqual(['c1 127.0.0.1:5001', 'c2 127.0.0.1:5002', 'c3 127.0.0.1:5003', ''])
    push([{ kind: 'queue', id: 's1', t: 3, mode: 'simulated', slots: 4, kernel: null, app: 2, overflows: null }])
    await w.setProps({ waiting: [2, 3].map(client) })
    expect(cells().map((c) => c.text())).toEqual(['c2 127.0.0.1:5002', 'c3 127.0.0.1:5003', '', ''])
    // c2's and c3's cells are the same elements, moved up: not relabelled.
    expect(cells()[0]!.element).toBe(before[1])
    expect(cells()[1]!.element).toBe(before[2])
    expect(cells().map((c) => c.element)).not.toContain(before[0])
  })
  it('draws a long queue on a canvas: each waiting client by id, external ones and free slots counted', async () => {
    const store = useLabStore()
    store.start(frames.scheduler)
    await store.backlogListen({ host: '127.0.0.1', port: 8002, backlog: 128 }, 'backlog')
    const queue = (kernel: number): LabEvent => ({
      kind: 'queue',
      id: 's1',
      t: 1,
      mode: 'kernel',
      slots: 129,
      kernel,
      app: null,
      overflows: 0,
    })
    push([
      queue(100),
      ...Array.from({ length: 40 }, (_, i): LabEvent => ({
        kind: 'connect',
        id: `c${i + 1}`,
        t: 2,
        local: ep(5001 + i),
        remote: ep(8002),
      })),
    ])
    const waiting = Array.from({ length: 40 }, (_, i) => store.sockets.get(`c${i + 1}`)!)
    const ctx = recordingContext()
    const w = mount(QueueDiagram, {
      global: { plugins: [pinia] },
      props: { server: store.sockets.get('s1')!, waiting, platform: 'linux' },
    })
    expect(w.find('[data-testid="queue-slot"]').exists()).toBe(false)
    const cells = w.find('[data-testid="queue-cells"]')
    expect([cells.attributes('data-app'), cells.attributes('data-external'), cells.attributes('data-empty')]).toEqual([
      '40',
      '60',
      '29',
    ])
    expect(cells.find('canvas').attributes('aria-label')).toBe('app client 40, external client 60, free 29')
    expect(ctx.texts()).toEqual(waiting.map((c) => c.info.id))
    expect(ctx.calls.filter((c) => c[0] === 'strokeRect')).toHaveLength(129)
    // The second cell is 60 px right of the first; the 4 px between them is no cell.
    const canvas = cells.find('canvas')
    await canvas.trigger('mousemove', { offsetX: 61, offsetY: 2 })
    expect(canvas.attributes('title')).toBe('c2 127.0.0.1:5002')
    await canvas.trigger('mousemove', { offsetX: 57, offsetY: 2 })
    expect(canvas.attributes('title')).toBe('')
    // c1 is accepted: the queue is drawn again with c2 at its head.
    ctx.calls.length = 0
    push([queue(99)])
    await w.setProps({ waiting: waiting.slice(1) })
    await new Promise((r) => requestAnimationFrame(r))
    expect(ctx.texts()[0]).toBe('c2')
    expect(ctx.texts()).toHaveLength(39)
  })
})

/** A 2D context for every canvas that records what is drawn (happy-dom has none). */
function recordingContext() {
  const calls: [string, ...unknown[]][] = []
  const ctx = new Proxy({} as Record<string, unknown>, {
    get: (target, key: string) =>
      key in target ? target[key] : (...args: unknown[]) => void calls.push([key, ...args]),
    set: (target, key: string, value) => ((target[key] = value), true),
  })
  vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue(ctx as unknown as CanvasRenderingContext2D)
  return { calls, texts: () => calls.filter((c) => c[0] === 'fillText').map((c) => c[1]) }
}

/** The panel mounted (alone, or within `root`), its server started from the form, and the
 * answer applied. */
async function startedPanel(root: Component = BacklogPanel) {
  const store = useLabStore()
  store.start(frames.scheduler)
  const w = mount(root, { global: { plugins: [pinia] } })
  await flushPromises()
  await w.find('form').trigger('submit')
  await flushPromises()
  frames.run()
  await nextTick()
  return { store, w }
}

describe('BacklogPanel', () => {
  it('states the queue mode and why, and starts the serial server with the form values', async () => {
    const w = mount(BacklogPanel, { global: { plugins: [pinia] } })
    await flushPromises()
    expect(w.find('[data-testid="queue-mode"]').text()).toContain('Kernel queue')
    await w.find('[data-testid="backlog-n"]').setValue(2)
    const auto = w.find('[data-testid="backlog-auto"]')
    ;(auto.element as HTMLSelectElement).selectedIndex = 1
    await auto.trigger('change')
    await nextTick()
    await w.find('[data-testid="backlog-serve-ms"]').setValue(500)
    await w.find('form').trigger('submit')
    await flushPromises()
    expect(fake.calls.find((c) => c.method === 'backlogListen')!.req).toMatchObject({
      backlog: 2,
      serveMs: 500,
      reply: 'echo',
    })
  })

  it('follows the queue figures and the clients as events arrive after it is shown', async () => {
    const { store, w } = await startedPanel()
    push([{ kind: 'queue', id: 's1', t: 1, mode: 'kernel', slots: 3, kernel: 0, app: null, overflows: 50 }])
    await nextTick()
    expect(w.find('[data-testid="queue-count"]').text()).toBe('0')
    expect(w.find('[data-testid="dropped"]').text()).toContain(': 0')
    const c = await store.connect({ host: '127.0.0.1', port: 8001 }, 'backlog')
    const cid = c.ok ? c.data.id : ''
    push([
      { kind: 'connecting', id: cid, t: 2, host: '127.0.0.1', port: 8001, timeoutMs: 1000 },
      { kind: 'connect', id: cid, t: 3, local: ep(5001), remote: ep(8001) },
      { kind: 'queue', id: 's1', t: 4, mode: 'kernel', slots: 3, kernel: 3, app: null, overflows: 52 },
    ])
    await nextTick()
    expect(w.find('[data-testid="queue-count"]').text()).toBe('3')
    expect(w.find('[data-testid="dropped"]').text()).toContain(': 2')
    expect(w.findAll('[data-testid="queue-slot"]').map((s) => s.attributes('data-kind'))).toEqual([
      'app',
      'external',
      'external',
    ])
    expect(w.find('[data-testid="backlog-client"]').attributes('data-phase')).toBe('waiting')
    // Its "connected" mark is a mark, not a send of 0 bytes.
    const rows = w.find('[data-testid="backlog-client"]').findAll('.chunks li')
    expect(rows.map((r) => r.attributes('data-mark'))).toEqual(['connect'])
    expect(rows[0]!.text()).toContain('three-way handshake')
    expect(rows[0]!.text()).not.toContain('send 0')
  })

  it('labels the simulated queue loudly', async () => {
    fake.answerNext('backlogMode', {
      ok: true,
      data: { kind: 'simulated', reason: 'windows', slots: 0, platform: 'win32' },
    })
    const w = mount(BacklogPanel, { global: { plugins: [pinia] } })
    await flushPromises()
    const banner = w.find('[data-testid="queue-mode"]')
    expect(banner.text()).toContain('SIMULATED')
    expect(banner.text()).toContain('Windows')
    expect(banner.classes()).toContain('simulated')
  })

  it('adds N clients with one call, and draws every client as a cell with counts per phase', async () => {
    const { w } = await startedPanel()
    await w.find('[data-testid="backlog-count"]').setValue(30)
    await w.find('[data-testid="backlog-add"]').trigger('submit')
    await flushPromises()
    const adds = fake.calls.filter((c) => c.method === 'tcpConnectMany' || c.method === 'tcpConnect')
    expect(adds).toHaveLength(1)
    expect(adds[0]!.req).toMatchObject({ count: 30, host: '127.0.0.1', greeting: 'hello' })
    frames.run()
    await nextTick()
    const dots = w.find('[data-testid="client-dots"]')
    expect(dots.attributes('data-connecting')).toBe('30')
    expect(dots.find('canvas').attributes('aria-label')).toContain('connecting (SYN sent) 30')
    // Full cards for 24 of them, mounted 6 a frame: the first frame is not made to carry all.
    expect(w.findAll('[data-testid="backlog-client"]')).toHaveLength(6)
    for (let i = 0; i < 3; i++) {
      expect(frames.pending()).toBe(1) // the panel asked for the next frame itself
      frames.run()
      await nextTick()
    }
    expect(w.findAll('[data-testid="backlog-client"]')).toHaveLength(24)
    expect(frames.pending()).toBe(0) // caught up: no frame asked for
  })

  it("draws the timeline from the log's end: the latest 40 steps of its own sockets, in order", async () => {
    const store = useLabStore()
    store.start(frames.scheduler)
    const w = mount(BacklogPanel, { global: { plugins: [pinia] } })
    await flushPromises()
    const r = await store.connectMany({ host: '127.0.0.1', port: 8002, count: 50 }, 'backlog')
    const ids = r.ok ? r.data.map((c) => c.id) : []
    push(
      ids.map(
        (id, i) => ({ kind: 'connecting', id, t: i, host: '127.0.0.1', port: 8002, timeoutMs: 1000 }) as LabEvent,
      ),
    )
    // Then a long stretch of another panel's reads: the timeline looks past them.
    push(
      Array.from(
        { length: 600 },
        (_, i) => ({ kind: 'data', id: 'u9', t: 100 + i, bytes: 1, preview: '', truncated: false }) as LabEvent,
      ),
    )
    await nextTick()
    const rows = w.findAll('[data-testid="backlog-timeline"] li')
    expect(rows).toHaveLength(40)
    // named per panel (C1...C50 for the engine's c-ids, in the order they were made)
    expect(rows[0]!.text()).toContain('C11 ')
    expect(rows[39]!.text()).toContain('C50 ')
  })

  it('does not follow the store while hidden under KeepAlive, and catches up when shown', async () => {
    const shown = ref(true)
    const other = { render: () => h('p', 'other') }
    const host = { setup: () => () => h(KeepAlive, null, [shown.value ? h(BacklogPanel) : h(other)]) }
    const { store, w } = await startedPanel(host)
    const panel = w.findComponent(BacklogPanel)
    shown.value = false
    await nextTick()
    const c = await store.connect({ host: '127.0.0.1', port: 8001 }, 'backlog')
    frames.run()
    await nextTick()
    // Hidden: the panel's view of its clients did not move.
    expect((panel.vm as unknown as { clients: unknown[] }).clients).toHaveLength(0)
    shown.value = true
    await nextTick()
    expect((panel.vm as unknown as { clients: unknown[] }).clients).toHaveLength(1)
    expect(c.ok).toBe(true)
  })
})

describe('ClientDots', () => {
  it('counts each phase, names a cell on hover and draws without a canvas context too', async () => {
    const w = mount(ClientDots, {
      global: { plugins: [pinia] },
      props: { ids: ['c1', 'c2', 'c3'], phases: ['done', 'waiting', 'done'] },
    })
    const root = w.find('[data-testid="client-dots"]')
    expect(root.attributes('data-done')).toBe('2')
    expect(root.attributes('data-waiting')).toBe('1')
    expect(root.attributes('data-connecting')).toBe('0')
    expect(w.find('[data-testid="dots-done"]').text()).toContain('done 2')
    expect(w.find('[data-testid="dots-connecting"]').exists()).toBe(false)
    // The second cell: 12 px to the right of the first.
    await w.find('canvas').trigger('mousemove', { offsetX: 13, offsetY: 2 })
    expect(w.find('canvas').attributes('title')).toBe('c2 connected, waiting in the accept queue')
    await w.setProps({ phases: ['done', 'done', 'done'] })
    expect(root.attributes('data-done')).toBe('3')
  })

  it('by keyboard: the arrows walk the cells and name each in words, Home and End go to the ends', async () => {
    const w = mount(ClientDots, {
      global: { plugins: [pinia] },
      props: { ids: ['c1', 'c2', 'c3'], phases: ['done', 'waiting', 'refused'] },
    })
    const canvas = w.find('canvas')
    expect(canvas.attributes('tabindex')).toBe('0')
    const name = () => w.find('[data-testid="cell-name"]').text()
    expect(name()).toBe('')
    await canvas.trigger('keydown', { key: 'ArrowRight' })
    expect(name()).toBe('c1 done')
    await canvas.trigger('keydown', { key: 'ArrowRight' })
    expect(name()).toBe('c2 connected, waiting in the accept queue')
    await canvas.trigger('keydown', { key: 'End' })
    expect(name()).toBe('c3 refused')
    await canvas.trigger('keydown', { key: 'ArrowRight' }) // stays on the last
    expect(name()).toBe('c3 refused')
    await canvas.trigger('keydown', { key: 'Home' })
    expect(name()).toBe('c1 done')
    await canvas.trigger('blur')
    expect(name()).toBe('')
  })
})
