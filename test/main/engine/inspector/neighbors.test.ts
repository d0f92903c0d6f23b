import { readFileSync } from 'node:fs'
import iconv from 'iconv-lite'
import { describe, expect, it } from 'vitest'
import {
  normalMac,
  parseArpA,
  parseArpAn,
  parseIpNeigh,
  parseProcArp,
  readNeighbors,
} from '../../../../src/main/engine/inspector/neighbors'
import { decodeConsole } from '../../../../src/main/engine/inspector/netstat-windows'
import { recordedMachine } from '../../../support/recorded-machine'

const sample = (f: string): string => readFileSync(new URL(`../../../fixtures/arp/${f}`, import.meta.url), 'utf8')

const WINDOWS_ROWS = [
  { ip: '192.168.1.1', mac: '00:1b:21:0a:0b:0c', interface: '192.168.1.20', state: 'dynamic' },
  { ip: '192.168.1.31', mac: 'a4:83:e7:2d:06:8f', interface: '192.168.1.20', state: 'dynamic' },
  { ip: '192.168.1.255', mac: 'ff:ff:ff:ff:ff:ff', interface: '192.168.1.20', state: 'static' },
  { ip: '224.0.0.22', mac: '01:00:5e:00:00:16', interface: '192.168.1.20', state: 'static' },
  { ip: '172.28.63.255', mac: 'ff:ff:ff:ff:ff:ff', interface: '172.28.48.1', state: 'static' },
]

describe('the neighbour table’s parsers', () => {
  it('normalizes a MAC written any way the tools write it', () => {
    expect(normalMac('0:1b:21:a:b:c')).toBe('00:1b:21:0a:0b:0c')
    expect(normalMac('00-1B-21-0A-0B-0C')).toBe('00:1b:21:0a:0b:0c')
    expect(normalMac('(incomplete)')).toBeUndefined()
    expect(normalMac('00:1b:21:0a:0b')).toBeUndefined()
  })

  it('Linux ip neigh: states lower-cased, no MAC while incomplete or failed, IPv6 with "router" between', () => {
    expect(parseIpNeigh(sample('linux-ip-neigh.txt'))).toEqual([
      { ip: '10.0.0.1', mac: '00:1b:21:0a:0b:0c', interface: 'eth0', state: 'reachable' },
      { ip: '10.0.0.12', mac: '02:00:0a:d5:00:0c', interface: 'eth0', state: 'stale' },
      { ip: '10.0.0.13', mac: null, interface: 'eth0', state: 'failed' },
      { ip: '10.0.0.14', mac: null, interface: 'eth0', state: 'incomplete' },
      { ip: 'fe80::1', mac: '00:1b:21:0a:0b:0c', interface: 'eth0', state: 'reachable' },
      { ip: '10.0.0.20', mac: 'e4:5f:01:12:34:56', interface: 'eth0', state: 'permanent' },
    ])
  })

  it('Linux /proc/net/arp: the flags say complete, incomplete (its zero MAC is no MAC) or permanent', () => {
    expect(parseProcArp(sample('linux-proc-net-arp.txt'))).toEqual([
      { ip: '10.0.0.1', mac: '00:1b:21:0a:0b:0c', interface: 'eth0', state: 'reachable' },
      { ip: '10.0.0.13', mac: null, interface: 'eth0', state: 'incomplete' },
      { ip: '10.0.0.20', mac: 'e4:5f:01:12:34:56', interface: 'eth0', state: 'permanent' },
    ])
  })

  it('macOS arp -an: short MAC digits padded, (incomplete), permanent', () => {
    const rows = parseArpAn(sample('macos-arp-an.txt'))
    expect(rows.slice(0, 4)).toEqual([
      { ip: '192.168.1.1', mac: '00:1b:21:0a:0b:0c', interface: 'en0', state: 'dynamic' },
      { ip: '192.168.1.31', mac: 'a4:83:e7:2d:06:8f', interface: 'en0', state: 'dynamic' },
      { ip: '192.168.1.40', mac: null, interface: 'en0', state: 'incomplete' },
      { ip: '192.168.1.20', mac: 'f8:ff:c2:01:02:03', interface: 'en0', state: 'permanent' },
    ])
    expect(rows).toHaveLength(5)
  })

  it.each([
    ['English', 'windows-en.txt', 'utf-8'],
    ['Chinese', 'windows-zh.txt', 'utf-8'],
    ['Chinese, in the console’s code page (GBK)', 'windows-zh.txt', 'gbk'],
    ['German', 'windows-de.txt', 'utf-8'],
    ['German, in the console’s code page (CP850)', 'windows-de.txt', 'cp850'],
  ])('Windows arp -a in %s: the same rows, read by the shape of the addresses', (_lang, file, enc) => {
    const bytes = iconv.encode(sample(file), enc)
    // as the app reads it: the bytes the console wrote, decoded with or without knowing its code page
    expect(parseArpA(decodeConsole(bytes).text)).toEqual(WINDOWS_ROWS)
    if (enc !== 'utf-8') expect(parseArpA(decodeConsole(bytes, enc === 'gbk' ? 936 : 850).text)).toEqual(WINDOWS_ROWS)
  })

  it('a type word no table knows is kept as written, not guessed', () => {
    const text =
      'Interface: 10.0.0.2 --- 0x3\n  Adresse Internet      Adresse physique      Type\n  10.0.0.1              00-1b-21-0a-0b-0c     dinamico\n'
    expect(parseArpA(text)[0]!.state).toBe('dinamico')
  })

  // What it reads on a real link is shown by the LAN tier (test/lan/neighbors.test.ts).
  it.skipIf(process.platform !== 'linux')('on Linux reads ip neigh', async () => {
    expect((await readNeighbors('linux')).source).toBe('ip neigh')
  })

  it('a platform with no known source says so', async () => {
    expect(await readNeighbors('aix')).toMatchObject({ source: 'none', rows: [] })
  })
})

