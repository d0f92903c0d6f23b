/**
 * Property tests of the CLI's options: whatever a user types, the parser answers with a
 * UsageError (a clear message, exit 2) or with values inside the app's own limits.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { parseCli, UsageError } from '../../src/cli/args'

const COMMANDS = ['tcp-server', 'tcp-client', 'backlog', 'udp', 'udp-send', 'sockets']
const OPTIONS = ['--host', '--port', '--backlog', '--mode', '--reply', '--encoding', '--eol', '--timeout', '--to']
const token = fc.oneof(fc.constantFrom(...OPTIONS, ...COMMANDS, '--json', '-h'), fc.string(), fc.integer().map(String))

function parsed(argv: string[]): ReturnType<typeof parseCli> | UsageError {
  try {
    return parseCli(argv)
  } catch (e) {
    if (e instanceof UsageError) return e
    throw e // anything else is a bug: a user must never see a stack trace
  }
}

describe('parseCli, for any input', () => {
  it('throws nothing but UsageError, and every port it returns is a port', () => {
    fc.assert(
      fc.property(fc.constantFrom(...COMMANDS), fc.array(token, { maxLength: 8 }), (cmd, rest) => {
        const r = parsed([cmd, ...rest])
        if (r instanceof UsageError) {
          expect(r.message.length).toBeGreaterThan(0)
          return
        }
        if ('port' in r) expect(Number.isInteger(r.port) && r.port >= 0 && r.port <= 65535).toBe(true)
        if ('backlog' in r) expect(r.backlog >= 0 && r.backlog <= 511).toBe(true)
      }),
      { numRuns: 500 },
    )
  })

  it('takes every port from 0 to 65535 as it is, and refuses every other number', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 65535 }), (p) => {
        expect(parseCli(['tcp-server', '--port', String(p)])).toMatchObject({ port: p })
      }),
    )
    fc.assert(
      fc.property(fc.oneof(fc.integer({ min: 65536 }), fc.integer({ max: -1 })), (p) => {
        expect(parsed(['tcp-client', '--port', String(p)])).toBeInstanceOf(UsageError)
      }),
    )
  })

  it('keeps the backlog demo within listen(0..128)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1000, max: 1000 }), (n) => {
        const r = parsed(['backlog', '--port', '0', '--backlog', String(n)])
        if (n >= 0 && n <= 128) expect(r).toMatchObject({ backlog: n })
        else expect(r).toBeInstanceOf(UsageError)
      }),
    )
  })

  it('reads --to as host:port or [IPv6]:port', () => {
    const v4 = fc.tuple(...Array.from({ length: 4 }, () => fc.integer({ min: 0, max: 255 }))).map((b) => b.join('.'))
    fc.assert(
      fc.property(fc.oneof(v4, fc.ipV6()), fc.integer({ min: 0, max: 65535 }), (host, port) => {
        const to = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`
        expect(parseCli(['udp-send', '--to', to, 'hi'])).toMatchObject({ host, port })
      }),
    )
  })

  it('reads every --port of the sockets command', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 65535 }), { minLength: 1, maxLength: 5 }), (ports) => {
        const argv = ['sockets', ...ports.flatMap((p) => ['--port', String(p)])]
        expect(parseCli(argv)).toMatchObject({ ports })
      }),
    )
  })
})
