/** The event log for a lesson: repeats fold into one row, and the log can follow one panel. */
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import type { SocketEvent as LabEvent } from '../../../src/shared/contract'
import { useLogStore } from '../../../src/renderer/src/stores/log'

beforeEach(() => setActivePinia(createPinia()))

const error = (t: number): LabEvent => ({ kind: 'error', id: 'u3', t, code: 'ECONNREFUSED', message: 'refused' })
const data = (t: number): LabEvent => ({ kind: 'data', id: 'u3', t, bytes: 5, preview: 'aGVsbG8=', truncated: false })

describe('the event log', () => {
  it('folds the same event repeated into one row ×N; reads are never folded (each one counts)', () => {
    const log = useLogStore()
    for (let i = 0; i < 12; i++) log.push(error(i), 'udp')
    log.push(data(20), 'udp')
    log.push(data(21), 'udp')
    log.push(error(22), 'udp') // after another event: a new row
    log.flushed(15)
    expect(log.rows.map((r) => [r.ev.kind, r.times ?? 1])).toEqual([
      ['error', 12],
      ['data', 1],
      ['data', 1],
      ['error', 1],
    ])
    expect(log.totalEvents).toBe(15) // the count of events stays exact
  })

  it('follows one panel: only its sockets’ rows, every panel’s when asked', () => {
    const log = useLogStore()
    log.push(error(1), 'udp')
    log.push(
      {
        kind: 'listening',
        id: 's1',
        t: 2,
        transport: 'tcp',
        local: { address: '127.0.0.1', port: 1, family: 'IPv4' },
        backlog: 5,
        mode: 'plain',
      },
      'chat',
    )
    log.flushed(2)
    log.filter.tab = 'chat'
    expect(log.rows.map((r) => r.ev.id)).toEqual(['s1'])
    expect(log.rowCount).toBe(1)
    log.filter.tab = ''
    expect(log.rowCount).toBe(2)
  })
})
