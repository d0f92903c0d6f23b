import { describe, expect, it } from 'vitest'
import type { OsSocket } from '../../../src/shared/contract'
import { groupEnds } from '../../../src/renderer/src/lib/os-rows'

const row = (local: number, remote: number, state = 'ESTABLISHED'): OsSocket => ({
  proto: 'tcp',
  family: 'IPv4',
  local: { address: '127.0.0.1', port: local },
  remote: { address: remote ? '127.0.0.1' : '0.0.0.0', port: remote },
  state,
  sendQ: 0,
  recvQ: 0,
})
const ports = (rows: OsSocket[]) => rows.map((r) => `${r.local.port}-${r.remote.port}`)

describe('groupEnds', () => {
  it('puts a connection’s two ends together, where the first of them was', () => {
    const rows = [row(8001, 0, 'LISTEN'), row(8001, 5001), row(8002, 0, 'LISTEN'), row(8001, 5002), row(5001, 8001)]
    expect(ports(groupEnds(rows))).toEqual(['8001-0', '8001-5001', '5001-8001', '8002-0', '8001-5002'])
  })

  it('never merges two listening sockets', () => {
    const rows = [row(8001, 0, 'LISTEN'), row(8001, 0, 'LISTEN')]
    expect(groupEnds(rows)).toHaveLength(2)
  })
})
