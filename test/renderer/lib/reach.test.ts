import { describe, expect, it } from 'vitest'
import type { NetInterface, SocketInfo } from '../../../src/shared/contract'
import { isLinkLocal, isVirtualAdapter, reachable, samePortServers } from '../../../src/renderer/src/lib/reach'

const nic = (name: string, address: string, family: 'IPv4' | 'IPv6' = 'IPv4', internal = false): NetInterface => ({
  name,
  address,
  family,
  netmask: '',
  mac: '00:00:00:00:00:00',
  internal,
  cidr: null,
})

/** A teacher's Windows laptop with WSL, Hyper-V's default switch, VMware and the campus Wi-Fi. */
const laptop = [
  nic('Loopback Pseudo-Interface 1', '127.0.0.1', 'IPv4', true),
  nic('vEthernet (WSL)', '172.29.48.1'),
  nic('vEthernet (Default Switch)', '172.20.112.1'),
  nic('VMware Network Adapter VMnet8', '192.168.142.1'),
  nic('WLAN', '10.21.34.56'),
  nic('WLAN', 'fe80::5c1a:2b3c:4d5e:6f70', 'IPv6'),
  nic('WLAN', '2001:da8:8000:1::56', 'IPv6'),
  nic('以太网', '169.254.12.7'),
]

describe('reachable (where classmates connect)', () => {
  it('a wildcard bind offers the campus adapter only: no virtual adapter, no link-local address', () => {
    expect(reachable({ address: '0.0.0.0', port: 8001, family: 'IPv4' }, laptop).map((e) => e.address)).toEqual([
      '10.21.34.56',
    ])
    expect(reachable({ address: '::', port: 8001, family: 'IPv6' }, laptop).map((e) => e.address)).toEqual([
      '10.21.34.56',
      '2001:da8:8000:1::56',
    ])
  })

  it('a PC with only virtual adapters still gets them (better something than nothing)', () => {
    const vm = [nic('vEthernet (WSL)', '172.29.48.1'), nic('docker0', '172.17.0.1')]
    expect(reachable({ address: '0.0.0.0', port: 1, family: 'IPv4' }, vm)).toHaveLength(2)
  })

  it('loopback: nobody else; one address: that one', () => {
    expect(reachable({ address: '127.0.0.1', port: 1, family: 'IPv4' }, laptop)).toEqual([])
    expect(reachable({ address: '10.21.34.56', port: 1, family: 'IPv4' }, laptop)).toHaveLength(1)
  })

  it('names the virtual adapters of Windows, macOS and Linux, and not real ones', () => {
    for (const n of [
      'vEthernet (WSL)',
      'VMware Network Adapter VMnet1',
      'VirtualBox Host-Only Network',
      'vboxnet0',
      'docker0',
      'br-3f2a1b',
      'virbr0',
      'utun3',
      'bridge100',
    ])
      expect(isVirtualAdapter(n), n).toBe(true)
    for (const n of ['WLAN', 'Ethernet', '以太网', 'Wi-Fi', 'en0', 'eth0', 'wlp2s0', 'enp3s0'])
      expect(isVirtualAdapter(n), n).toBe(false)
    expect(['fe80::1', 'FEBF::1', '169.254.1.1'].every(isLinkLocal)).toBe(true)
    expect(['fec0::1', '2001:da8::1', '10.0.0.1', '169.25.1.1'].some(isLinkLocal)).toBe(false)
  })
})

describe('samePortServers (a second server Windows and macOS let listen)', () => {
  const srv = (id: string, address: string, port = 8001, state: SocketInfo['state'] = 'listening'): SocketInfo => ({
    id,
    kind: 'tcp-server',
    state,
    local: { address, port, family: address.includes(':') ? 'IPv6' : 'IPv4' },
    bytesIn: 0,
    bytesOut: 0,
  })
  it('a wildcard beside one address, or the same address, on the same port; not another port, a closed one, or other families', () => {
    const any = srv('s1', '0.0.0.0')
    const lo = srv('s2', '127.0.0.1')
    const all = [
      any,
      lo,
      srv('s3', '127.0.0.1', 8002),
      srv('s4', '0.0.0.0', 8001, 'closed'),
      srv('s5', '::1'),
      srv('s6', '::'),
    ]
    expect(samePortServers(lo, all).map((s) => s.id)).toEqual(['s1', 's6']) // :: is dual-stack
    expect(samePortServers(any, all).map((s) => s.id)).toEqual(['s2', 's6'])
    expect(samePortServers(srv('s7', '10.0.0.5'), [srv('s8', '127.0.0.1')])).toEqual([])
    expect(samePortServers(srv('s5', '::1'), all).map((s) => s.id)).toEqual(['s6'])
  })
})
