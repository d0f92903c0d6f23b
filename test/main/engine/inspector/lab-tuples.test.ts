/**
 * A lab socket on a link-local address is found in every OS's table, though each writes the
 * scope its own way: Node "fe80::1%eth0", Windows netstat "%12", macOS netstat "%en0", /proc none.
 */
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { OsSocket } from '../../../../src/shared/contract'
import { LabTuples } from '../../../../src/main/engine/inspector/lab-tuples'
import { SocketRegistry } from '../../../../src/main/engine/registry'

const row = (local: string, remote: string, state: OsSocket['state']): OsSocket => ({
  proto: 'tcp',
  family: 'IPv6',
  local: { address: local, port: local.startsWith('fe80') ? 8001 : 0 },
  remote: { address: remote, port: remote === '::' ? 0 : 50123 },
  state,
  sendQ: null,
  recvQ: null,
})

describe('LabTuples with link-local addresses', () => {
  it('matches a listener and a connection whatever scope the table writes, or none', () => {
    const reg = new SocketRegistry(() => undefined)
    const server = reg.add(
      'o',
      's',
      { kind: 'tcp-server', state: 'listening', local: { address: 'fe80::1%eth0', port: 8001, family: 'IPv6' } },
      { stream: {} as never },
    )
    const conn = reg.add(
      'o',
      'a',
      {
        kind: 'tcp-conn',
        state: 'open',
        local: { address: 'fe80::1%eth0', port: 8001, family: 'IPv6' },
        remote: { address: 'fe80::2%eth0', port: 50123, family: 'IPv6' },
      },
      { stream: {} as never },
    )
    const tuples = new LabTuples()
    tuples.note(server)
    tuples.note(conn)
    for (const scope of ['%12', '%en0', '']) {
      const [listen, open] = tuples.mark('o', [
        row(`fe80::1${scope}`, '::', 'LISTEN'),
        row(`fe80::1${scope}`, `fe80::2${scope}`, 'ESTABLISHED'),
      ])
      expect(listen!.lab, scope).toBe(server.info.id)
      expect(open!.lab, scope).toBe(conn.info.id)
    }
  })
})

