import { beforeAll, describe, expect, it, vi } from 'vitest'
import { CHANNELS, EVENT_CHANNEL, methodName, type LabApi } from '../../src/shared/contract'
import { exposed, fake, ipcRenderer } from '../support/electron-fake'

let api: LabApi
beforeAll(async () => {
  fake.reset()
  await import('../../src/preload/index')
  api = exposed['socketLab'] as LabApi
})

describe('preload bridge', () => {
  it('exposes exactly one named method per operation plus onEvent, and no generic invoke', () => {
    const expected = [...CHANNELS.map(methodName), 'onEvent'].sort()
    expect(Object.keys(api).sort()).toEqual(expected)
    expect(Object.isFrozen(api)).toBe(true)
  })

  it('maps each method to its channel, passing its request through unchanged', async () => {
    ipcRenderer.invokes = []
    for (const channel of CHANNELS) {
      const req = { probe: channel }
      await (api[methodName(channel)] as (r: unknown) => Promise<unknown>)(req)
    }
    expect(ipcRenderer.invokes.map((i) => i.channel)).toEqual([...CHANNELS])
    expect(ipcRenderer.invokes.map((i) => i.args)).toEqual(CHANNELS.map((channel) => [{ probe: channel }]))
  })

  it('streams event batches until unsubscribed', () => {
    const cb = vi.fn()
    const off = api.onEvent(cb)
    fake.pushToRenderer(EVENT_CHANNEL, [{ kind: 'end', id: 'c1', t: 1 }])
    expect(cb).toHaveBeenCalledWith([{ kind: 'end', id: 'c1', t: 1 }])
    off()
    expect(ipcRenderer.listenerCount(EVENT_CHANNEL)).toBe(0)
    fake.pushToRenderer(EVENT_CHANNEL, [])
    expect(cb).toHaveBeenCalledTimes(1)
  })
})
