/**
 * Windows netstat in any display language, on real captures (test/fixtures/netstat-samples,
 * copied from shared/samples: its README says what each shows), in UTF-8 and in the code page
 * the console writes.
 */
import { readFileSync } from 'node:fs'
import iconv from 'iconv-lite'
import { describe, expect, it } from 'vitest'
import { decodeConsole, parseWindowsTable } from '../../../../src/main/engine/inspector/netstat-windows'

const sample = (name: string): Buffer => readFileSync(`test/fixtures/netstat-samples/${name}`)
const counts = (states: string[]): Record<string, number> =>
  states.reduce<Record<string, number>>((m, s) => ((m[s] = (m[s] ?? 0) + 1), m), {})
const tcpStates = (text: string): Record<string, number> =>
  counts(
    parseWindowsTable(text)
      .rows.filter((r) => r.proto === 'tcp')
      .map((r) => r.state),
  )

describe('Windows netstat, every display language', () => {
  it('German: translated states (ABHÖREN, HERGESTELLT, WARTEND...) are the course’s names', () => {
    const { rows, unrecognized } = parseWindowsTable(sample('windows-de-4.txt').toString('utf8'))
    expect(unrecognized).toEqual([])
    expect(tcpStates(sample('windows-de-4.txt').toString('utf8'))).toEqual({
      LISTEN: 45,
      ESTABLISHED: 24,
      TIME_WAIT: 31,
      CLOSE_WAIT: 1,
      FIN_WAIT2: 1,
    })
    expect(rows.find((r) => r.local.port === 80)).toMatchObject({ proto: 'tcp', state: 'LISTEN', pid: 4 })
  })

  it('German in CP850 (what netstat really writes there) decodes to the same table', () => {
    const bytes = sample('windows-de-4.cp850.txt')
    expect(bytes.includes(0x99)).toBe(true) // Ö in CP850
    const guessed = decodeConsole(bytes)
    expect(guessed.encoding).toBe('cp850')
    expect(decodeConsole(bytes, 850).text).toBe(guessed.text)
    expect(parseWindowsTable(guessed.text)).toEqual(parseWindowsTable(sample('windows-de-4.txt').toString('utf8')))
  })

  it('Chinese: headings in GBK, states in English; the GBK bytes decode to the same table', () => {
    const utf8 = sample('windows-zh-3.txt').toString('utf8')
    expect(tcpStates(utf8)).toEqual({
      LISTEN: 26,
      ESTABLISHED: 9,
      FIN_WAIT1: 2,
      LAST_ACK: 6,
      CLOSE_WAIT: 1,
      TIME_WAIT: 1,
    })
    const gbk = decodeConsole(sample('windows-zh-3.gbk.txt'))
    expect(gbk.encoding).toBe('cp936')
    expect(gbk.text).toContain('活动连接')
    expect(parseWindowsTable(gbk.text)).toEqual(parseWindowsTable(utf8))
    expect(parseWindowsTable(utf8).unrecognized).toEqual([])
  })

  it('English with -b (CRLF, [process.exe] lines between rows), scoped IPv6, UDP *:*', () => {
    const { rows, unrecognized } = parseWindowsTable(sample('windows-en-3.txt').toString('utf8'))
    expect(unrecognized).toEqual([])
    expect(rows.every((r) => Number.isInteger(r.pid) && r.local.port >= 0)).toBe(true)
    expect(rows.some((r) => r.family === 'IPv6' && !r.local.address.includes('%'))).toBe(true)
    expect(rows.filter((r) => r.proto === 'udp').every((r) => r.state === 'UNCONN' || r.state === 'CONNECTED')).toBe(
      true,
    )
    expect(tcpStates(sample('windows-en-3.txt').toString('utf8'))).toEqual({
      LISTEN: 51,
      ESTABLISHED: 54,
      CLOSE_WAIT: 6,
      TIME_WAIT: 3,
    })
  })

  it('Windows Server: connected UDP rows have a remote and no state word', () => {
    const { rows } = parseWindowsTable(sample('windows-en-4.txt').toString('utf8'))
    const connected = rows.filter((r) => r.proto === 'udp' && r.state === 'CONNECTED')
    expect(connected.length).toBeGreaterThan(0)
    expect(connected.every((r) => r.remote.port > 0)).toBe(true)
  })

  it('a language in no table: listening and TIME_WAIT read from the row itself, the rest UNKNOWN with the word kept', () => {
    const text = [
      '  Proto  Adres lokalny          Adres obcy             Stan            PID',
      '  TCP    0.0.0.0:135            0.0.0.0:0              NASŁUCHIWANIE   1044',
      '  TCP    [::]:445               [::]:0                 NASŁUCHIWANIE   4',
      '  TCP    127.0.0.1:5000         127.0.0.1:49800        USTANOWIONO     88',
      '  TCP    127.0.0.1:49801        127.0.0.1:5000         CZEKANIE_NA_CZAS 0',
    ].join('\r\n')
    const { rows, unrecognized } = parseWindowsTable(text)
    expect(rows.map((r) => r.state)).toEqual(['LISTEN', 'LISTEN', 'UNKNOWN', 'TIME_WAIT'])
    expect(rows[2]).toMatchObject({ word: 'USTANOWIONO', pid: 88 })
    expect(unrecognized).toEqual(['USTANOWIONO'])
    // What the lab learns from its own open connection names the word from then on.
    expect(parseWindowsTable(text, new Map([['USTANOWIONO', 'ESTABLISHED']])).rows[2]!.state).toBe('ESTABLISHED')
  })

  it('a state of several words keeps the PID in its place (Italian IN ASCOLTO)', () => {
    const { rows } = parseWindowsTable('  TCP    127.0.0.1:3000         0.0.0.0:0              IN ASCOLTO       31\r\n')
    expect(rows).toEqual([
      expect.objectContaining({ state: 'LISTEN', pid: 31, local: { address: '127.0.0.1', port: 3000 } }),
    ])
  })

  it('a file saved by PowerShell (UTF-16 with a BOM) decodes too', () => {
    const text = sample('windows-en-4.txt').toString('utf8')
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(text, 'utf16le')])
    expect(decodeConsole(utf16)).toEqual({ text, encoding: 'utf-16le' })
  })
})

