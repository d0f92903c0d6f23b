/** Two lab servers the OS let share a port (Windows, macOS): the note names the other one. */
import { mount } from '@vue/test-utils'
import type { createPinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import SharedPortNote from '../../../src/renderer/src/components/SharedPortNote.vue'
import { useLabStore } from '../../../src/renderer/src/stores/lab'
import { manualFrames, type createFakeApi } from '../../support/fake-api'
import { freshRenderer } from '../fresh'

let fake: ReturnType<typeof createFakeApi>
let pinia: ReturnType<typeof createPinia>
beforeEach(() => {
  ;({ fake, pinia } = freshRenderer())
})

describe('SharedPortNote', () => {
  it('appears when another lab server listens on the same port at an overlapping address, and goes when it stops', async () => {
    const store = useLabStore()
    const frames = manualFrames()
    store.start(frames.scheduler)
    const a = await store.listen({ host: '127.0.0.1', port: 8001, mode: 'threaded' }, 'chat') // the fake binds 127.0.0.1:8001
    const note = mount(SharedPortNote, {
      global: { plugins: [pinia] },
      props: { info: store.sockets.get(a.ok ? a.data.id : '')!.info },
    })
    expect(note.find('[data-testid="shared-port"]').exists()).toBe(false)
    const b = await store.listen({ host: '0.0.0.0', port: 8001, mode: 'threaded' }, 'chat')
    fake.emit([
      {
        kind: 'listening',
        id: b.ok ? b.data.id : '',
        t: 1,
        transport: 'tcp',
        local: { address: '0.0.0.0', port: 8001, family: 'IPv4' },
      },
    ])
    frames.run()
    await note.vm.$nextTick()
    const text = note.find('[data-testid="shared-port"]').text()
    expect(text).toContain('(0.0.0.0:8001) listens on port 8001 too')
    expect(text).toContain('Windows and macOS')
    fake.emit([{ kind: 'close', id: b.ok ? b.data.id : '', t: 2, hadError: false }])
    frames.run()
    await note.vm.$nextTick()
    expect(note.find('[data-testid="shared-port"]').exists()).toBe(false)
  })
})
