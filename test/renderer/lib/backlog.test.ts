import { describe, expect, it } from 'vitest'
import { clientPhase } from '../../../src/renderer/src/lib/backlog'
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
