/** The firewall note names the port the server really listens on, and its protocol. */
import { mount } from '@vue/test-utils'
import type { createPinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import FirewallNote from '../../../src/renderer/src/components/FirewallNote.vue'
import { setLocale } from '../../../src/renderer/src/i18n'
import { useLabStore } from '../../../src/renderer/src/stores/lab'
import { freshRenderer } from '../fresh'

let pinia: ReturnType<typeof createPinia>
beforeEach(() => {
  ;({ pinia } = freshRenderer())
})

describe('FirewallNote', () => {
  it('on Linux, names this server’s port and protocol; none for a loopback server; "知道了" dismisses it', async () => {
    setLocale('zh-CN')
    const store = useLabStore()
    await store.loadInfo()
    Object.defineProperty(store, 'os', { value: 'linux' })
    const note = (local: { address: string; port: number }, proto?: 'tcp' | 'udp') =>
      mount(FirewallNote, {
        global: { plugins: [pinia] },
        props: { local: { ...local, family: 'IPv4' as const }, ...(proto ? { proto } : {}) },
      })
    const tcp = note({ address: '0.0.0.0', port: 8005 })
    expect(tcp.text()).toContain('sudo ufw allow 8005/tcp')
    expect(tcp.text()).not.toContain('8001')
    expect(note({ address: '0.0.0.0', port: 9999 }, 'udp').text()).toContain('sudo ufw allow 9999/udp')
    expect(note({ address: '127.0.0.1', port: 8005 }).text()).toBe('')
    await tcp.get('button').trigger('click')
    expect(tcp.text()).toBe('')
    setLocale('en')
  })
})
