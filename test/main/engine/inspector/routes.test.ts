/**
 * Route tables printed on other machines (test/fixtures/route, real captures), read by the shape of
 * addresses in any language; the route decision's subnet check; this machine's own route to
 * loopback and to an address beyond its gateway.
 */
import { readFileSync } from 'node:fs'
import iconv from 'iconv-lite'
import { describe, expect, it } from 'vitest'
import { decodeConsole } from '../../../../src/main/engine/inspector/netstat-windows'
import { bestRoute, routeTo, sameNet } from '../../../../src/main/engine/inspector/route-to'
import { defaultGateway, guessRouteFormat, parseRoutes } from '../../../../src/main/engine/inspector/routes'

const fixture = (f: string): string => readFileSync(`test/fixtures/route/${f}`, 'utf8')
const read = (f: string) => {
  const text = fixture(f)
  const format = guessRouteFormat(text)!
  return { format, routes: parseRoutes(text, format) }
}

describe('route tables from other machines', () => {
  it('Windows route print in Chinese: 24 IPv4 and 6 IPv6 active routes, 在链路上 kept as written, the persistent section not taken twice', () => {
    const { format, routes } = read('win-zh-route-print-1.txt')
    expect(format).toBe('windows')
    expect(routes).toHaveLength(30)
    expect(routes[0]).toEqual({
      destination: '0.0.0.0',
      prefix: 0,
      gateway: '192.168.12.1',
      interface: '192.168.12.39',
      metric: 35,
    })
    expect(routes[1]).toEqual({
      destination: '127.0.0.0',
      prefix: 8,
      gateway: null,
      via: '在链路上',
      interface: '127.0.0.1',
      metric: 331,
    })
    // the IPv6 row whose gateway wrapped onto the next line
    expect(routes.find((r) => r.destination === 'fe80::18cf:69a1:ca29:2cd4')).toMatchObject({
      prefix: 128,
      via: '在链路上',
      interface: '10',
    })
    expect(defaultGateway(routes)).toBe('192.168.12.1')
  })

  it('the same table as the Chinese console wrote it (CP936 bytes): the same routes', () => {
    const bytes = iconv.encode(fixture('win-zh-route-print-1.txt'), 'cp936')
    const text = decodeConsole(bytes).text
    expect(parseRoutes(text, 'windows')).toEqual(read('win-zh-route-print-1.txt').routes)
  })

  it('German netstat -rn (a two-word “Auf Verbindung”), French and English route print: their default gateways', () => {
    const de = read('win-de-netstat-rn-1.txt')
    expect(de.routes.find((r) => r.destination === '127.0.0.0')).toMatchObject({
      gateway: null,
      via: 'Auf Verbindung',
      metric: 306,
    })
    expect(defaultGateway(de.routes)).toBe('192.168.2.1')
    expect(defaultGateway(read('win-fr-route-print-1.txt').routes)).toBe('10.33.3.253')
    const en = read('win-en-route-print-1.txt')
    expect(defaultGateway(en.routes)).toBe('192.168.31.1')
    // the persistent route 157.0.0.0/8 is in the active table (with its interface) and again in
    // its own section (without): taken once
    expect(en.routes.filter((r) => r.destination === '157.0.0.0')).toEqual([
      { destination: '157.0.0.0', prefix: 8, gateway: '157.55.80.1', interface: '127.0.0.1', metric: 78 },
    ])
  })

  it('macOS netstat -rn (abbreviated networks, link#N, MACs as gateways) and route -n get', () => {
    const mac = read('mac-netstat-rn-1.txt')
    expect(mac.format).toBe('bsd')
    expect(mac.routes.find((r) => r.destination === '10.10.56.0')).toEqual({
      destination: '10.10.56.0',
      prefix: 24,
      gateway: null,
      via: 'link#9',
      interface: 'en0',
      metric: null,
    })
    expect(mac.routes.find((r) => r.destination === '127.0.0.0')).toMatchObject({
      prefix: 8,
      gateway: '127.0.0.1',
      interface: 'lo0',
    })
    expect(defaultGateway(mac.routes)).toBe('10.10.56.1')
    expect(read('mac-route-n-get-default-1.txt').routes).toEqual([
      { destination: '0.0.0.0', prefix: 0, gateway: '10.33.79.254', interface: 'en0', metric: null },
    ])
  })

  it('Linux ip route, ip -j route get, /proc/net/route', () => {
    const ip = read('linux-ip-route-1.txt').routes
    expect(ip).toHaveLength(4)
    expect(ip[0]).toEqual({ destination: '0.0.0.0', prefix: 0, gateway: '10.0.2.2', interface: 'enp0s3', metric: 100 })
    expect(read('linux-ip-j-route-get-1.json').routes).toEqual([
      { destination: '169.55.126.1', prefix: 32, gateway: '169.55.126.145', interface: 'baremetal', metric: null },
    ])
    expect(defaultGateway(read('linux-proc-net-route-1.txt').routes)).toBe('192.168.71.2')
  })

  it('text that is no route table: no format, no routes', () => {
    expect(guessRouteFormat('hello\nworld\n')).toBeUndefined()
  })
})

describe('the route decision', () => {
  it('the subnet check, IPv4 and IPv6; the most specific route wins', () => {
    expect(sameNet('192.168.1.20', '192.168.1.200', 24)).toBe(true)
    expect(sameNet('192.168.1.20', '192.168.2.20', 24)).toBe(false)
    expect(sameNet('192.168.1.20', '192.168.2.20', 16)).toBe(true)
    expect(sameNet('10.0.0.1', '99.0.0.1', 0)).toBe(true)
    expect(sameNet('fd00::1', 'fd00::2', 64)).toBe(true)
    expect(sameNet('fd00::1', 'fd01::2', 64)).toBe(false)
    const { routes } = read('win-zh-route-print-1.txt')
    expect(bestRoute(routes, '192.168.12.77')).toMatchObject({ destination: '192.168.12.0', prefix: 24, gateway: null })
    expect(bestRoute(routes, '8.8.8.8')).toMatchObject({ destination: '0.0.0.0', gateway: '192.168.12.1' })
  })

  it('to this machine’s loopback: the packet never leaves it', async () => {
    const r = await routeTo('127.0.0.1')
    expect(r).toMatchObject({
      destination: '127.0.0.1',
      source: '127.0.0.1',
      sameSubnet: true,
      loopback: true,
      gateway: null,
    })
  })

  it('a name that does not resolve: said so', async () => {
    await expect(routeTo('no-such-host.invalid')).rejects.toMatchObject({ code: 'ENOTFOUND' })
  })
})
