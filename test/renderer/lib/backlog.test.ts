import { describe, expect, it } from 'vitest'
import { clientPhase, queueCells } from '../../../src/renderer/src/lib/backlog'
import type { SocketView } from '../../../src/renderer/src/stores/lab'

const client = (state: SocketView['info']['state'], port?: number): SocketView => ({
  info: {
    id: 'c1',
    kind: 'tcp-client',
    state,
    bytesIn: 0,
    bytesOut: 0,
    ...(port ? { local: { address: '127.0.0.1', port, family: 'IPv4' as const } } : {}),
  },
  reads: 0,
  chunks: [],
  times: { created: 1000 },
  rev: 0,
})
const queue = (synRecv: number[], synSent: number): SocketView['queue'] => ({
  mode: 'kernel',
  slots: 3,
  kernel: 3,
  app: null,
  overflows: 5,
  overflowBase: 0,
  synRecv,
  synSent,
})

describe('a backlog client’s phase, reconciled with the kernel’s table', () => {
  it('connected on its side but SYN_RECV on the server’s: not waiting in the accept queue', () => {
    expect(clientPhase(client('open', 40002), undefined, queue([40002], 0))).toBe('limbo')
    expect(clientPhase(client('open', 40003), undefined, queue([40002], 0))).toBe('waiting')
    expect(clientPhase(client('open', 40002), undefined, undefined)).toBe('waiting') // no kernel reading: as before
  })

  it('still connecting a second after its SYN while the kernel shows clients in SYN_SENT: retrying', () => {
    expect(clientPhase(client('connecting'), undefined, queue([], 2), 1500)).toBe('connecting') // too early to say
    expect(clientPhase(client('connecting'), undefined, queue([], 2), 2100)).toBe('retrying')
    expect(clientPhase(client('connecting'), undefined, queue([], 0), 2100)).toBe('connecting')
  })
})

describe('the accept queue’s cells', () => {
  it('callers the app did not open are named by their port, the app’s own clients by their names', () => {
    const mine = { info: { id: 'c1', local: { address: '127.0.0.1', port: 40001, family: 'IPv4' } }, name: 'C1' }
    const cells = queueCells(4, 3, [mine as never], [40001, 50002, 50003])
    expect(cells.map((c) => c.kind)).toEqual(['app', 'external', 'external', 'empty'])
    expect(cells.filter((c) => c.kind === 'external').map((c) => (c as { port?: number }).port)).toEqual([50002, 50003])
    // no ports known (macOS, Windows): unnamed, as before
    expect(queueCells(2, 2, [], [])[0]).toEqual({ kind: 'external', key: 'x0' })
  })
})
