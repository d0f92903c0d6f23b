import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import {
  decodeProcAddress,
  handshakes,
  listenQueue,
  parseNetstatListen,
  parseProcNet,
  parseTcpExt,
} from '../../../../src/main/engine/inspector/proc-net'

const PROC_TCP = `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 0100007F:1F42 00000000:0000 0A 00000000:00000003 00:00000000 00000000     0        0 123456 1 0000000000000000 100 0 0 10 0
   1: 0100007F:1F42 0100007F:D5C0 01 00000000:00000000 00:00000000 00000000     0        0 123457 1 0000000000000000 20 4 30 10 -1
   2: 0100007F:D5C0 0100007F:1F42 06 00000000:00000000 03:000016F2 00000000     0        0 0 3 0000000000000000`
const PROC_TCP6 = `  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 00000000000000000000000001000000:1F43 00000000000000000000000000000000:0000 0A 00000000:00000002 00:00000000 00000000     0        0 223344 1 0000000000000000 100 0 0 10 0`

describe('/proc/net parsers', () => {
  it('decode IPv4, IPv6 and mapped addresses from the kernel’s little-endian hex', () => {
    expect(decodeProcAddress('0100007F')).toBe('127.0.0.1')
    expect(decodeProcAddress('00000000')).toBe('0.0.0.0')
    expect(decodeProcAddress('00000000000000000000000001000000')).toBe('::1')
    expect(decodeProcAddress('00000000000000000000000000000000')).toBe('::')
    expect(decodeProcAddress('0000000000000000FFFF00000100007F')).toBe('::ffff:127.0.0.1')
    expect(decodeProcAddress('B80D0120000000000000000001000000')).toBe('2001:db8::1')
  })

  it('read states and queues, the LISTEN row’s rx_queue being its accept queue', () => {
    const rows = parseProcNet(PROC_TCP)
    expect(rows.map((r) => r.state)).toEqual(['LISTEN', 'ESTABLISHED', 'TIME_WAIT'])
    expect(rows[0]).toMatchObject({ local: { address: '127.0.0.1', port: 8002 }, rxQueue: 3, inode: 123456 })
    expect(rows[1]!.remote).toEqual({ address: '127.0.0.1', port: 54720 })
    expect(parseProcNet(PROC_TCP6)[0]).toMatchObject({
      local: { address: '::1', port: 8003 },
      state: 'LISTEN',
      rxQueue: 2,
    })
  })

  it('read the TcpExt counters', () => {
    const text = 'TcpExt: SyncookiesSent ListenOverflows ListenDrops\nTcpExt: 0 17 17\nIpExt: InNoRoutes\nIpExt: 0\n'
    expect(parseTcpExt(text)).toEqual({ SyncookiesSent: 0, ListenOverflows: 17, ListenDrops: 17 })
  })

  it.skipIf(process.platform !== 'linux')('return null for a port nobody listens on', () => {
    expect(listenQueue(1)).toBeNull()
  })
})

describe('macOS netstat -Lan', () => {
  it('parses qlen/incqlen/maxqlen per listening address (sample written from the documented format)', () => {
    const rows = parseNetstatListen(readFileSync('test/fixtures/netstat-Lan-macos.txt', 'utf8'))
    expect(rows).toEqual([
      { qlen: 0, incqlen: 0, maxqlen: 128, address: '*', port: 7000 },
      { qlen: 3, incqlen: 0, maxqlen: 2, address: '127.0.0.1', port: 8002 },
      { qlen: 0, incqlen: 0, maxqlen: 5, address: '::1', port: 8003 },
      { qlen: 1, incqlen: 1, maxqlen: 128, address: '*', port: 22 }, // XNU's qlen counts the half-open too
    ])
  })
})

describe('handshakes around a listening port (the backlog cards’ kernel reading)', () => {
  // Port 0x4651 = 18001: a listener, one client connected and queued, one whose final ACK the
  // server dropped (SYN_RECV on its side, ESTABLISHED on the client's), two clients in SYN_SENT.
  const table = [
    '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode',
    '   0: 0100007F:4651 00000000:0000 0A 00000000:00000001 00:00000000 00000000     0        0 347651 1',
    '   1: 0100007F:4651 0100007F:9C41 01 00000000:00000000 00:00000000 00000000     0        0 347653 1',
    '   2: 0100007F:9C41 0100007F:4651 01 00000000:00000000 00:00000000 00000000     0        0 347654 1',
    '   3: 0100007F:4651 0100007F:9C42 03 00000000:00000000 02:00000085 00000002     0        0 0 1',
    '   4: 0100007F:9C42 0100007F:4651 01 00000000:00000000 00:00000000 00000000     0        0 347655 1',
    '   5: 0100007F:9C43 0100007F:4651 02 00000000:00000000 01:00000083 00000001     0        0 347656 1',
    '   6: 0100007F:9C44 0100007F:4651 02 00000000:00000000 01:00000083 00000001     0        0 347657 1',
    '   7: 0100007F:1F90 0100007F:9C45 03 00000000:00000000 02:00000085 00000002     0        0 0 1',
  ].join('\n')

  it('names the client ports in SYN_RECV on the server’s side and counts the clients still in SYN_SENT', () => {
    expect(handshakes(18001, [table, null])).toEqual({ synRecv: [0x9c42], synSent: 2 })
    expect(handshakes(8080, [table, null])).toEqual({ synRecv: [0x9c45], synSent: 0 }) // another port's
    expect(handshakes(18001, [null, null])).toBeNull() // no /proc: no reading, not "none"
  })
})
