import { flushPromises, mount } from '@vue/test-utils'
import type { createPinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import ClassroomPanel from '../../../src/renderer/src/panels/ClassroomPanel.vue'
import { useClassroomStore } from '../../../src/renderer/src/stores/classroom'
import { useLabStore } from '../../../src/renderer/src/stores/lab'
import type { CheckResult } from '../../../src/shared/contract'
import { manualFrames, type createFakeApi } from '../../support/fake-api'
import { freshRenderer } from '../fresh'

let fake: ReturnType<typeof createFakeApi>
let pinia: ReturnType<typeof createPinia>
let frames: ReturnType<typeof manualFrames>
beforeEach(() => {
  ;({ fake, pinia } = freshRenderer())
  frames = manualFrames()
  useLabStore().start(frames.scheduler)
})
const res = (check: string, ok: boolean): CheckResult => ({
  check,
  ok,
  detail: { en: ok ? 'answered' : 'no reply within 2000 ms', 'zh-CN': '' },
  hint: { en: '', 'zh-CN': '' },
  transcript: [
    { dir: '→', text: 'Ann' },
    { dir: '·', text: 'silence' },
  ],
})

describe('the Classroom panel', () => {
  it('shows the exercise, grades with a symbol and a word per cell, and opens a cell’s evidence and hint', async () => {
    const w = mount(ClassroomPanel, { global: { plugins: [pinia] } })
    await flushPromises()
    expect(w.get('[data-testid="exercise-task"]').text()).toMatch(/Welcome!/)
    expect(w.get('[data-testid="exercise-skeleton"]').text()).toContain('threading.Thread')
    await w.get('[data-testid="roster-text"]').setValue('Ann,10.0.0.5,9999')
    await w.get('[data-testid="roster-apply"]').trigger('click')
    await w.get('[data-testid="check-all"]').trigger('click')
    await flushPromises()
    const cell = (c: string) => w.get(`tr[data-student="Ann"] button[data-check="${c}"]`)
    expect(cell('connect').text()).toBe('… queued')
    const key = useClassroomStore().roster[0]!.key
    fake.emit([
      {
        kind: 'grade',
        id: 'k1',
        t: 1,
        key,
        name: 'Ann',
        host: '10.0.0.5',
        port: 9999,
        done: false,
        results: [res('connect', true), res('welcome', false)],
      },
    ])
    frames.run()
    await flushPromises()
    expect(cell('connect').text()).toBe('✓ pass')
    expect(cell('welcome').text()).toBe('✗ fail')
    expect(cell('hello').text()).toBe('⋯ running')
    expect(cell('welcome').attributes('aria-label')).toBe('Ann welcome: fail')
    expect(w.get('[data-testid="grade-progress"]').text()).toContain('1 running')
    await cell('welcome').trigger('click')
    const detail = w.get('[data-testid="grade-detail"]')
    expect(detail.get('[data-testid="detail-text"]').text()).toBe('no reply within 2000 ms')
    expect(detail.findAll('[data-testid="detail-transcript"] li').map((l) => l.text())).toEqual([
      '→sent by the checkerAnn',
      '·what happenedsilence',
    ])
    expect(detail.get('[data-testid="detail-hint"]').text()).toContain("b'Welcome!'")
  })

  it('a client exercise offers the reference server instead of "check all", and shows where it listens', async () => {
    const w = mount(ClassroomPanel, { global: { plugins: [pinia] } })
    await flushPromises()
    await w.get('[data-testid="exercise-select"]').setValue('threaded-hello-client')
    expect(w.find('[data-testid="check-all"]').exists()).toBe(false)
    await useLabStore().loadInfo()
    await w.get('[data-testid="reference-toggle"]').element.closest('form')!.requestSubmit()
    await flushPromises()
    expect(fake.calls.find((c) => c.method === 'checkClients')?.req).toMatchObject({ host: '0.0.0.0', port: 9999 })
    expect(w.get('[data-testid="reference-reach"]').text()).toContain('192.168.1.20:9999')
  })
})
