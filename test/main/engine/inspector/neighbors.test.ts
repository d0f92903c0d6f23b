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

const sample = (f: string): string => readFileSync(new URL(`../../../fixtures/arp/${f}`, import.meta.url), 'utf8')

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

  const WINDOWS = [
    { ip: '192.168.1.1', mac: '00:1b:21:0a:0b:0c', interface: '192.168.1.20', state: 'dynamic' },
    { ip: '192.168.1.31', mac: 'a4:83:e7:2d:06:8f', interface: '192.168.1.20', state: 'dynamic' },
    { ip: '192.168.1.255', mac: 'ff:ff:ff:ff:ff:ff', interface: '192.168.1.20', state: 'static' },
    { ip: '224.0.0.22', mac: '01:00:5e:00:00:16', interface: '192.168.1.20', state: 'static' },
    { ip: '172.28.63.255', mac: 'ff:ff:ff:ff:ff:ff', interface: '172.28.48.1', state: 'static' },
  ]

  it.each([
    ['English', 'windows-en.txt', 'utf-8'],
    ['Chinese', 'windows-zh.txt', 'utf-8'],
    ['Chinese, in the console’s code page (GBK)', 'windows-zh.txt', 'gbk'],
    ['German', 'windows-de.txt', 'utf-8'],
    ['German, in the console’s code page (CP850)', 'windows-de.txt', 'cp850'],
  ])('Windows arp -a in %s: the same rows, read by the shape of the addresses', (_lang, file, enc) => {
    const bytes = iconv.encode(sample(file), enc)
    // as the app reads it: the bytes the console wrote, decoded with or without knowing its code page
    expect(parseArpA(decodeConsole(bytes).text)).toEqual(WINDOWS)
    if (enc !== 'utf-8') expect(parseArpA(decodeConsole(bytes, enc === 'gbk' ? 936 : 850).text)).toEqual(WINDOWS)
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
    expect(await readNeighbors('aix')).toEqual({ source: 'none', rows: [] })
  })
})
