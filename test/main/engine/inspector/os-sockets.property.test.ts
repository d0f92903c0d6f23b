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

  // Near-valid input: the good rows among rows with one field broken, bracketed IPv6, and other
  // locales' headings. A broken row is dropped, never read as a row with a wrong value.
  const v6 = fc.constantFrom('::1', 'fe80::1%12', '2001:da8::5', '::')
  const broken = fc.oneof(
    fc
      .tuple(ipv4, fc.integer({ min: 65536, max: 999999 }))
      .map(([a, p]) => `  TCP    ${a.join('.')}:${p}    0.0.0.0:0    LISTENING    4`),
    fc
      .tuple(fc.integer({ min: 256, max: 999 }), port)
      .map(([o, p]) => `  TCP    10.0.${o}.1:${p}    0.0.0.0:0    LISTENING    4`),
    port.map((p) => `  TCP    10.0.0.1:${p}    0.0.0.0:0    LISTENING    notapid`),
    port.map((p) => `  TCP    10.0.0.1    0.0.0.0:0    LISTENING    ${p}`),
  )
  const headings = fc.constantFrom(
    'Active Connections',
    '  Proto  Local Address          Foreign Address        State           PID',
    '活动连接',
    '  协议  本地地址          外部地址        状态           PID',
    'Aktive Verbindungen',
    '  Proto  Lokale Adresse         Remoteadresse          Status           PID',
  )
  it('Windows netstat -ano, near-valid: good rows (IPv4 and bracketed IPv6) read, rows with a broken field dropped', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(v6, port, fc.integer({ min: 1, max: 99999 })), { maxLength: 4 }),
        fc.array(broken, { minLength: 1, maxLength: 4 }),
        fc.array(headings, { maxLength: 3 }),
        (good, bad, heads) => {
          const goodLines = good.map(([a, p, pid]) => `  TCP    [${a}]:${p}    [::]:0    LISTENING    ${pid}`)
          const text = fc
            .sample(
              fc.shuffledSubarray([...heads, ...goodLines, ...bad], {
                minLength: heads.length + goodLines.length + bad.length,
              }),
              1,
            )[0]!
            .join('\r\n')
          const rows = parseNetstatWindows(text)
          expect(rows).toHaveLength(good.length)
          for (const [, p, pid] of good)
            expect(rows).toContainEqual(
              expect.objectContaining({ local: expect.objectContaining({ port: p }), pid, family: 'IPv6' }),
            )
          for (const r of rows) {
            expect(r.local.port).toBeLessThanOrEqual(65535)
            expect(r.family === 'IPv6' || r.local.address.split('.').every((o) => Number(o) <= 255)).toBe(true)
          }
        },
      ),
      { numRuns: 200 },
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
