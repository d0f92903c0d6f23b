import { flushPromises, mount } from '@vue/test-utils'
import type { createPinia } from 'pinia'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { nextTick } from 'vue'
import { LIMITS, type LabEvent } from '../../src/shared/contract'
import App from '../../src/renderer/src/App.vue'
import { useLogStore } from '../../src/renderer/src/stores/log'
import ChunkText from '../../src/renderer/src/components/ChunkText'
import FirewallNote from '../../src/renderer/src/components/FirewallNote.vue'
import ConversationCard from '../../src/renderer/src/components/ConversationCard.vue'
import EventLog from '../../src/renderer/src/components/EventLog.vue'
import { setLocale } from '../../src/renderer/src/i18n'
import ChatPanel from '../../src/renderer/src/panels/ChatPanel.vue'
import { useChatStore } from '../../src/renderer/src/stores/chat'
import { useLabStore } from '../../src/renderer/src/stores/lab'
import { manualFrames, type createFakeApi } from '../support/fake-api'
import { freshRenderer } from './fresh'

let fake: ReturnType<typeof createFakeApi>
let pinia: ReturnType<typeof createPinia>
beforeEach(() => {
  ;({ fake, pinia } = freshRenderer())
})
const opts = () => ({ global: { plugins: [pinia] } })

describe('App', () => {
  it('switches between the three demos and says where the API runs', async () => {
    const w = mount(App, opts())
    await flushPromises()
    expect(w.find('[data-testid="chat-panel"]').exists()).toBe(true)
    // every tab but the first is a chunk of its own, loaded on first use
    await w.find('[data-testid="tab-backlog"]').trigger('click')
    await vi.waitFor(() => expect(w.find('[data-testid="backlog-panel"]').exists()).toBe(true))
    await w.find('[data-testid="tab-udp"]').trigger('click')
    await vi.waitFor(() => expect(w.find('[data-testid="udp-panel"]').exists()).toBe(true))
    // The address lesson (interfaces, MACs, same subnet?) on a tab of its own.
    await w.find('[data-testid="tab-addresses"]').trigger('click')
    await vi.waitFor(() =>
      expect(w.find('[data-testid="addresses-panel"]').find('[data-testid="address-tool"]').exists()).toBe(true),
    )
    expect(w.find('[data-testid="host-kind"]').text()).toContain('Browser preview')
    w.unmount()
    expect(fake.listenerCount()).toBe(0)
  })

  it('says when the OS table lists only this user’s sockets (macOS 27), and not otherwise', async () => {
    fake.answerNext('osSockets', {
      ok: true,
      data: { source: 'netstat -an', rows: [], costMs: 1, partial: 'own-user' },
    })
    const w = mount(App, opts())
    await flushPromises()
    await w.find('[data-testid="tab-inspector"]').trigger('click')
    await vi.waitFor(() =>
      expect(w.find('[data-testid="inspector-partial"]').text()).toContain('only your own user’s sockets'),
    )
    w.unmount()
    const again = mount(App, opts())
    await flushPromises()
    await again.find('[data-testid="tab-inspector"]').trigger('click')
    await vi.waitFor(() => expect(again.find('[data-testid="inspector-source"]').exists()).toBe(true))
    expect(again.find('[data-testid="inspector-partial"]').exists()).toBe(false)
    again.unmount()
  })

  it('says when the rows are an earlier reading’s (nothing in the lab changed), with its time', async () => {
    const at = new Date(2026, 11, 6, 9, 41, 7).getTime()
    fake.answerNext('osSockets', {
      ok: true,
      data: { source: '/proc/net', rows: [], costMs: 1, unchangedSince: at },
    })
    const w = mount(App, opts())
    await flushPromises()
    await w.find('[data-testid="tab-inspector"]').trigger('click')
    await vi.waitFor(() =>
      expect(w.find('[data-testid="inspector-unchanged"]').text()).toBe(
        'unchanged since 09:41:07: no lab socket has changed, so the table is read again when one does (at least every 10 s)',
      ),
    )
    w.unmount()
  })

  it('the event log’s kind chips speak the UI language (no English left in the Chinese UI)', async () => {
    setLocale('zh-CN')
    const w = mount(App, opts())
    await flushPromises()
    const chips = w.findAll('.chip')
    expect(chips.length).toBe(16) // EVENT_KINDS, TLS among them
    expect(w.find('.chip[data-kind="data"]').text()).toBe('收到')
    expect(chips.every((c) => !/^[a-z]+$/.test(c.text()))).toBe(true) // no bare kind names
    w.unmount()
    setLocale('en')
  })

  it('switches language', async () => {
    const w = mount(App, opts())
    await flushPromises()
    await w.find('[data-testid="locale"]').setValue('zh-CN')
    expect(w.find('[data-testid="tab-chat"]').text()).toBe('TCP 聊天')
    w.unmount()
    setLocale('en')
  })
})

