/**
 * ipconfig /all from other machines (English and Chinese, the latter also in its console's
 * CP936 bytes): each adapter's gateway and DNS servers; resolvectl's upstream servers; the
 * resolver's servers cross-checked where Node's answer hides them (Windows' 127.0.0.1).
 */
import dns from 'node:dns'
import { readFileSync } from 'node:fs'
import iconv from 'iconv-lite'
import { afterEach, describe, expect, it } from 'vitest'
import { parseResolvectl, resolverServers } from '../../../../src/main/engine/dns/query'
import { ipconfigSummary, looksLikeIpconfig, parseIpconfig } from '../../../../src/main/engine/inspector/ipconfig'
import { decodeConsole } from '../../../../src/main/engine/inspector/netstat-windows'

const fixture = (f: string): string => readFileSync(`test/fixtures/route/${f}`, 'utf8')

describe('ipconfig /all', () => {
  it('Chinese: 默认网关 and DNS 服务器 with its second server on the next line; a PPP gateway 0.0.0.0 is none', () => {
    const a = parseIpconfig(fixture('win-zh-ipconfig-all-1.txt'))
    expect(a).toEqual([
      { name: '以太网适配器 Ethernet1', gateways: ['10.1.1.1'], dnsServers: ['192.168.91.208', '114.114.114.114'] },
      { name: 'PPP 适配器 L2TP_Over_IPSEC', gateways: [], dnsServers: ['114.114.114.114'] },
    ])
    expect(ipconfigSummary(a)).toEqual({
      defaultGateway: '10.1.1.1',
      dnsServers: ['192.168.91.208', '114.114.114.114'],
    })
    // as the console wrote it
    const bytes = iconv.encode(fixture('win-zh-ipconfig-all-1.txt'), 'cp936')
    expect(parseIpconfig(decodeConsole(bytes).text)).toEqual(a)
  })

  it('English: the gateway of the adapter that has one, IPv6 DNS servers without their zone', () => {
    const text = fixture('win-en-ipconfig-all-1.txt')
    expect(looksLikeIpconfig(text)).toBe(true)
    const sum = ipconfigSummary(parseIpconfig(text))
    expect(sum.defaultGateway).toBe('10.50.13.1')
    expect(sum.dnsServers).toEqual(['fec0:0:0:ffff::1', 'fec0:0:0:ffff::2', 'fec0:0:0:ffff::3', '10.50.13.1'])
    expect(looksLikeIpconfig(fixture('win-zh-route-print-1.txt'))).toBe(false)
  })
})

describe('the resolver’s servers', () => {
  const before = dns.getServers()
  afterEach(() => dns.setServers(before))

  it('resolvectl status: the current and listed servers, once each', () => {
    const text = `Global
       Protocols: +LLMNR +mDNS -DNSOverTLS
Link 2 (eth0)
Current DNS Server: 192.168.1.1
       DNS Servers: 192.168.1.1 1.1.1.1
                    2606:4700:4700::1111
        DNS Domain: lan
`
    expect(parseResolvectl(text)).toEqual(['192.168.1.1', '1.1.1.1', '2606:4700:4700::1111'])
  })

  it('Windows, where Node says 127.0.0.1: ipconfig /all’s servers instead, said so', async () => {
    dns.setServers(['127.0.0.1'])
    const ipconfig = iconv.encode(fixture('win-zh-ipconfig-all-1.txt'), 'cp936')
    const runner = async (cmd: string): Promise<Buffer> =>
      cmd === 'ipconfig' ? ipconfig : cmd === 'chcp' ? Buffer.from('活动代码页: 936\r\n') : Buffer.alloc(0)
    const r = await resolverServers('win32', runner)
    expect(r.servers).toEqual(['192.168.91.208', '114.114.114.114'])
    expect(r.note).toContain('nodejs/node#62748')
    // ipconfig not there: the loopback answer stays, called unknown
    const none = await resolverServers('win32', () => Promise.reject(new Error('ENOENT')))
    expect(none).toMatchObject({ servers: ['127.0.0.1'], note: expect.stringContaining('unknown') })
  })

  it('Linux with systemd-resolved’s stub: kept (it answers), its upstream servers named', async () => {
    dns.setServers(['127.0.0.53'])
    const r = await resolverServers('linux', async () => Buffer.from('Current DNS Server: 10.0.0.1\n'))
    expect(r).toEqual({ servers: ['127.0.0.53'], note: expect.stringMatching(/stub.*it asks 10\.0\.0\.1$/) })
  })
})
