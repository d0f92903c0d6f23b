import { readFileSync } from 'node:fs'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { LIMITS } from '../../src/shared/contract'
import { checkHost, checkPort, isIPv4, isIPv6, validators, ValidationError } from '../../src/shared/validate'

function rejects(fn: () => unknown, field: string, reason?: string): void {
  try {
    fn()
  } catch (e) {
    expect(e).toBeInstanceOf(ValidationError)
    expect((e as ValidationError).field).toBe(field)
    if (reason) expect((e as ValidationError).reason).toBe(reason)
    return
  }
  throw new Error('expected a ValidationError')
}

describe('ports', () => {
  it('accepts exactly the whole numbers 0..65535', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 65535 }), (p) => checkPort(p) === p))
    fc.assert(
      fc.property(
        fc.oneof(fc.integer({ max: -1 }), fc.integer({ min: 65536 }), fc.double({ noInteger: true }), fc.string()),
        (p) => {
          rejects(() => checkPort(p), 'port', 'port-range')
        },
      ),
    )
  })
})

describe('hosts', () => {
  it('accepts every IPv4 literal and rejects out-of-range octets', () => {
    fc.assert(fc.property(fc.ipV4(), (ip) => isIPv4(ip)))
    for (const bad of ['256.1.1.1', '1.2.3', '1.2.3.4.5', '01.2.3.4', '1.2.3.-4']) expect(isIPv4(bad)).toBe(false)
  })

  it('accepts every IPv6 literal', () => {
    fc.assert(fc.property(fc.ipV6(), (ip) => isIPv6(ip)))
    for (const good of ['::', '::1', 'fe80::1%eth0', '::ffff:127.0.0.1', '2001:db8::8a2e:370:7334'])
      expect(isIPv6(good)).toBe(true)
    for (const bad of [':::', '1::2::3', '12345::', 'g::1', '1:2:3:4:5:6:7:8:9']) expect(isIPv6(bad)).toBe(false)
  })

  it('accepts names and bracketed IPv6, rejects junk', () => {
    expect(checkHost('localhost')).toBe('localhost')
    expect(checkHost('example.com.')).toBe('example.com.')
    expect(checkHost('[::1]')).toBe('::1')
    expect(checkHost('  127.0.0.1 ')).toBe('127.0.0.1')
    for (const bad of ['', 'a b', '-a.com', 'a..b', 'http://x', '1.2.3.999', 'x'.repeat(64), 42]) {
      rejects(() => checkHost(bad), 'host', 'host-syntax')
    }
  })

  it('never throws anything but a ValidationError on arbitrary input', () => {
    fc.assert(
      fc.property(fc.anything(), (v) => {
        try {
          checkHost(v)
        } catch (e) {
          expect(e).toBeInstanceOf(ValidationError)
        }
      }),
    )
  })
})

