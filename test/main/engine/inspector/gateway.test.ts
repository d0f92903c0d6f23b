/**
 * The default gateway from route tables captured on other machines (test/fixtures/route: Linux,
 * macOS, Windows in Chinese, English, French and German), this machine's own, and the DNS servers'
 * notes.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import {
  dnsServers,
  parseProcNetRoute,
  parseRouteGetDefault,
  parseRoutePrint,
  readGateway,
} from '../../../../src/main/engine/inspector/gateway'
import { readNeighbors } from '../../../../src/main/engine/inspector/neighbors'

const fixture = (f: string): string => readFileSync(`test/fixtures/route/${f}`, 'utf8')

describe('the default gateway', () => {
  it('Linux /proc/net/route: the default route’s gateway, little-endian hex, with its interface', () => {
    expect(parseProcNetRoute(fixture('linux-proc-net-route-1.txt'))).toEqual({
      address: '192.168.71.2',
      interface: 'ens33',
    })
    // the lower metric wins; a default route without a gateway (point-to-point) is none
    const two =
      'Iface\tDestination\tGateway\tFlags\tRefCnt\tUse\tMetric\tMask\nwlan0\t00000000\t0101A8C0\t0003\t0\t0\t600\t00000000\neth0\t00000000\t0100000A\t0003\t0\t0\t100\t00000000\n'
    expect(parseProcNetRoute(two)).toEqual({ address: '10.0.0.1', interface: 'eth0' })
    expect(
      parseProcNetRoute(
        'Iface\tDestination\tGateway\tFlags\tRefCnt\tUse\tMetric\tMask\nppp0\t00000000\t00000000\t0001\t0\t0\t0\t00000000\n',
      ),
    ).toBeNull()
    expect(parseProcNetRoute('')).toBeNull()
  })

  it('macOS route -n get default', () => {
    expect(parseRouteGetDefault(fixture('mac-route-n-get-default-1.txt'))).toEqual({
      address: '10.33.79.254',
      interface: 'en0',
    })
    expect(parseRouteGetDefault('route: writing to routing socket: not in table\n')).toBeNull()
  })

  it('Windows route print in any display language, read by the shape of its rows', () => {
    expect(parseRoutePrint(fixture('win-zh-route-print-1.txt'))).toEqual({
      address: '192.168.12.1',
      interface: '192.168.12.39',
    })
    expect(parseRoutePrint(fixture('win-en-route-print-1.txt'))).toEqual({
      address: '192.168.31.1',
      interface: '192.168.31.221',
    })
    expect(parseRoutePrint(fixture('win-fr-route-print-1.txt'))).toEqual({
      address: '10.33.3.253',
      interface: '10.33.1.139',
    })
    expect(parseRoutePrint(fixture('win-de-netstat-rn-1.txt'))).toEqual({
      address: '192.168.2.1',
      interface: '192.168.2.111',
    })
    expect(parseRoutePrint('0.0.0.0 0.0.0.0 On-link 127.0.0.1 331')).toBeNull()
  })

  it('this machine: Linux reads /proc/net/route; an OS with no route table is null, not an error', async () => {
    if (process.platform === 'linux') {
      const g = await readGateway('linux')
      expect(g === null || /^\d+\.\d+\.\d+\.\d+$/.test(g.address)).toBe(true)
    }
    expect(await readGateway('linux', undefined, '/nonexistent/route')).toBeNull()
    expect(await readGateway('aix' as NodeJS.Platform)).toBeNull()
    // the neighbour table carries them
    const t = await readNeighbors()
    expect(t).toHaveProperty('gateway')
    expect(t.dns?.servers).toBeInstanceOf(Array)
  })
})

describe('the DNS servers', () => {
  it('says what a stub or a loopback answer hides, and strips ports', () => {
    expect(dnsServers('linux', ['127.0.0.53'])).toEqual({ servers: ['127.0.0.53'], note: 'systemd-stub' })
    expect(dnsServers('win32', ['127.0.0.1'])).toEqual({ servers: [], note: 'windows-loopback' })
    expect(dnsServers('darwin', ['192.168.1.1', '[2001:db8::1]:53'])).toEqual({
      servers: ['192.168.1.1', '2001:db8::1'],
    })
  })
})
