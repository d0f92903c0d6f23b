/**
 * A lab socket on a link-local address is found in every OS's table, though each writes the
 * scope its own way: Node "fe80::1%eth0", Windows netstat "%12", macOS netstat "%en0", /proc none.
 */
import { describe, expect, it } from 'vitest'
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