describe('requests', () => {
  it('fills defaults for tcp:listen and tcp:connect', () => {
    expect(validators['tcp:listen']({ host: '0.0.0.0', port: 8001 })).toEqual({
      host: '0.0.0.0',
      port: 8001,
      backlog: 5,
      mode: 'plain',
      reply: 'none',
      encoding: 'utf-8',
      rules: [],
    })
    // rules are checked as the engine will read them: one that does not parse is refused
    expect(() => validators['tcp:listen']({ host: '0.0.0.0', port: 1, rules: ['no arrow'] })).toThrow(
      /expected MATCH=>REPLY/,
    )
    expect(validators['tcp:connect']({ host: '::1', port: 1 })).toMatchObject({ timeoutMs: 10_000 })
    expect(validators['tcp:connectMany']({ host: '::1', port: 1, count: 7 })).toMatchObject({
      count: 7,
      timeoutMs: 10_000,
    })
  })

  it('rejects what a hostile renderer might send', () => {
    rejects(() => validators['tcp:listen'](null), 'request')
    rejects(() => validators['tcp:listen']([1]), 'request')
    rejects(() => validators['tcp:listen']({ host: '127.0.0.1', port: 1, backlog: 1e9 }), 'backlog')
    rejects(() => validators['tcp:listen']({ host: '127.0.0.1', port: 1, mode: 'evil' }), 'mode', 'one-of')
    rejects(() => validators['tcp:connect']({ host: '127.0.0.1', port: 1, timeoutMs: 0 }), 'timeoutMs')
    rejects(() => validators['tcp:connectMany']({ host: '127.0.0.1', port: 1 }), 'count')
    rejects(() => validators['tcp:connectMany']({ host: '127.0.0.1', port: 1, count: 1001 }), 'count')
    rejects(() => validators['tcp:connectMany']({ host: 'a b', port: 1, count: 2 }), 'host')
    rejects(() => validators['tcp:send']({ id: 'c1', data: 1, encoding: 'utf-8' }), 'data', 'payload-type')
    rejects(() => validators['tcp:send']({ id: 'c1', data: 'x', encoding: 'latin1' }), 'encoding', 'one-of')
    rejects(() => validators['tcp:send']({ id: '../x', data: 'x', encoding: 'utf-8' }), 'id')
    rejects(() => validators['udp:bind']({ host: '127.0.0.1', port: 0, broadcast: 'yes' }), 'broadcast')
  })

  it('limits the payload size in bytes, not characters', () => {
    const max = LIMITS.maxPayloadBytes
    expect(validators['tcp:send']({ id: 'c1', data: 'a'.repeat(max), encoding: 'utf-8' }).data).toHaveLength(max)
    rejects(
      () => validators['tcp:send']({ id: 'c1', data: 'a'.repeat(max + 1), encoding: 'utf-8' }),
      'data',
      'payload-size',
    )
    rejects(
      () => validators['tcp:send']({ id: 'c1', data: '好'.repeat(max / 3 + 1), encoding: 'utf-8' }),
      'data',
      'payload-size',
    )
  })
})

describe('the checker’s requests', () => {
  const ex = JSON.parse(
    readFileSync(new URL('../../src/main/engine/checker/exercises/threaded-hello.json', import.meta.url), 'utf8'),
  ) as Record<string, unknown>
  const client = JSON.parse(
    readFileSync(
      new URL('../../src/main/engine/checker/exercises/threaded-hello-client.json', import.meta.url),
      'utf8',
    ),
  ) as Record<string, unknown>
  const student = { key: 'r1', name: 'Ann', host: '10.0.0.5', port: 9999 }

  it('takes a valid exercise, students and list values', () => {
    const r = validators['check:servers']({ exercise: ex, students: [student], lists: { names: ['A'] } })
    expect(r.students).toEqual([student])
    expect(r.exercise.id).toBe('threaded-hello')
  })

  it('re-validates the exercise (the page is not trusted), bounds the class and the lists, wants a client exercise to listen', () => {
    rejects(() => validators['check:servers']({ exercise: { ...ex, checks: [] }, students: [student] }), 'exercise')
    rejects(() => validators['check:servers']({ exercise: ex, students: [] }), 'students')
    rejects(() => validators['check:servers']({ exercise: ex, students: Array(201).fill(student) }), 'students')
    rejects(() => validators['check:servers']({ exercise: ex, students: [{ ...student, host: 'a b' }] }), 'host')
    rejects(
      () => validators['check:servers']({ exercise: ex, students: [student], lists: { names: [1] } }),
      'lists.names',
    )
    rejects(() => validators['check:clients']({ exercise: ex, host: '0.0.0.0', port: 0 }), 'exercise')
    expect(validators['check:clients']({ exercise: client, host: '0.0.0.0', port: 0 }).port).toBe(0)
    rejects(() => validators['check:stop']({ run: '../x' }), 'id')
    rejects(() => validators['check:parse']({ text: '{}', file: '../etc/passwd' }), 'name')
  })
})
