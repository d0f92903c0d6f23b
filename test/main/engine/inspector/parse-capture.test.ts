import iconv from 'iconv-lite'
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { guessFormat, NotATable, parseCapture } from '../../../../src/main/engine/inspector/parse-capture'

const fixture = (name: string): string => readFileSync(new URL(`../../../fixtures/${name}`, import.meta.url), 'utf8')
const sample = (name: string): Buffer =>
  readFileSync(new URL(`../../../fixtures/netstat-samples/${name}`, import.meta.url))

describe('guessFormat: which table a pasted text is', () => {
  it.each([
    ['proc', '  sl  local_address rem_address   st tx_queue\n   0: 0100007F:4651 00000000:0000 0A'],
    ['proc', 'sl local_address remote_address st\n'],
    ['bsd', 'Proto Recv-Q Send-Q  Local Address\ntcp4       0      0  127.0.0.1.8001  *.*  LISTEN'],
    ['bsd', 'udp46      0      0  *.5353  *.*'],
    ['bsd', 'tcp6  12  0  ::1.8001  ::1.52311  ESTABLISHED'],
    ['bsd', 'tcp4  0  12  127.0.0.1.8001  127.0.0.1.52311  ESTABLISHED'],
    [
      'windows',
      '  Proto  Local Address  Foreign Address  State  PID\n  TCP    0.0.0.0:135    0.0.0.0:0   LISTENING   1',
    ],
    ['windows', '  UDP    *:5353    *:*    4'],
    ['windows', '  tcp    [::1]:8001    [::]:0    LISTENING    4'],
    ['windows', '  TCP    [fe80::1%12]:8001    [::]:0    LISTENING    4'],
  ] as const)('%s: %j', (format, text) => {
    expect(guessFormat(text)).toBe(format)
  })

  it.each([
    'hello world',
    // a table's name without its rows, or rows a line would have to start with
    'Proto Local Address Foreign Address State',
    'x TCP 0.0.0.0:135 0.0.0.0:0 LISTENING',
    'tcp4 a b 127.0.0.1.22',
    'tcp 0 0 127.0.0.1:22 0.0.0.0:* LISTEN', // Linux netstat -tan: not read
    '  sl  local_address\n',
    'TCP 0.0.0.0:135',
    'Proto: tcp4 0 0 127.0.0.1.22 *.* LISTEN', // a row's words, not at the start of the line
    'xtcp4 0 0 127.0.0.1.22 *.* LISTEN',
    '# sl local_address rem_address st',
  ])('none: %j', (text) => {
    expect(guessFormat(text)).toBeUndefined()
  })

  it('the first line that matches decides, wherever it is in the text', () => {
    expect(
      guessFormat(
        'C:\\> netstat -ano\n\nActive Connections\n\n  TCP    127.0.0.1:8001   127.0.0.1:5000  ESTABLISHED  7\n',
      ),
    ).toBe('windows')
  })
})

describe('parseCapture', () => {
  it('text that is no table: NotATable, with its message', () => {
    expect(() => parseCapture('hello')).toThrow(NotATable)
    expect(() => parseCapture('hello')).toThrow('not a socket table this can read')
  })

  it('a format told wins over the one the text looks like', () => {
    const text = '  TCP    0.0.0.0:135    0.0.0.0:0   LISTENING   1\n'
    expect(parseCapture(text).format).toBe('windows')
    const asBsd = parseCapture(text, { format: 'bsd' })
    expect(asBsd).toEqual({ format: 'bsd', encoding: 'text', rows: [], unrecognized: [] })
  })

  it('a Windows capture in its code page is decoded by the console rule, or by the encoding told', () => {
    const bytes = sample('windows-zh-3.gbk.txt')
    const guessed = parseCapture(bytes)
    expect(guessed.format).toBe('windows')
    expect(guessed.encoding).toBe('cp936')
    expect(guessed.rows.length).toBeGreaterThan(0)
    const told = parseCapture(bytes, { encoding: 'gbk' })
    expect(told.encoding).toBe('gbk')
    expect(told.rows).toEqual(guessed.rows)
    // the same capture saved as UTF-8 parses to the same rows
    expect(parseCapture(sample('windows-zh-3.txt').toString('utf8')).rows).toEqual(guessed.rows)
  })

  it('an encoding told that does not exist is named in the error', () => {
    expect(() => parseCapture(Buffer.from('x'), { encoding: 'klingon-8' })).toThrow('unknown encoding "klingon-8"')
  })

  it('a byte-order mark before an encoding told is dropped, so the first row is read', () => {
    const text = '\ufeff  TCP    0.0.0.0:135    0.0.0.0:0   LISTENING   1\r\n'
    const parsed = parseCapture(iconv.encode(text, 'utf16-le', { addBOM: false }), { encoding: 'utf16-le' })
    expect(parsed.format).toBe('windows')
    expect(parsed.rows).toHaveLength(1)
    expect(parsed.rows[0]).toMatchObject({
      proto: 'tcp',
      local: { address: '0.0.0.0', port: 135 },
      state: 'LISTEN',
      pid: 1,
    })
  })

  it('a Mac netstat -an: BSD rows, with their queues', () => {
    const parsed = parseCapture(fixture('netstat-an-macos.txt'))
    expect(parsed.format).toBe('bsd')
    expect(parsed.unrecognized).toEqual([])
    expect(parsed.rows).toContainEqual(
      expect.objectContaining({
        proto: 'tcp',
        local: { address: '127.0.0.1', port: 52311 },
        remote: { address: '127.0.0.1', port: 8001 },
        state: 'ESTABLISHED',
        recvQ: 12,
      }),
    )
  })

  it.each([
    ['proc-net-tcp.txt', 'tcp', 'IPv4', { address: '127.0.0.1', port: 0x4651 }, 'LISTEN'],
    ['proc-net-tcp6.txt', 'tcp', 'IPv6', { address: '::1', port: 0x4656 }, 'LISTEN'],
    ['proc-net-udp.txt', 'udp', 'IPv4', { address: '127.0.0.1', port: 0x4a37 }, 'UNCONN'],
    ['proc-net-udp6.txt', 'udp', 'IPv6', { address: '::1', port: 0x4a37 }, 'CONNECTED'],
  ] as const)(
    '/proc/net from another Linux (%s): its protocol and family from the text, no inode',
    (file, proto, family, local, state) => {
      const parsed = parseCapture(fixture(file))
      expect(parsed.format).toBe('proc')
      expect(parsed.encoding).toBe('text')
      expect(parsed.unrecognized).toEqual([])
      expect(parsed.rows.length).toBeGreaterThan(0)
      for (const row of parsed.rows) {
        expect(row.proto).toBe(proto)
        expect(row.family).toBe(family)
        expect(row).not.toHaveProperty('inode')
      }
      expect(parsed.rows[0]).toMatchObject({ local, state })
    },
  )
})
