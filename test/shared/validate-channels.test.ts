/**
 * Every channel's validator, field by field: the defaults it fills, each limit accepted at its
 * edge and refused one past it (with the field and the reason the UI translates), and the wrong
 * types. What a hostile or buggy page may send is decided here, before the engine sees it.
 */
import { describe, expect, it } from 'vitest'
import { LIMITS } from '../../src/shared/contract'
import type { Channel } from '../../src/shared/contract'
import { validators, ValidationError } from '../../src/shared/validate'

type V = (raw: unknown) => unknown
const v = (c: string): V => (validators as unknown as Record<string, V>)[c]!

function refused(c: string, raw: unknown, field: string, reason: string): void {
  let err: unknown
  try {
    v(c)(raw)
  } catch (e) {
    err = e
  }
  expect(err, `${c} ${JSON.stringify(raw)?.slice(0, 80)}`).toBeInstanceOf(ValidationError)
  expect({ field: (err as ValidationError).field, reason: (err as ValidationError).reason }).toEqual({ field, reason })
  expect((err as ValidationError).toLabError()).toMatchObject({ code: 'EINVAL', field, reason })
}

/** A whole-number field: min and max pass through, one past either end and a fraction are refused. */
function intEdges(c: string, base: Record<string, unknown>, field: string, min: number, max: number): void {
  for (const ok of [min, max]) expect((v(c)({ ...base, [field]: ok }) as Record<string, unknown>)[field]).toBe(ok)
  for (const bad of [min - 1, max + 1, min + 0.5, String(min), null])
    refused(c, { ...base, [field]: bad }, field, 'int-range')
}
function boolField(c: string, base: Record<string, unknown>, field: string, dflt: boolean): void {
  expect((v(c)(base) as Record<string, unknown>)[field]).toBe(dflt)
  expect((v(c)({ ...base, [field]: !dflt }) as Record<string, unknown>)[field]).toBe(!dflt)
  for (const bad of [1, 'true', null]) refused(c, { ...base, [field]: bad }, field, 'boolean')
}
function oneOfField(c: string, base: Record<string, unknown>, field: string, allowed: string[], dflt?: string): void {
  if (dflt !== undefined) expect((v(c)(base) as Record<string, unknown>)[field]).toBe(dflt)
  for (const ok of allowed) expect((v(c)({ ...base, [field]: ok }) as Record<string, unknown>)[field]).toBe(ok)
  for (const bad of ['nope', allowed[0]!.toUpperCase() + 'x', 3]) refused(c, { ...base, [field]: bad }, field, 'one-of')
}

/** The channels whose request carries nothing. */
const NO_DATA: Channel[] = [
  'app:info',
  'net:interfaces',
  'socket:list',
  'backlog:mode',
  'capture:stop',
  'tls:cert',
  'settings:get',
  'check:exercises',
  'os:neighbors',
  'dns:stop',
]

describe('requests that carry no data', () => {
  it('take nothing and give nothing', () => {
    for (const c of NO_DATA) expect(v(c)({ anything: 1 })).toBeUndefined()
  })
})

describe('a socket id', () => {
  it('is letters then digits (s1, c67, run3), nothing else', () => {
    for (const c of ['socket:close', 'tcp:shutdown', 'tcp:reset', 'tcp:received']) {
      expect(v(c)({ id: 's1' })).toEqual({ id: 's1' })
      expect(v(c)({ id: 'c67' })).toEqual({ id: 'c67' })
      for (const bad of ['', '1', 's', 'S1', 's1x', ' s1', 's-1', 7, undefined])
        refused(c, { id: bad }, 'id', 'id-syntax')
      refused(c, null, 'request', 'not-object')
      refused(c, ['s1'], 'request', 'not-object')
      refused(c, 's1', 'request', 'not-object')
    }
    expect(v('check:stop')({ run: 'r2' })).toEqual({ run: 'r2' })
  })
})