describe('ChatPanel', () => {
  it('starts a server with the chosen mode and explains an error in the learner’s language', async () => {
    const w = mount(ChatPanel, opts())
    await w.find('[data-testid="server-port"]').setValue(8001)
    await w.find('[data-testid="server-mode"]').setValue('serial')
    fake.answerNext('tcpListen', {
      ok: false,
      code: 'EADDRINUSE',
      message: 'listen EADDRINUSE: address already in use 127.0.0.1:8001',
    })
    await w.find('form').trigger('submit')
    await flushPromises()
    expect(fake.calls.find((c) => c.method === 'tcpListen')!.req).toMatchObject({
      host: '127.0.0.1',
      port: 8001,
      mode: 'serial',
    })
    expect(w.find('[data-testid="error-note"]').text()).toContain('already in use')
    setLocale('zh-CN')
    await nextTick()
    expect(w.find('[data-testid="error-note"]').text()).toContain('端口已被占用')
    setLocale('en')
  })

  it('lists the LAN addresses a classmate can connect to', async () => {
    await useLabStore().loadInfo()
    const w = mount(ChatPanel, opts())
    const options = w
      .find('[data-testid="bind-host"]')
      .findAll('option')
      .map((o) => o.text())
    expect(options.some((o) => o.includes('0.0.0.0') && o.includes('every interface'))).toBe(true)
    expect(options.some((o) => o.includes('192.168.1.20') && o.includes('aa:bb:cc:dd:ee:ff'))).toBe(true)
  })

  it('a server on every interface: the address for the class, large, with a ready client and its QR code', async () => {
    await useLabStore().loadInfo()
    const w = mount(ChatPanel, opts())
    fake.answerNext('tcpListen', {
      ok: true,
      data: {
        id: 's7',
        kind: 'tcp-server',
        state: 'listening',
        bytesIn: 0,
        bytesOut: 0,
        local: { address: '0.0.0.0', port: 8001, family: 'IPv4' },
      },
    })
    await useChatStore().startServer({
      host: '0.0.0.0',
      port: 8001,
      backlog: 5,
      mode: 'threaded',
      reply: 'hello',
      encoding: 'utf-8',
    })
    await flushPromises()
    expect(w.find('[data-testid="class-address"]').text()).toBe('192.168.1.20:8001')
    const snippet = w.find('[data-testid="class-snippet"]').text()
    expect(snippet).toContain("s.connect(('192.168.1.20', 8001))") // the course's threaded client, this address
    const details = w.find('[data-testid="class-banner"] details')
    ;(details.element as HTMLDetailsElement).open = true
    await details.trigger('toggle')
    await vi.waitFor(() => expect(w.find('[data-testid="class-qr"]').exists()).toBe(true))
    const path = w.find('[data-testid="class-qr"] path').attributes('d')!
    expect(path.length).toBeGreaterThan(100)
    expect(w.find('[data-testid="class-qr"]').attributes('viewBox')).toMatch(/^0 0 \d+ \d+$/)
  })
})

describe('peer data is text, never HTML', () => {
  it('renders markup from a peer as text and invalid bytes as hex', () => {
    const evil = Buffer.concat([Buffer.from('<img src=x onerror=alert(1)>'), Buffer.from([0xff])]).toString('base64')
    const w = mount(ChunkText, { props: { preview: evil, encoding: 'utf-8' } })
    expect(w.find('img').exists()).toBe(false)
    expect(w.text()).toContain('<img src=x onerror=alert(1)>')
    expect(w.find('.hex').text()).toBe('ff')
  })
})

describe('ConversationCard', () => {
  it('sends with the chosen line ending and encoding', async () => {
    const store = useLabStore()
    store.start(manualFrames().scheduler)
    const view = {
      info: { id: 'c1', kind: 'tcp-client' as const, state: 'open' as const, bytesIn: 0, bytesOut: 0 },
      reads: 0,
      chunks: [],
      times: { created: 0 },
      rev: 0,
    }
    const w = mount(ConversationCard, { ...opts(), props: { view } })
    await w.find('[data-testid="message"]').setValue('hi')
    await w.find('[data-testid="line-ending"]').setValue('\r\n')
    await w.find('form').trigger('submit')
    await flushPromises()
    expect(fake.calls.at(-1)).toEqual({ method: 'tcpSend', req: { id: 'c1', data: 'hi\r\n', encoding: 'utf-8' } })
    await w.find('[data-testid="burst-count"]').setValue('7')
    await w.find('[data-testid="message"]').setValue('m')
    await w.find('[data-testid="burst"]').trigger('click')
    await flushPromises()
    expect(fake.calls.at(-1)).toEqual({
      method: 'tcpSend',
      req: { id: 'c1', data: 'm\r\n', encoding: 'utf-8', repeat: 7 },
    })
    await w.find('[data-testid="half-close"]').trigger('click')
    await w.find('[data-testid="reset"]').trigger('click')
    expect(fake.calls.slice(-2).map((c) => c.method)).toEqual(['tcpShutdown', 'tcpReset'])
  })
})