describe('Windows netstat rows, field by field', () => {
  it('keeps only rows netstat could have written', () => {
    const text = [
      '  tcp    127.0.0.1:80           127.0.0.1:5000         ESTABLISHED     7', // lower case: still a row
      '  TCP    127.0.0.1              127.0.0.1:5000         ESTABLISHED     7', // no port
      '  TCP    127.0.0.1:65536        127.0.0.1:5000         ESTABLISHED     7', // port too big
      '  TCP    127.0.0.1:8x           127.0.0.1:5000         ESTABLISHED     7', // not a number
      '  TCP    300.0.0.1:80           127.0.0.1:5000         ESTABLISHED     7', // not an address
      '  TCP    127.0.0.1:80           127.0.0.1:5000         ESTABLISHED     x', // no PID
      '  SCTP   127.0.0.1:80           127.0.0.1:5000         ESTABLISHED     7', // another protocol
      '  UDP    *:5353                 *:*                                    9',
      '  UDP    [fe80::1%12]:546       *:*                                    9',
      '  TCP    [::1]:8001             [::1]:50000            ESTABLISHED     5',
    ].join('\n')
    const { rows } = parseWindowsTable(text)
    expect(rows).toEqual([
      {
        proto: 'tcp',
        family: 'IPv4',
        local: { address: '127.0.0.1', port: 80 },
        remote: { address: '127.0.0.1', port: 5000 },
        state: 'ESTABLISHED',
        sendQ: null,
        recvQ: null,
        pid: 7,
      },
      {
        proto: 'udp',
        family: 'IPv4',
        local: { address: '0.0.0.0', port: 5353 },
        remote: { address: '0.0.0.0', port: 0 },
        state: 'UNCONN',
        sendQ: null,
        recvQ: null,
        pid: 9,
      },
      {
        proto: 'udp',
        family: 'IPv6',
        local: { address: 'fe80::1%12', port: 546 },
        remote: { address: '0.0.0.0', port: 0 },
        state: 'UNCONN',
        sendQ: null,
        recvQ: null,
        pid: 9,
      },
      {
        proto: 'tcp',
        family: 'IPv6',
        local: { address: '::1', port: 8001 },
        remote: { address: '::1', port: 50000 },
        state: 'ESTABLISHED',
        sendQ: null,
        recvQ: null,
        pid: 5,
      },
    ])
  })

  it('an unknown word is LISTEN only when the remote is a wildcard with port 0', () => {
    const state = (remote: string): string =>
      parseWindowsTable(`  TCP    127.0.0.1:80    ${remote}    NIEZNANE    7`).rows[0]!.state
    expect(state('0.0.0.0:0')).toBe('LISTEN')
    expect(state('[::]:0')).toBe('LISTEN')
    expect(state('0.0.0.0:5')).toBe('UNKNOWN')
    expect(state('10.0.0.1:0')).toBe('UNKNOWN')
  })
})