describe('TLS in tcp:listen and tcp:connect', () => {
  const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n'
  const KEY = '-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n'
  it('the key log: on or off', () => {
    expect(v('tls:keylog')({ on: true })).toEqual({ on: true })
    refused('tls:keylog', { on: 'yes' }, 'on', 'boolean')
  })
  it('a server: the lab’s own certificate, or a PEM certificate and its key together', () => {
    const listen = (tls: unknown) => v('tcp:listen')({ host: '127.0.0.1', port: 0, tls })
    expect(listen({})).toMatchObject({ tls: {} })
    expect(listen({ cert: PEM, key: KEY })).toMatchObject({ tls: { cert: PEM, key: KEY } })
    refused('tcp:listen', { host: '127.0.0.1', port: 0, tls: { cert: PEM } }, 'tls', 'tls-pair')
    refused('tcp:listen', { host: '127.0.0.1', port: 0, tls: { cert: 'MIIB', key: KEY } }, 'tls.cert', 'pem')
    refused('tcp:listen', { host: '127.0.0.1', port: 0, tls: true }, 'tls', 'not-object')
  })
  it('a client: verify, trust a PEM, or insecure; a server name and ALPN names', () => {
    const connect = (tls: unknown) => v('tcp:connect')({ host: '127.0.0.1', port: 1, tls })
    expect(connect({ trust: 'verify', servername: 'teacher.lab', alpn: ['http/1.1'] })).toMatchObject({
      tls: { trust: 'verify', servername: 'teacher.lab', alpn: ['http/1.1'] },
    })
    expect(connect({ trust: 'ca', ca: PEM })).toMatchObject({ tls: { trust: 'ca', ca: PEM } })
    refused('tcp:connect', { host: '127.0.0.1', port: 1, tls: { trust: 'ca' } }, 'tls.ca', 'pem')
    refused('tcp:connect', { host: '127.0.0.1', port: 1, tls: { trust: 'maybe' } }, 'tls.trust', 'one-of')
    refused(
      'tcp:connect',
      { host: '127.0.0.1', port: 1, tls: { trust: 'verify', servername: 'a b' } },
      'tls.servername',
      'host-syntax',
    )
    refused(
      'tcp:connect',
      { host: '127.0.0.1', port: 1, tls: { trust: 'verify', alpn: ['h2', ''] } },
      'tls.alpn',
      'alpn',
    )
  })
})

describe('capture:start', () => {
  it('takes an interface as the OS names it, or none; never one that reads as an option', () => {
    expect(v('capture:start')(undefined)).toEqual({})
    expect(v('capture:start')({})).toEqual({})
    for (const iface of [
      'lo',
      'eth0',
      'en0',
      'any',
      'wlp2s0',
      'br-lan.10',
      '\\Device\\NPF_{4E273621-5161-46C8-895A-48D0E52A0B83}',
    ])
      expect(v('capture:start')({ iface })).toEqual({ iface })
    for (const bad of ['', '-w', '--immediate-mode', 'eth0; rm -rf /', 'a b', 'x'.repeat(101), 7, null])
      refused('capture:start', { iface: bad }, 'iface', 'iface')
  })
})

describe('tcp:listen', () => {
  const base = { host: '127.0.0.1', port: 0 }
  it('fills its defaults', () => {
    expect(v('tcp:listen')(base)).toEqual({
      ...base,
      backlog: 5,
      mode: 'plain',
      reply: 'none',
      encoding: 'utf-8',
      rules: [],
    })
  })
  it('bounds each field', () => {
    intEdges('tcp:listen', base, 'backlog', 0, LIMITS.maxBacklog)
    oneOfField('tcp:listen', base, 'mode', ['plain', 'serial', 'threaded', 'room'], 'plain')
    oneOfField('tcp:listen', base, 'encoding', ['utf-8', 'gbk'], 'utf-8')
    expect((v('tcp:listen')({ ...base, reply: 'echo' }) as { reply: string }).reply).toBe('echo')
    refused('tcp:listen', { ...base, reply: 'shout' }, 'reply', 'one-of')
    refused('tcp:listen', { ...base, port: 65536 }, 'port', 'port-range')
    refused('tcp:listen', { port: 1 }, 'host', 'host-syntax')
  })
  it('takes rules that parse, and refuses a rule that does not, one too long, or a list that is not one', () => {
    expect((v('tcp:listen')({ ...base, rules: ['hi=>hello'] }) as { rules: string[] }).rules).toEqual(['hi=>hello'])
    refused('tcp:listen', { ...base, rules: ['no arrow here'] }, 'rules', 'rule')
    refused('tcp:listen', { ...base, rules: ['x=>' + 'y'.repeat(500)] }, 'rules', 'rule')
    refused('tcp:listen', { ...base, rules: 'hi=>hello' }, 'rules', 'rule')
    refused('tcp:listen', { ...base, rules: [3] }, 'rules', 'rule')
  })
})

