/**
 * Property tests of the OS socket-table parsers: any text (a truncated read, another locale's
 * header, garbage) parses without throwing, and well-formed rows come back as written.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { parseNetstatBsd, parseNetstatWindows } from '../../../../src/main/engine/inspector/os-sockets'
import { parseProcNet } from '../../../../src/main/engine/inspector/proc-net'

const ipv4 = fc.tuple(...Array.from({ length: 4 }, () => fc.integer({ min: 0, max: 255 })))
const port = fc.integer({ min: 0, max: 65535 })
const states = fc.constantFrom('LISTEN', 'ESTABLISHED', 'TIME_WAIT', 'CLOSE_WAIT', 'FIN_WAIT_2')
const lines = fc.array(fc.oneof(fc.string(), fc.constantFrom('tcp4 0 0', 'TCP x y', '  0: 0100007F:1F41')), {
  maxLength: 20,
})

describe('socket-table parsers', () => {
  it('never throw, whatever the text', () => {
    fc.assert(
      fc.property(lines, (ls) => {
        const text = ls.join('\n')
        expect(Array.isArray(parseNetstatBsd(text))).toBe(true)
        expect(Array.isArray(parseNetstatWindows(text))).toBe(true)
        expect(Array.isArray(parseProcNet(text))).toBe(true)
        expect(Array.isArray(parseProcNet(text, true))).toBe(true)
      }),
      { numRuns: 300 },
    )
  })

  it('Windows netstat -ano: TCP rows come back as written', () => {
    fc.assert(
      fc.property(ipv4, port, ipv4, port, states, fc.integer({ min: 0, max: 99999 }), (la, lp, ra, rp, st, pid) => {
        const line = `  TCP    ${la.join('.')}:${lp}    ${ra.join('.')}:${rp}    ${st}    ${pid}`
        expect(parseNetstatWindows(`Active Connections\r\n\r\n${line}\r\n`)[0]).toMatchObject({
          proto: 'tcp',
          local: { address: la.join('.'), port: lp },
          remote: { address: ra.join('.'), port: rp },
          pid,
        })
      }),
    )
  })

  it('BSD netstat -an: tcp4 rows come back as written, with their queues', () => {
    fc.assert(
      fc.property(ipv4, port, ipv4, port, fc.nat(99999), fc.nat(99999), (la, lp, ra, rp, rq, sq) => {
        const line = `tcp4  ${rq}  ${sq}  ${la.join('.')}.${lp}  ${ra.join('.')}.${rp}  ESTABLISHED`
        expect(parseNetstatBsd(line)[0]).toMatchObject({
          local: { address: la.join('.'), port: lp },
          remote: { address: ra.join('.'), port: rp },
          recvQ: rq,
          sendQ: sq,
          state: 'ESTABLISHED',
        })
      }),
    )
  })

  it('/proc/net/tcp: little-endian addresses, hex ports and queues decoded', () => {
    const hexAddr = (b: number[]) =>
      [...b]
        .reverse()
        .map((x) => x.toString(16).padStart(2, '0'))
        .join('')
        .toUpperCase()
    const hex = (n: number, w: number) => n.toString(16).toUpperCase().padStart(w, '0')
    fc.assert(
      fc.property(ipv4, port, ipv4, port, fc.nat(0xffff), fc.nat(2 ** 31), (la, lp, ra, rp, rx, inode) => {
        const line = `   7: ${hexAddr(la)}:${hex(lp, 4)} ${hexAddr(ra)}:${hex(rp, 4)} 01 00000000:${hex(rx, 8)} 00:00000000 00000000     0        0 ${inode} 1 0000000000000000 20 4 30 10 -1`
        const header =
          '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode'
        expect(parseProcNet(`${header}\n${line}\n`)[0]).toMatchObject({
          local: { address: la.join('.'), port: lp },
          remote: { address: ra.join('.'), port: rp },
          state: 'ESTABLISHED',
          rxQueue: rx,
          inode,
        })
      }),
    )
  })
})
