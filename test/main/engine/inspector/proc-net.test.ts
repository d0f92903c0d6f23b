import fc from 'fast-check'
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import {
  decodeProcAddress,
  handshakes,
  listenQueue,
  parseNetstatListen,
  parseProcNet,
  parseSnmpUdp,
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
    // a connection the kernel finished that nobody accepted yet: no file, inode 0
    '   8: 0100007F:4651 0100007F:9C46 01 00000000:00000000 00:00000000 00000000     0        0 0 1',
  ].join('\n')

  it('names the client ports in SYN_RECV on the server’s side and counts the clients still in SYN_SENT', () => {
    expect(handshakes(18001, [table, null])).toEqual({
      synRecv: [0x9c42],
      synSent: 2,
      // who waits in the accept queue, and who retries its SYN: by port
      queuedPorts: [0x9c46],
      synSentPorts: [0x9c43, 0x9c44],
    })
    expect(handshakes(8080, [table, null])).toEqual({
      synRecv: [0x9c45],
      synSent: 0,
      queuedPorts: [],
      synSentPorts: [],
    })
    expect(handshakes(18001, [null, null])).toBeNull() // no /proc: no reading, not "none"
  })
})

describe('/proc/net, field by field', () => {
  /** Sixteen bytes as /proc writes them: four 32-bit words, each little-endian. */
  const procHex = (bytes: number[]): string =>
    [0, 4, 8, 12]
      .map((w) =>
        bytes
          .slice(w, w + 4)
          .reverse()
          .map((b) => b.toString(16).padStart(2, '0'))
          .join(''),
      )
      .join('')
      .toUpperCase()

  it('IPv6 addresses are written as the URL standard writes them (the longest zero run, the first on a tie, never one group)', () => {
    // groups drawn mostly from 0, so that runs of zeros of every length and position come up
    const group = fc.oneof(fc.constant(0), fc.constant(0), fc.integer({ min: 1, max: 0xffff }))
    fc.assert(
      fc.property(fc.array(group, { minLength: 8, maxLength: 8 }), (groups) => {
        const bytes = groups.flatMap((g) => [g >> 8, g & 255])
        fc.pre(!(bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 255 && bytes[11] === 255))
        const reference = new URL(`http://[${groups.map((g) => g.toString(16)).join(':')}]/`).hostname.slice(1, -1)
        expect(decodeProcAddress(procHex(bytes))).toBe(reference)
      }),
      { numRuns: 2000 },
    )
    expect(decodeProcAddress(procHex([0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1]))).toBe(
      '2001:db8:0:1:0:1:0:1',
    )
    expect(decodeProcAddress(procHex([0, 1, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 3]))).toBe('1:0:0:2::3')
  })

  it('only ::ffff:a.b.c.d is written as a mapped IPv4 address', () => {
    const mapped = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 255, 255, 10, 0, 0, 7]
    expect(decodeProcAddress(procHex(mapped))).toBe('::ffff:10.0.0.7')
    expect(decodeProcAddress(procHex(mapped.map((b, i) => (i === 11 ? 254 : b))))).toBe('::fffe:a00:7')
    expect(decodeProcAddress(procHex(mapped.map((b, i) => (i === 10 ? 0 : b))))).toBe('::ff:a00:7')
    expect(decodeProcAddress(procHex(mapped.map((b, i) => (i === 3 ? 1 : b))))).toBe('0:1::ffff:a00:7')
  })

  it('with ports, only the rows touching them (local or remote); short lines are no rows', () => {
    expect(parseProcNet(PROC_TCP, false, new Set([0xd5c0])).map((r) => r.state)).toEqual(['ESTABLISHED', 'TIME_WAIT'])
    expect(parseProcNet(PROC_TCP, false, new Set([1]))).toEqual([])
    const short = `${PROC_TCP.split('\n')[0]}\n   0: 0100007F:1F42 00000000:0000 0A 00000000:00000003 00:00000000 00000000     0        0`
    expect(parseProcNet(short)).toEqual([])
    expect(parseProcNet(short + ' 42')).toHaveLength(1)
  })

  it('UDP: 07 is a socket with no peer; any other state is a connected one', () => {
    const udp = (st: string): string =>
      parseProcNet(
        `  sl  local_address rem_address   st\n 1: 0100007F:2328 0100007F:2329 ${st} 00000000:00000000 00:00000000 00000000 0 0 99 2 0 0`,
        true,
      )[0]!.state
    expect(udp('07')).toBe('UNCONN')
    expect(udp('01')).toBe('ESTABLISHED')
    // the same row read as TCP: the kernel's state numbers
    expect(
      parseProcNet(`head\n 1: 0100007F:2328 0100007F:2329 0a 00000000:00000000 00:00000000 00000000 0 0 99 2`)[0]!
        .state,
    ).toBe('LISTEN')
    expect(
      parseProcNet(`head\n 1: 0100007F:2328 0100007F:2329 0F 00000000:00000000 00:00000000 00000000 0 0 99 2`)[0]!
        .state,
    ).toBe('0F')
  })

  it('counters: the named group’s header and values, nothing when the group is missing or half there', () => {
    const snmp =
      'Ip: Forwarding DefaultTTL\nIp: 1 64\nUdp: InDatagrams NoPorts InErrors OutDatagrams RcvbufErrors\nUdp: 10 2 3 9 3\nUdpLite: InDatagrams\nUdpLite: 0\n'
    expect(parseSnmpUdp(snmp)).toEqual({ InDatagrams: 10, NoPorts: 2, InErrors: 3, OutDatagrams: 9, RcvbufErrors: 3 })
    expect(parseSnmpUdp('Udp: InDatagrams NoPorts\n')).toEqual({})
    expect(parseTcpExt(snmp)).toEqual({})
  })

  it('listenQueue adds the LISTEN rows of both tables for the port; a port with no listener is null', () => {
    expect(listenQueue(8002, [PROC_TCP, PROC_TCP6])).toBe(3)
    expect(listenQueue(8003, [PROC_TCP, PROC_TCP6])).toBe(2)
    const twice = PROC_TCP6.replace(':1F43', ':1F42')
    expect(listenQueue(8002, [PROC_TCP, twice])).toBe(5) // 0.0.0.0 and :: both listening
    expect(listenQueue(0xd5c0, [PROC_TCP, null])).toBeNull() // only connections use that port
    expect(listenQueue(8002, [null, null])).toBeNull()
    // an empty queue is 0, not null
    expect(listenQueue(8002, [PROC_TCP.replace('00000000:00000003', '00000000:00000000'), null])).toBe(0)
  })

  it('handshakes lists the SYN_RECV ports in order', () => {
    const head = '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode'
    const recv = (n: number, port: string): string =>
      `   ${n}: 0100007F:4651 0100007F:${port} 03 00000000:00000000 02:00000085 00000002     0        0 0 1`
    expect(handshakes(18001, [[head, recv(0, 'A000'), recv(1, '9000'), recv(2, '9C00')].join('\n'), null])).toEqual({
      synRecv: [0x9000, 0x9c00, 0xa000],
      synSent: 0,
      queuedPorts: [],
      synSentPorts: [],
    })
  })
})
