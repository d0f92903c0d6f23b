import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { formatIPv4, parseIPv4, parseMask, prefixOf, sameSubnet, toBinary } from '../../../src/renderer/src/lib/ipcalc'
import { macInfo } from '../../../src/renderer/src/lib/oui'

describe('IPv4 as a 32-bit number', () => {
  it('the course’s example: 172.16.10.1 and 172.16.10.2 with 255.255.255.0 share 172.16.10.0', () => {
    const r = sameSubnet('172.16.10.1', '172.16.10.2', '255.255.255.0')!
    expect(r.same).toBe(true)
    expect(formatIPv4(r.netA)).toBe('172.16.10.0')
    expect(toBinary(r.a)).toBe('10101100.00010000.00001010.00000001')
    expect(sameSubnet('192.168.1.1', '192.168.2.1', '/24')!.same).toBe(false)
    expect(sameSubnet('192.168.1.1', '192.168.2.1', '16')!.same).toBe(true)
  })

  it('round-trips every address, and rejects what is not one', () => {
    fc.assert(fc.property(fc.nat({ max: 0xffffffff }), (n) => parseIPv4(formatIPv4(n)) === n))
    for (const bad of ['256.1.1.1', '1.2.3', '01.2.3.4', 'a.b.c.d', '1.2.3.4.5']) expect(parseIPv4(bad)).toBeUndefined()
    expect(parseIPv4('192.168.1.1')).toBe(3232235777)
  })

  it('masks: dotted or prefix, contiguous only', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 32 }), (p) => prefixOf(parseMask(`/${p}`)!) === p))
    expect(parseMask('255.255.255.0')).toBe(0xffffff00)
    expect(parseMask('255.0.255.0')).toBeUndefined()
    expect(parseMask('/33')).toBeUndefined()
  })
})

describe('MAC addresses', () => {
  it('names the maker by OUI and flags locally administered and multicast addresses', () => {
    expect(macInfo('08:00:27:12:34:56')).toEqual({
      oui: '08:00:27',
      vendor: 'Oracle VirtualBox',
      zero: false,
      local: false,
      multicast: false,
    })
    expect(macInfo('02-42-AC-11-00-02')).toMatchObject({ vendor: 'Docker', local: true })
    expect(macInfo('00:00:00:00:00:00')).toMatchObject({ zero: true }) // named by the UI, in its language
    expect(macInfo('00:00:00:00:00:00')).not.toHaveProperty('vendor')
    expect(macInfo('01:00:5e:00:00:fb')).toMatchObject({ multicast: true })
    expect(macInfo('not a mac')).toBeUndefined()
  })
})
