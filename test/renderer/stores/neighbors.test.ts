import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import { setApi } from '../../../src/renderer/src/api'
import { useLabStore } from '../../../src/renderer/src/stores/lab'
import { useNeighborsStore } from '../../../src/renderer/src/stores/neighbors'
import type { NeighborRow } from '../../../src/shared/contract'
import { createFakeApi, manualFrames } from '../../support/fake-api'

let fake: ReturnType<typeof createFakeApi>
beforeEach(() => {
  fake = createFakeApi()
  setApi(fake.api)
  setActivePinia(createPinia())
})
const row = (ip: string, mac = '02:00:0a:d5:00:0c'): NeighborRow => ({ ip, mac, interface: 'eth0', state: 'reachable' })
const table = (...rows: NeighborRow[]) =>
  fake.answerNext('osNeighbors', { ok: true, data: { source: 'ip neigh', rows } })

describe('neighbours store', () => {
  it('rows already there are not news; a row that appears is learned, with the lab socket that talked to it', async () => {
    const lab = useLabStore()
    const frames = manualFrames()
    lab.start(frames.scheduler)
    const nb = useNeighborsStore()
    table(row('10.0.0.1'))
    await nb.refresh()
    expect(nb.learned.size).toBe(0)
    // the lab's client C1 connects to 10.0.0.12: the next reading has its row
    const c = await lab.connect({ host: '10.0.0.12', port: 9999 }, 'chat')
    fake.emit([
      {
        kind: 'connect',
        id: c.ok ? c.data.id : '',
        t: 1,
        local: { address: '10.0.0.1', port: 5000, family: 'IPv4' },
        remote: { address: '10.0.0.12', port: 9999, family: 'IPv4' },
      },
    ])
    frames.run()
    table(row('10.0.0.1'), row('10.0.0.12'))
    await nb.refresh()
    expect([...nb.learned.keys()]).toEqual(['10.0.0.12'])
    expect(nb.learned.get('10.0.0.12')?.by).toBe(lab.displayName(c.ok ? c.data.id : ''))
    expect(nb.peers.has('10.0.0.12')).toBe(true)
    expect(nb.peers.has('10.0.0.1')).toBe(false)
    // an error is kept for the UI, the rows stay
    fake.answerNext('osNeighbors', { ok: false, code: 'ENOENT', message: 'spawn arp ENOENT' })
    await nb.refresh()
    expect(nb.error?.code).toBe('ENOENT')
    expect(nb.rows).toHaveLength(2)
  })

  it('a row nobody answered (failed, no MAC) is not "learned"; the gateway and DNS servers are kept', async () => {
    const nb = useNeighborsStore()
    table(row('10.0.0.1'))
    await nb.refresh()
    fake.answerNext('osNeighbors', {
      ok: true,
      data: {
        source: 'ip neigh',
        rows: [row('10.0.0.1'), { ip: '192.0.2.77', mac: null, interface: 'eth0', state: 'failed' }],
        gateway: { address: '10.0.0.1', interface: 'eth0' },
        dns: { servers: ['127.0.0.53'], note: 'systemd-stub' },
      },
    })
    await nb.refresh()
    expect(nb.learned.has('192.0.2.77')).toBe(false)
    expect(nb.gateway).toEqual({ address: '10.0.0.1', interface: 'eth0' })
    expect(nb.dns?.note).toBe('systemd-stub')
  })
})
