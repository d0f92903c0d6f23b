import { describe, expect, it } from 'vitest'
import type { Endpoint } from '../../src/shared/contract'
import { dialable, formatEndpoint, isLoopback, isWildcard, matchAddress, plainAddress } from '../../src/shared/endpoint'

describe('endpoints', () => {
  it('are written host:port, IPv6 in brackets, with or without a family', () => {
    const v4: Endpoint = { address: '127.0.0.1', port: 80, family: 'IPv4' }
    const mapped: Endpoint = { address: '::ffff:10.0.0.1', port: 1, family: 'IPv6' }
    expect(formatEndpoint(v4)).toBe('127.0.0.1:80')
    expect(formatEndpoint({ address: '::1', port: 80 })).toBe('[::1]:80')
    expect(formatEndpoint(mapped)).toBe('[::ffff:10.0.0.1]:1')
  })

  it('know loopback from everything else', () => {
    for (const a of ['127.0.0.1', '127.1.2.3', '::1', '::ffff:127.0.0.1']) expect(isLoopback(a), a).toBe(true)
    for (const a of ['0.0.0.0', '::', '192.168.1.20', '::11', 'fe80::1']) expect(isLoopback(a), a).toBe(false)
  })

  it('dial a wildcard bind through loopback of its family, any other address as it is', () => {
    expect(['0.0.0.0', '::', '192.168.1.20', '::1'].map(dialable)).toEqual(['127.0.0.1', '::1', '192.168.1.20', '::1'])
  })

  it('write an IPv4-mapped IPv6 address as the IPv4 address it is', () => {
    expect(['::ffff:127.0.0.1', '::FFFF:10.0.0.2', '::ffff:7f00:1', 'fe80::1'].map(plainAddress)).toEqual([
      '127.0.0.1',
      '10.0.0.2',
      '::ffff:7f00:1',
      'fe80::1',
    ])
  })
})

describe('matchAddress', () => {
  it('compares link-local addresses without their scope, and mapped IPv4 as IPv4', () => {
    expect(['fe80::1%eth0', 'fe80::1%12', 'fe80::1%en0', 'fe80::1'].map(matchAddress)).toEqual(Array(4).fill('fe80::1'))
    expect(matchAddress('::ffff:127.0.0.1')).toBe('127.0.0.1')
    expect(matchAddress('2001:da8::5')).toBe('2001:da8::5')
  })
})

describe('isWildcard', () => {
  it('is 0.0.0.0 and :: only', () => {
    expect(['0.0.0.0', '::'].every(isWildcard)).toBe(true)
    expect(['127.0.0.1', '::1', '', '0.0.0.1', '::0:1'].some(isWildcard)).toBe(false)
  })
})