describe('the parsers, field by field', () => {
  it('a MAC has six groups of one or two hex digits, each', () => {
    expect(normalMac('00:1b:21:0a:0b:0g')).toBeUndefined()
    expect(normalMac('00:1b:21:0a:0b:0cc')).toBeUndefined()
    expect(normalMac('000:1b:21:0a:0b:0c')).toBeUndefined()
    expect(normalMac('00:1b:21:0a:0b:0c:0d')).toBeUndefined()
  })

  it('ip neigh: indented lines, a state word in capitals or unknown, a row without dev', () => {
    const text = [
      '  10.0.0.5  dev eth0 lladdr 02:00:00:00:00:05 REACHABLE',
      '10.0.0.6 dev eth0 lladdr 02:00:00:00:00:06 extern_learn',
      '10.0.0.7 lladdr 02:00:00:00:00:07 NOARP2',
      'not-an-ip dev eth0 FAILED',
    ].join('\n')
    expect(parseIpNeigh(text)).toEqual([
      { ip: '10.0.0.5', mac: '02:00:00:00:00:05', interface: 'eth0', state: 'reachable' },
      { ip: '10.0.0.6', mac: '02:00:00:00:00:06', interface: 'eth0', state: 'unknown' },
      { ip: '10.0.0.7', mac: '02:00:00:00:00:07', interface: '', state: 'unknown' },
    ])
  })

  it('/proc/net/arp: indented rows; short rows and IPv6-looking ones are none', () => {
    const head = 'IP address       HW type     Flags       HW address            Mask     Device'
    const text = [
      head,
      '   10.0.0.1  0x1  0x2  00:1b:21:0a:0b:0c  *  eth0',
      '10.0.0.2 0x1 0x2 00:1b:21:0a:0b:0d *',
      'fe80::1 0x1 0x2 00:1b:21:0a:0b:0e * eth0',
    ].join('\n')
    expect(parseProcArp(text)).toEqual([
      { ip: '10.0.0.1', mac: '00:1b:21:0a:0b:0c', interface: 'eth0', state: 'reachable' },
    ])
  })

  it('arp -an: the line is read from the IP in brackets to its end', () => {
    const rows = parseArpAn(
      'host.local (10.0.0.9) at 0:1:2:3:4:5 on en1 ifscope permanent [ethernet]\n? (10.0.0.10) at 0:1:2:3:4:6 on en1 [ethernet] x',
    )
    expect(rows).toEqual([
      { ip: '10.0.0.9', mac: '00:01:02:03:04:05', interface: 'en1', state: 'permanent' },
      { ip: '10.0.0.10', mac: '00:01:02:03:04:06', interface: 'en1', state: 'dynamic' },
    ])
  })

  it('arp -a: each row belongs to the interface line above it; indentation tells a row', () => {
    const text = [
      'Interface: 10.0.0.2 --- 0x3',
      '  Internet Address      Physical Address      Type',
      '  10.0.0.1              00-1b-21-0a-0b-0c     dynamic   ',
      '介面: 10.1.0.2 --- 0xb',
      '  10.1.0.1              00-1b-21-0a-0b-0d     動態',
      '  10.1.0.3              00-1b-21-0a-0b-0e     靜態',
      '10.1.0.4              00-1b-21-0a-0b-0f     dynamic',
      'x 10.1.0.5            00-1b-21-0a-0b-0f     dynamic',
    ].join('\r\n')
    expect(parseArpA(text)).toEqual([
      { ip: '10.0.0.1', mac: '00:1b:21:0a:0b:0c', interface: '10.0.0.2', state: 'dynamic' },
      { ip: '10.1.0.1', mac: '00:1b:21:0a:0b:0d', interface: '10.1.0.2', state: 'dynamic' },
      { ip: '10.1.0.3', mac: '00:1b:21:0a:0b:0e', interface: '10.1.0.2', state: 'static' },
    ])
  })
})