describe('decodeConsole', () => {
  const TABLE = '  TCP    0.0.0.0:135    0.0.0.0:0    LISTENING    1\r\n'
  it('UTF-8 with a byte-order mark: the mark is dropped', () => {
    expect(decodeConsole(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(TABLE)]))).toEqual({
      text: TABLE,
      encoding: 'utf-8',
    })
    // half a mark is text (here invalid UTF-8, read in a code page)
    expect(decodeConsole(Buffer.concat([Buffer.from([0xef, 0xbb]), Buffer.from(TABLE)])).text.endsWith(TABLE)).toBe(
      true,
    )
    expect(decodeConsole(Buffer.concat([Buffer.from([0xff]), Buffer.from(TABLE)])).encoding).not.toBe('utf-16le')
  })

  it('plain UTF-8 (or ASCII) is read as it is, whatever code page is named', () => {
    expect(decodeConsole(Buffer.from('Aktive Verbindungen ÄÖÜ\r\n' + TABLE), 850)).toEqual({
      text: 'Aktive Verbindungen ÄÖÜ\r\n' + TABLE,
      encoding: 'utf-8',
    })
  })

  it('not UTF-8, no code page known: the code page whose decoding has the most known state words', () => {
    // French rows (ÉCOUTE, ÉTABLIE) saved in Windows-1252, no headings: only the rows can tell
    const rows = [
      '  TCP    0.0.0.0:135            0.0.0.0:0              ÉCOUTE          1044',
      '  TCP    127.0.0.1:5000         127.0.0.1:49800        ÉTABLIE         88',
    ].join('\r\n')
    const decoded = decodeConsole(iconv.encode(rows, 'cp1252'))
    expect(decoded).toEqual({ text: rows, encoding: 'cp1252' })
    expect(parseWindowsTable(decoded.text).rows.map((r) => r.state)).toEqual(['LISTEN', 'ESTABLISHED'])
  })

  it('the code page named by chcp is used alone; one that does not exist leaves the text as UTF-8 read it', () => {
    const bytes = iconv.encode('  TCP    0.0.0.0:135    0.0.0.0:0    ÉCOUTE    1', 'cp1252')
    expect(decodeConsole(bytes, 850)).toEqual({ text: iconv.decode(bytes, 'cp850'), encoding: 'cp850' })
    const unknown = decodeConsole(bytes, 12345)
    expect(unknown.encoding).toBe('utf-8')
    expect(unknown.text).toContain('\ufffd')
  })
})

describe('every state word the table knows, in a connection row (no wildcard remote to fall back on)', () => {
  // What Windows writes in each display language (its netstat message strings), and the
  // course's name for it. A LISTEN word is read on a row with a real remote here, so that the
  // row's own shape (a wildcard remote means listening) cannot stand in for the word.
  const WORDS: [string, string][] = [
    ['LISTENING', 'LISTEN'],
    ['ESTABLISHED', 'ESTABLISHED'],
    ['SYN_SENT', 'SYN_SENT'],
    ['SYN_RECEIVED', 'SYN_RECV'],
    ['SYN_RCVD', 'SYN_RECV'],
    ['FIN_WAIT_1', 'FIN_WAIT1'],
    ['FIN_WAIT_2', 'FIN_WAIT2'],
    ['CLOSE_WAIT', 'CLOSE_WAIT'],
    ['CLOSING', 'CLOSING'],
    ['LAST_ACK', 'LAST_ACK'],
    ['TIME_WAIT', 'TIME_WAIT'],
    ['CLOSED', 'CLOSE'],
    ['DELETE_TCB', 'CLOSE'],
    ['BOUND', 'CLOSE'],
    ['ABHÖREN', 'LISTEN'],
    ['HERGESTELLT', 'ESTABLISHED'],
    ['WARTEND', 'TIME_WAIT'],
    ['SCHLIESSEN_WARTEN', 'CLOSE_WAIT'],
    ['FIN_WARTEN_1', 'FIN_WAIT1'],
    ['FIN_WARTEN_2', 'FIN_WAIT2'],
    ['SYN_GESENDET', 'SYN_SENT'],
    ['SYN_EMPFANGEN', 'SYN_RECV'],
    ['LETZTES_ACK', 'LAST_ACK'],
    ['SCHLIESSEND', 'CLOSING'],
    ['GESCHLOSSEN', 'CLOSE'],
    ['ÉCOUTE', 'LISTEN'],
    ["À L'ÉCOUTE", 'LISTEN'],
    ['ÉTABLIE', 'ESTABLISHED'],
    ['ÉTABLI', 'ESTABLISHED'],
    ['ESCUCHANDO', 'LISTEN'],
    ['ESTABLECIDO', 'ESTABLISHED'],
    ['ESCUTANDO', 'LISTEN'],
    ['ESTABELECIDA', 'ESTABLISHED'],
    ['IN ASCOLTO', 'LISTEN'],
    ['STABILITA', 'ESTABLISHED'],
  ]
  it.each(WORDS)('%s is %s', (word, state) => {
    const { rows, unrecognized } = parseWindowsTable(`  TCP    10.0.0.2:8001    10.0.0.3:50000    ${word}    42\r\n`)
    expect(rows).toHaveLength(1)
    expect(rows[0]!.state).toBe(state)
    expect(unrecognized).toEqual([])
  })
  it('written in lower case, a word is still known', () => {
    expect(parseWindowsTable('  TCP    10.0.0.2:8001    10.0.0.3:50000    hergestellt    42').rows[0]!.state).toBe(
      'ESTABLISHED',
    )
  })
})