describe('tcp:connect and tcp:connectMany', () => {
  const base = { host: 'localhost', port: 8001 }
  it('fill their defaults', () => {
    expect(v('tcp:connect')(base)).toEqual({ ...base, timeoutMs: 10_000, greeting: '', capture: false })
    expect(v('tcp:connectMany')({ ...base, count: 3 })).toEqual({
      ...base,
      timeoutMs: 10_000,
      greeting: '',
      capture: false,
      count: 3,
    })
  })
  it('bound each field', () => {
    intEdges('tcp:connect', base, 'timeoutMs', 1, LIMITS.maxTimeoutMs)
    boolField('tcp:connect', base, 'capture', false)
    intEdges('tcp:connectMany', { ...base, count: 1 }, 'count', 1, LIMITS.maxClientsPerCall)
    refused('tcp:connectMany', base, 'count', 'int-range')
    refused('tcp:connect', { ...base, greeting: 5 }, 'data', 'payload-type')
  })
})

describe('sends', () => {
  it('tcp:send: an id, text, an encoding, a repeat', () => {
    const base = { id: 'c1', data: 'hi', encoding: 'utf-8' }
    expect(v('tcp:send')(base)).toEqual({ ...base, repeat: 1 })
    intEdges('tcp:send', base, 'repeat', 1, LIMITS.maxRepeat)
    oneOfField('tcp:send', base, 'encoding', ['utf-8', 'gbk', 'hex'])
    refused('tcp:send', { ...base, encoding: undefined }, 'encoding', 'one-of')
    refused('tcp:send', { ...base, data: ['hi'] }, 'data', 'payload-type')
    // exactly the limit in bytes passes; one byte more does not (3-byte characters count as 3)
    expect(() => v('tcp:send')({ ...base, data: 'a'.repeat(LIMITS.maxPayloadBytes) })).not.toThrow()
    refused('tcp:send', { ...base, data: 'a'.repeat(LIMITS.maxPayloadBytes + 1) }, 'data', 'payload-size')
    const third = Math.floor(LIMITS.maxPayloadBytes / 3)
    expect(() => v('tcp:send')({ ...base, data: '中'.repeat(third) })).not.toThrow()
    refused('tcp:send', { ...base, data: '中'.repeat(third + 1) }, 'data', 'payload-size')
  })

  it('udp:send: to an address (host and port together) or to the connected peer', () => {
    const base = { id: 'u1', data: 'x', encoding: 'hex' }
    expect(v('udp:send')(base)).toEqual({ ...base, repeat: 1, intervalMs: 0, seq: false })
    expect(v('udp:send')({ ...base, host: '10.0.0.1', port: 9 })).toMatchObject({ host: '10.0.0.1', port: 9 })
    refused('udp:send', { ...base, host: '10.0.0.1' }, 'port', 'port-range')
    refused('udp:send', { ...base, port: 9 }, 'port', 'port-range')
    intEdges('udp:send', base, 'repeat', 1, LIMITS.maxUdpRepeat)
    intEdges('udp:send', base, 'intervalMs', 0, 60_000)
    boolField('udp:send', base, 'seq', false)
  })
})

describe('backlog:listen', () => {
  const base = { host: '0.0.0.0', port: 8002 }
  it('fills its defaults and bounds the demo’s backlog lower than a server’s', () => {
    expect(v('backlog:listen')(base)).toEqual({ ...base, backlog: 5, reply: 'echo', serveMs: 0, encoding: 'utf-8' })
    intEdges('backlog:listen', base, 'backlog', 0, LIMITS.maxDemoBacklog)
    intEdges('backlog:listen', base, 'serveMs', 0, 3_600_000)
    oneOfField('backlog:listen', base, 'reply', ['echo', 'none'], 'echo')
    oneOfField('backlog:listen', base, 'encoding', ['utf-8', 'gbk'], 'utf-8')
  })
})