describe('readNeighbors: which tool each platform asks, with a recorded machine’s output', () => {
  it('Linux: ip neigh when there is ip', async () => {
    const m = recordedMachine({ 'ip neigh show': sample('linux-ip-neigh.txt') })
    expect(await readNeighbors('linux', m.runner)).toMatchObject({
      source: 'ip neigh',
      rows: parseIpNeigh(sample('linux-ip-neigh.txt')),
    })
  })

  it.skipIf(process.platform !== 'linux')('Linux without ip (a minimal container): /proc/net/arp', async () => {
    const m = recordedMachine({})
    const t = await readNeighbors('linux', m.runner)
    expect(m.asked).toEqual(['ip neigh show'])
    expect(t.source).toBe('/proc/net/arp')
    expect(t.rows).toEqual(parseProcArp(readFileSync('/proc/net/arp', 'utf8')))
  })

  it('macOS: arp -an', async () => {
    const m = recordedMachine({
      'arp -an': sample('macos-arp-an.txt'),
      'route -n get default': readFileSync('test/fixtures/route/mac-route-n-get-default-1.txt'),
    })
    expect(await readNeighbors('darwin', m.runner)).toMatchObject({
      source: 'arp -an',
      rows: parseArpAn(sample('macos-arp-an.txt')),
      gateway: { address: '10.33.79.254', interface: 'en0' },
    })
    expect(m.asked.sort()).toEqual(['arp -an', 'route -n get default'])
  })

  it('Windows: arp -a, in the code page chcp names (German, CP850)', async () => {
    const m = recordedMachine({
      'arp -a': iconv.encode(sample('windows-de.txt'), 'cp850'),
      'route print -4': iconv.encode(readFileSync('test/fixtures/route/win-de-netstat-rn-1.txt', 'utf8'), 'cp850'),
      'cmd /d /c chcp': 'Aktive Codepage: 850.',
    })
    expect(await readNeighbors('win32', m.runner)).toMatchObject({
      source: 'arp -a',
      rows: WINDOWS_ROWS,
      gateway: { address: '192.168.2.1', interface: '192.168.2.111' },
    })
    expect([...new Set(m.asked)].sort()).toEqual(['arp -a', 'cmd /d /c chcp', 'route print -4'])
  })
})