describe('LabTuples: which rows are the lab’s', () => {
  const v4 = (address: string, port: number) => ({ address, port, family: 'IPv4' as const })
  const osRow = (proto: 'tcp' | 'udp', local: [string, number], remote: [string, number], state: string): OsSocket => ({
    proto,
    family: 'IPv4',
    local: { address: local[0], port: local[1] },
    remote: { address: remote[0], port: remote[1] },
    state,
    sendQ: 0,
    recvQ: 0,
  })
  function lab() {
    const reg = new SocketRegistry(() => undefined)
    const tuples = new LabTuples()
    const add = (owner: string, info: Parameters<SocketRegistry['add']>[2], closed = false) => {
      const e = reg.add(owner, 'x', info, { stream: {} as never })
      tuples.note(e, closed)
      return e.info.id
    }
    return { tuples, add }
  }
  afterEach(() => vi.useRealTimers())

  it('a listener by its local endpoint, a connection by both; its own accepted strangers are not it', () => {
    const { tuples, add } = lab()
    const server = add('o', { kind: 'tcp-server', state: 'listening', local: v4('0.0.0.0', 8001) })
    const conn = add('o', {
      kind: 'tcp-conn',
      state: 'open',
      local: v4('127.0.0.1', 8001),
      remote: v4('127.0.0.1', 50000),
    })
    const marked = tuples.mark('o', [
      osRow('tcp', ['0.0.0.0', 8001], ['0.0.0.0', 0], 'LISTEN'),
      osRow('tcp', ['127.0.0.1', 8001], ['127.0.0.1', 50000], 'ESTABLISHED'),
      osRow('tcp', ['0.0.0.0', 8001], ['127.0.0.1', 50001], 'ESTABLISHED'), // not the lab's connection
      osRow('udp', ['0.0.0.0', 8001], ['0.0.0.0', 0], 'UNCONN'), // another protocol
    ])
    expect(marked.map((r) => r.lab)).toEqual([server, conn, undefined, undefined])
    // the client's end of the lab's connection (not a lab socket) is named as its peer
    const [peer] = tuples.mark('o', [osRow('tcp', ['127.0.0.1', 50000], ['127.0.0.1', 8001], 'ESTABLISHED')])
    expect(peer).toMatchObject({ peerOf: conn })
    expect(peer!.lab).toBeUndefined()
    // another owner's table marks nothing
    const others = tuples.mark('p', [osRow('tcp', ['0.0.0.0', 8001], ['0.0.0.0', 0], 'LISTEN'), peer!])
    expect(others[0]!.lab).toBeUndefined()
    expect(
      tuples.mark('p', [osRow('tcp', ['127.0.0.1', 50000], ['127.0.0.1', 8001], 'ESTABLISHED')])[0]!.peerOf,
    ).toBeUndefined()
  })

  it('a UDP socket by its local endpoint, connected or not; no peer is named for UDP', () => {
    const { tuples, add } = lab()
    const udp = add('o', { kind: 'udp', state: 'bound', local: v4('127.0.0.1', 9000), remote: v4('127.0.0.1', 9001) })
    const [connected, other, reverse] = tuples.mark('o', [
      osRow('udp', ['127.0.0.1', 9000], ['127.0.0.1', 9001], 'CONNECTED'),
      osRow('tcp', ['127.0.0.1', 9000], ['0.0.0.0', 0], 'LISTEN'),
      osRow('udp', ['127.0.0.1', 9001], ['127.0.0.1', 9000], 'CONNECTED'),
    ])
    expect(connected!.lab).toBe(udp)
    expect(other!.lab).toBeUndefined()
    expect(reverse).toEqual(osRow('udp', ['127.0.0.1', 9001], ['127.0.0.1', 9000], 'CONNECTED'))
  })

  it('a socket with no local endpoint yet is not noted', () => {
    const { tuples, add } = lab()
    add('o', { kind: 'tcp-client', state: 'connecting' })
    expect(tuples.ports('o')).toEqual(new Set())
  })

  it('ports: every port of the owner’s sockets, a connection’s both, no other owner’s', () => {
    const { tuples, add } = lab()
    add('o', { kind: 'tcp-server', state: 'listening', local: v4('0.0.0.0', 8001) })
    add('o', { kind: 'tcp-conn', state: 'open', local: v4('127.0.0.1', 8001), remote: v4('127.0.0.1', 50000) })
    add('p', { kind: 'udp', state: 'bound', local: v4('0.0.0.0', 9000) })
    expect(tuples.ports('o')).toEqual(new Set([8001, 50000]))
    expect(tuples.ports('p')).toEqual(new Set([9000]))
  })

  it('a closed socket stays the lab’s for 4 minutes (TIME_WAIT), an open one for ever', () => {
    vi.useFakeTimers({ now: 1_000_000 })
    const { tuples, add } = lab()
    const closed = add(
      'o',
      { kind: 'tcp-conn', state: 'closed', local: v4('127.0.0.1', 50000), remote: v4('127.0.0.1', 8001) },
      true,
    )
    const open = add('o', { kind: 'tcp-server', state: 'listening', local: v4('127.0.0.1', 8001) })
    const rows = [
      osRow('tcp', ['127.0.0.1', 50000], ['127.0.0.1', 8001], 'TIME_WAIT'),
      osRow('tcp', ['127.0.0.1', 8001], ['0.0.0.0', 0], 'LISTEN'),
    ]
    vi.setSystemTime(1_000_000 + 4 * 60_000 - 1)
    expect(tuples.mark('o', rows).map((r) => r.lab)).toEqual([closed, open])
    // its peer is named only while it is remembered
    expect(tuples.mark('o', [osRow('tcp', ['127.0.0.1', 8001], ['127.0.0.1', 50000], 'CLOSE')])[0]!.peerOf).toBe(closed)
    vi.setSystemTime(1_000_000 + 4 * 60_000)
    expect(tuples.mark('o', rows).map((r) => r.lab)).toEqual([undefined, open])
    expect(
      tuples.mark('o', [osRow('tcp', ['127.0.0.1', 8001], ['127.0.0.1', 50000], 'CLOSE')])[0]!.peerOf,
    ).toBeUndefined()
    // the next note forgets it (its ports with it); the open listener stays
    add('o', { kind: 'udp', state: 'bound', local: v4('127.0.0.1', 9000) })
    expect(tuples.ports('o')).toEqual(new Set([8001, 9000]))
  })

  it('remembers at most 20,000 sockets: the oldest are forgotten first, the newest kept', () => {
    const { tuples, add } = lab()
    for (let port = 1; port <= 20_001; port++) add('o', { kind: 'udp', state: 'bound', local: v4('127.0.0.1', port) })
    const ports = tuples.ports('o')
    expect(ports.size).toBe(20_000)
    expect(ports.has(1)).toBe(false)
    expect(ports.has(2)).toBe(true)
    expect(ports.has(20_001)).toBe(true)
    // noting a known socket again makes it the newest: it outlives older ones
    add('o', { kind: 'udp', state: 'bound', local: v4('127.0.0.1', 2) })
    add('o', { kind: 'udp', state: 'bound', local: v4('127.0.0.1', 30_000) })
    const after = tuples.ports('o')
    expect(after.has(2)).toBe(true)
    expect(after.has(3)).toBe(false)
  })
})