describe('udp:bind, udp:connect, udp:flood', () => {
  const base = { host: '0.0.0.0', port: 0 }
  it('udp:bind fills its defaults and checks the multicast group and interface', () => {
    expect(v('udp:bind')(base)).toEqual({
      ...base,
      broadcast: false,
      echo: false,
      multicast: '',
      multicastIface: '',
      recvBufferBytes: 0,
    })
    boolField('udp:bind', base, 'broadcast', false)
    boolField('udp:bind', base, 'echo', false)
    intEdges('udp:bind', base, 'recvBufferBytes', 0, 64 * 1024 * 1024)
    for (const ok of ['224.0.0.1', '239.255.255.255', '239.1.2.3'])
      expect((v('udp:bind')({ ...base, multicast: ok }) as { multicast: string }).multicast).toBe(ok)
    expect((v('udp:bind')({ ...base, multicast: '' }) as { multicast: string }).multicast).toBe('')
    for (const bad of ['223.255.255.255', '240.0.0.1', '10.0.0.1', 'ff02::1'])
      refused('udp:bind', { ...base, multicast: bad }, 'multicast', 'multicast')
    refused('udp:bind', { ...base, multicast: 'not a host' }, 'multicast', 'host-syntax')
    expect((v('udp:bind')({ ...base, multicastIface: '10.0.0.5' }) as { multicastIface: string }).multicastIface).toBe(
      '10.0.0.5',
    )
    expect((v('udp:bind')({ ...base, multicastIface: '' }) as { multicastIface: string }).multicastIface).toBe('')
    refused('udp:bind', { ...base, multicastIface: 'a b' }, 'multicastIface', 'host-syntax')
  })
  it('udp:connect wants an id, a host and a port', () => {
    expect(v('udp:connect')({ id: 'u2', host: '127.0.0.1', port: 9 })).toEqual({ id: 'u2', host: '127.0.0.1', port: 9 })
    refused('udp:connect', { id: 'u2', host: '127.0.0.1' }, 'port', 'port-range')
  })
  it('udp:flood fills its defaults and bounds each figure', () => {
    expect(v('udp:flood')({})).toEqual({ count: 10_000, size: 1000, burst: 1000, recvBufferBytes: 16384 })
    intEdges('udp:flood', {}, 'count', 1, 1_000_000)
    intEdges('udp:flood', {}, 'size', 8, 65_507)
    intEdges('udp:flood', {}, 'burst', 1, 1_000_000)
    intEdges('udp:flood', {}, 'recvBufferBytes', 0, 64 * 1024 * 1024)
  })
})

describe('the inspector and files', () => {
  it('os:sockets: all and fresh are booleans, false when left out (or no request at all)', () => {
    expect(v('os:sockets')(undefined)).toEqual({ all: false, fresh: false })
    boolField('os:sockets', {}, 'all', false)
    boolField('os:sockets', {}, 'fresh', false)
  })
  it('os:parse: text up to the payload limit, a known format or none', () => {
    expect(v('os:parse')({ text: 'x' })).toEqual({ text: 'x' })
    expect(v('os:parse')({ text: 'x', format: 'windows' })).toEqual({ text: 'x', format: 'windows' })
    refused('os:parse', { text: 'x', format: 'plan9' }, 'format', 'one-of')
    refused('os:parse', { text: 3 }, 'text', 'payload-type')
    expect(() => v('os:parse')({ text: 'a'.repeat(LIMITS.maxPayloadBytes) })).not.toThrow()
    refused('os:parse', { text: 'a'.repeat(LIMITS.maxPayloadBytes + 1) }, 'text', 'payload-size')
  })
  it('file:save: a plain file name and base64 up to the capture limit', () => {
    expect(v('file:save')({ name: 'a.bin', data: 'AAEC' })).toEqual({ name: 'a.bin', data: 'AAEC' })
    expect(v('file:save')({ name: 'x'.repeat(200), data: '' })).toEqual({ name: 'x'.repeat(200), data: '' })
    for (const bad of ['', 'x'.repeat(201), '../a', 'a/b', 'a\\b', 'a\0b', 3])
      refused('file:save', { name: bad, data: 'AA==' }, 'name', 'file-name')
    for (const bad of ['AAE', 'AA=A', 'A===', '!!!!', 3])
      refused('file:save', { name: 'a', data: bad }, 'data', 'base64')
    expect(() => v('file:save')({ name: 'a', data: 'AA==' })).not.toThrow()
    const max = LIMITS.maxCaptureBytes
    const justFits = 'A'.repeat(Math.floor(max / 3) * 4)
    expect(() => v('file:save')({ name: 'a', data: justFits })).not.toThrow()
    refused('file:save', { name: 'a', data: 'A'.repeat((Math.floor(max / 3) + 2) * 4) }, 'data', 'payload-size')
  })
})

