/**
 * `socket-lab route` and `socket-lab neighbors --input` as processes: tables from other machines
 * (a file, or stdin in the Chinese console's code page) as JSON lines; this machine's route to an
 * address; bad input exits 2.
 */
import { readFileSync } from 'node:fs'
import iconv from 'iconv-lite'
import { describe, expect, it } from 'vitest'
import { runCli } from '../support/cli'

const lines = (out: string): Record<string, unknown>[] =>
  out
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>)

describe('socket-lab route', () => {
  it('--input - : route print from a Chinese console (CP936 on stdin), one route-entry a route, then what was parsed', async () => {
    const bytes = iconv.encode(readFileSync('test/fixtures/route/win-zh-route-print-1.txt', 'utf8'), 'cp936')
    const r = await runCli(['route', '--input', '-', '--json'], { stdin: bytes })
    expect(r.code).toBe(0)
    const ls = lines(r.out)
    expect(ls[0]).toEqual({
      event: 'route-entry',
      destination: '0.0.0.0',
      prefix: 0,
      gateway: '192.168.12.1',
      interface: '192.168.12.39',
      metric: 35,
    })
    expect(ls[1]).toMatchObject({ via: '在链路上', gateway: null })
    expect(ls.at(-1)).toEqual({ event: 'parsed', format: 'windows', routes: 30, defaultGateway: '192.168.12.1' })
  })

  it('HOST: loopback never leaves the machine; a name that does not resolve exits 1', async () => {
    const r = await runCli(['route', '127.0.0.1', '--json'])
    expect(r.code).toBe(0)
    expect(lines(r.out)[0]).toMatchObject({
      event: 'route',
      destination: '127.0.0.1',
      source: '127.0.0.1',
      loopback: true,
      gateway: null,
    })
    const bad = await runCli(['route', 'no-such-host.invalid'])
    expect(bad.code).toBe(1)
    expect(bad.err).toContain('does not resolve')
  })

  it('--input an ipconfig /all (Chinese): each adapter’s gateway and DNS servers, where no route table is at hand', async () => {
    const r = await runCli(['route', '--input', 'test/fixtures/route/win-zh-ipconfig-all-1.txt', '--json'])
    expect(r.code).toBe(0)
    expect(lines(r.out).at(-1)).toEqual({
      event: 'parsed',
      format: 'ipconfig',
      routes: 0,
      defaultGateway: '10.1.1.1',
      dnsServers: ['192.168.91.208', '114.114.114.114'],
    })
  })

  it('bad input exits 2: text that is no table, a file not there, a format not known', async () => {
    const junk = await runCli(['route', '--input', '-'], { stdin: Buffer.from('hello\n') })
    expect(junk.code).toBe(2)
    expect(junk.err).toContain('no route table found')
    expect((await runCli(['route', '--input', 'nope.txt'])).err).toContain('ENOENT')
    expect((await runCli(['route', '--input', '-', '--format', 'dos'])).code).toBe(2)
  })
})

describe('socket-lab neighbors --watch', () => {
  it('an interval past what a timer holds is refused (exit 2), not read every millisecond', async () => {
    const r = await runCli(['neighbors', '--watch', '--interval', '1e12'])
    expect(r.code).toBe(2)
    expect(r.err).toContain('--interval must be a whole number from 100 to')
    expect(r.err).not.toContain('TimeoutOverflowWarning')
  })
})

describe('socket-lab neighbors --input', () => {
  it('arp -a in French: the rows as neighbors --json prints them, then parsed', async () => {
    const r = await runCli(['neighbors', '--input', 'test/fixtures/arp/windows-fr.txt', '--json'])
    expect(r.code).toBe(0)
    const ls = lines(r.out)
    expect(ls.at(-1)).toEqual({ event: 'parsed', format: 'windows', rows: ls.length - 1 })
    // statique is static; the interface named by its address, as arp -a does
    expect(ls[0]).toEqual({
      ip: '192.168.56.255',
      mac: 'ff:ff:ff:ff:ff:ff',
      interface: '192.168.56.1',
      state: 'static',
    })
    const junk = await runCli(['neighbors', '--input', '-'], { stdin: Buffer.from('nothing here\n') })
    expect(junk.code).toBe(2)
    expect(junk.err).toContain('no neighbour table found')
  })
})