describe('EventLog', () => {
  it('renders only the visible rows of a long log', async () => {
    const frames = manualFrames()
    const store = useLabStore()
    store.start(frames.scheduler)
    const w = mount(EventLog, opts())
    const batch: LabEvent[] = Array.from({ length: 10_000 }, (_, i) => ({
      kind: 'data',
      id: 'c1',
      t: i,
      bytes: 1,
      preview: 'QQ==',
      truncated: false,
    }))
    fake.emit(batch)
    while (frames.pending()) frames.run() // a burst may take a few frames (the flush budget)
    await nextTick()
    expect(useLogStore().rows).toHaveLength(10_000)
    expect(w.findAll('.log-row').length).toBeLessThan(100)
    expect(w.find('[data-testid="log-count"]').text()).toContain('10000')
  })

  it('follows the tail, refreshing the rows on screen in place at most every 80 ms, until the user scrolls up', async () => {
    vi.useFakeTimers()
    try {
      const frames = manualFrames()
      const store = useLabStore()
      store.start(frames.scheduler)
      const w = mount(EventLog, { ...opts(), attachTo: document.body })
      const read = (t: number): LabEvent => ({ kind: 'data', id: 'c1', t, bytes: t, preview: '', truncated: false })
      const push = async (from: number, n: number): Promise<void> => {
        fake.emit(Array.from({ length: n }, (_, i) => read(from + i)))
        while (frames.pending()) frames.run()
        await nextTick()
      }
      const viewport = w.find('.log-viewport').element as HTMLElement
      const lastRow = (): string => w.findAll('.log-row').at(-1)!.text()
      await push(1, 100) // after a quiet spell: shown at once
      expect(lastRow()).toContain('recv 100 bytes')
      await nextTick()
      expect(viewport.scrollTop).toBe(100 * 22 - 240) // the tail
      const rowNodes = w.findAll('.log-row').map((r) => r.element)
      await push(101, 5) // right after: waits for the refresh
      expect(lastRow()).toContain('recv 100 bytes')
      expect(w.find('[data-testid="log-count"]').text()).toContain('105') // the counts are live
      vi.advanceTimersByTime(100)
      await nextTick()
      await nextTick()
      expect(lastRow()).toContain('recv 105 bytes')
      expect(viewport.scrollTop).toBe(105 * 22 - 240)
      // The rows on screen are patched in place: no element was created or removed for new rows.
      expect(w.findAll('.log-row').map((r) => r.element)).toEqual(rowNodes)
      // The user scrolls up: the log stops following, and new rows do not move the view (jsdom
      // lays nothing out: the viewport's sizes are given).
      Object.defineProperty(viewport, 'clientHeight', { value: 240 })
      Object.defineProperty(viewport, 'scrollHeight', { value: 105 * 22 })
      viewport.scrollTop = 0
      await w.find('.log-viewport').trigger('scroll')
      expect(w.findAll('.log-row')[0]!.text()).toContain('recv 1 bytes') // answered at once
      vi.advanceTimersByTime(100)
      await push(106, 5)
      vi.advanceTimersByTime(100)
      await nextTick()
      expect(viewport.scrollTop).toBe(0)
      expect(w.findAll('.log-row')[0]!.text()).toContain('recv 1 bytes')
      w.unmount()
    } finally {
      vi.useRealTimers()
    }
  })
})

describe('FirewallNote', () => {
  it('appears only beyond loopback, in the words of the OS the app runs on', async () => {
    const store = useLabStore()
    await store.loadInfo() // the fake says linux
    const at = (address: string) =>
      mount(FirewallNote, { ...opts(), props: { local: { address, port: 8001, family: 'IPv4' as const } } })
    expect(at('127.0.0.1').find('[data-testid="firewall-note"]').exists()).toBe(false)
    const lan = at('0.0.0.0')
    expect(lan.text()).toContain('ufw allow')
    await lan.find('button').trigger('click')
    expect(lan.find('[data-testid="firewall-note"]').exists()).toBe(false)
  })

  it('on Windows says the network ticked is the current one (a campus network is usually Public) and what Cancel does', async () => {
    fake.answerNext('appInfo', {
      ok: true,
      data: { version: '0', platform: 'win32', host: 'electron', limits: LIMITS },
    })
    await useLabStore().loadInfo()
    const note = mount(FirewallNote, {
      ...opts(),
      props: { local: { address: '0.0.0.0', port: 8001, family: 'IPv4' as const } },
    })
    expect(note.text()).toContain('usually “Public”')
    expect(note.text()).toContain('Cancel creates a rule that blocks the app')
  })
})