describe('the checker’s file and lists', () => {
  it('check:parse: text within the limit and a plain file name', () => {
    expect(v('check:parse')({ text: '{}', file: 'ex.json' })).toEqual({ text: '{}', file: 'ex.json' })
    refused('check:parse', { text: 1, file: 'ex.json' }, 'text', 'payload-size')
    refused('check:parse', { text: 'a'.repeat(LIMITS.maxPayloadBytes + 1), file: 'e' }, 'text', 'payload-size')
    refused('check:parse', { text: '{}', file: 'a/b.json' }, 'name', 'file-name')
  })
})

describe('DNS and the route', () => {
  it('dns:query: a DNS name, a type, a server as IP[:PORT], the switches, a timeout in range', () => {
    expect(v('dns:query')({ name: 'www.jd.com' })).toEqual({ name: 'www.jd.com' })
    expect(
      v('dns:query')({
        name: 'server.lab',
        type: 'AAAA',
        server: '[::1]:8053',
        tcp: true,
        lookup: false,
        timeoutMs: 500,
      }),
    ).toEqual({ name: 'server.lab', type: 'AAAA', server: '[::1]:8053', tcp: true, lookup: false, timeoutMs: 500 })
    for (const bad of ['a..b', '京东.com', '', 7]) refused('dns:query', { name: bad }, 'name', 'dns-name')
    refused('dns:query', { name: 'a.lab', type: 'OPT' }, 'type', 'one-of')
    for (const bad of ['teacher', '10.0.0.1:99999', 53])
      refused('dns:query', { name: 'a.lab', server: bad }, 'server', 'dns-server')
    refused('dns:query', { name: 'a.lab', tcp: 'yes' }, 'tcp', 'boolean')
    for (const bad of [99, 30_001, 1.5])
      refused('dns:query', { name: 'a.lab', timeoutMs: bad }, 'timeoutMs', 'int-range')
    refused('dns:query', null, 'request', 'not-object')
  })
  it('dns:serve: an address to listen on, a port, records NAME=IP', () => {
    expect(v('dns:serve')({ host: '0.0.0.0', port: 8053, records: ['server.lab=10.0.0.3'] })).toEqual({
      host: '0.0.0.0',
      port: 8053,
      records: ['server.lab=10.0.0.3'],
    })
    refused('dns:serve', { host: 'teacher', port: 8053, records: [] }, 'host', 'host-syntax')
    refused('dns:serve', { host: '0.0.0.0', port: 70000, records: [] }, 'port', 'port-range')
    refused('dns:serve', { host: '0.0.0.0', port: 1, records: ['x.lab=10.0.0.300'] }, 'records.0', 'dns-record')
    refused('dns:serve', { host: '0.0.0.0', port: 1, records: 'x.lab=10.0.0.3' }, 'records', 'dns-record')
  })
  it('route:get: an address or a host name', () => {
    expect(v('route:get')({ host: '10.0.0.3' })).toEqual({ host: '10.0.0.3' })
    expect(v('route:get')({ host: 'www.jd.com' })).toEqual({ host: 'www.jd.com' })
    for (const bad of ['a b', '', 3]) refused('route:get', { host: bad }, 'host', 'host-syntax')
  })
})

// the type of every channel is covered above (a new channel without a test shows up here)
const covered: Channel[] = [
  ...NO_DATA,
  'socket:close',
  'tcp:shutdown',
  'tcp:reset',
  'tcp:received',
  'check:stop',
  'capture:start',
  'tls:keylog',
  'tcp:listen',
  'tcp:connect',
  'tcp:connectMany',
  'tcp:send',
  'udp:send',
  'backlog:listen',
  'udp:bind',
  'udp:connect',
  'udp:flood',
  'os:sockets',
  'os:parse',
  'file:save',
  'check:parse',
  'check:servers',
  'check:clients',
  'settings:set',
  'dns:query',
  'dns:serve',
  'route:get',
]
it('every channel has its validator tested (here, or the checker’s in validate.test.ts)', () => {
  expect(Object.keys(validators).sort()).toEqual([...covered].sort())
})
