/**
 * The UDP panel says what the OS the engine runs on really does: Windows is never told of an
 * ICMP "port unreachable" (libuv discards it), macOS shares a multicast port through SO_REUSEPORT.
 */
import { flushPromises, mount } from '@vue/test-utils'
import type { createPinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import { LIMITS } from '../../../src/shared/contract'
import { setLocale } from '../../../src/renderer/src/i18n'
import UdpSocketCard from '../../../src/renderer/src/components/UdpSocketCard.vue'
import UdpPanel from '../../../src/renderer/src/panels/UdpPanel.vue'
import { useLabStore } from '../../../src/renderer/src/stores/lab'
import type { createFakeApi } from '../../support/fake-api'
import { freshRenderer } from '../fresh'

let fake: ReturnType<typeof createFakeApi>
let pinia: ReturnType<typeof createPinia>
beforeEach(() => {
  ;({ fake, pinia } = freshRenderer())
})

async function panelOn(platform: string) {
  fake.answerNext('appInfo', { ok: true, data: { version: '0', platform, host: 'electron', limits: LIMITS } })
  await useLabStore().loadInfo()
  const w = mount(UdpPanel, { global: { plugins: [pinia] } })
  await flushPromises()
  return w
}

describe('UdpPanel on each OS', () => {
  it('Linux and macOS: a connected socket gets ECONNREFUSED', async () => {
    for (const p of ['linux', 'darwin']) {
      const w = await panelOn(p)
      expect(w.find('[data-testid="udp-no-connection"]').text()).toContain('a connected one gets ECONNREFUSED')
      w.unmount()
    }
  })

  it('Windows: this app hears nothing back, and Python’s recvfrom raises WinError 10054', async () => {
    const w = await panelOn('win32')
    const hint = w.find('[data-testid="udp-no-connection"]').text()
    expect(hint).toContain('shows no ECONNREFUSED here')
    expect(hint).toContain('ConnectionResetError [WinError 10054]')
    setLocale('zh-CN')
    await flushPromises()
    expect(w.find('[data-testid="udp-no-connection"]').text()).toContain('WinError 10054')
    w.unmount()
  })

  it('macOS with a multicast group typed: a Python receiver on the port needs SO_REUSEPORT', async () => {
    const mac = await panelOn('darwin')
    expect(mac.find('[data-testid="udp-multicast-mac"]').exists()).toBe(false)
    await mac.find('[data-testid="udp-multicast"]').setValue('239.1.2.3')
    expect(mac.find('[data-testid="udp-multicast-mac"]').text()).toContain('socket.SO_REUSEPORT')
    mac.unmount()
    const linux = await panelOn('linux')
    await linux.find('[data-testid="udp-multicast"]').setValue('239.1.2.3')
    expect(linux.find('[data-testid="udp-multicast-mac"]').exists()).toBe(false)
  })
})

describe('UdpSocketCard: a datagram too big for this OS', () => {
  it('10,000 bytes: fine for IPv4 on Linux and Windows, over macOS’s 9,216 (net.inet.udp.maxdgram)', async () => {
    for (const [platform, tooBig] of [
      ['linux', false],
      ['win32', false],
      ['darwin', true],
    ] as const) {
      const w = await panelOn(platform)
      const r = await useLabStore().udpBind({ host: '127.0.0.1', port: 0 })
      const card = mount(UdpSocketCard, {
        global: { plugins: [pinia] },
        props: { view: useLabStore().sockets.get(r.ok ? r.data.id : '')! },
      })
      await card.find('[data-testid="udp-message"]').setValue('x'.repeat(10_000))
      expect(card.find('[data-testid="udp-too-big"]').exists(), platform).toBe(tooBig)
      if (tooBig) expect(card.find('[data-testid="udp-too-big"]').text()).toContain('9,216')
      await card.find('[data-testid="udp-message"]').setValue('x'.repeat(70_000))
      expect(card.find('[data-testid="udp-too-big"]').text()).toContain(tooBig ? '9,216' : '65,507')
      card.unmount()
      w.unmount()
    }
  })
})
