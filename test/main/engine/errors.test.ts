/**
 * Which explanation an OS error gets: from the call that failed, its address and port, and the OS.
 * Real errors from this machine where they can be made here; Node's own error objects with an
 * injected platform for the Windows and macOS readings.
 */
import dgram from 'node:dgram'
import net from 'node:net'
import { describe, expect, it } from 'vitest'
import { errorDetail, toLabError } from '../../../src/main/engine/errors'
import { en } from '../../../src/shared/i18n/en'
import { zhCN } from '../../../src/shared/i18n/zh-CN'
import { explainError } from '../../../src/shared/i18n/explain'
import { ValidationError } from '../../../src/shared/validate'

/** An error shaped as Node's ExceptionWithHostPort makes it (libuv's code, the call, where). */
function uvError(code: string, syscall: string, address?: string, port?: number): NodeJS.ErrnoException {
  return Object.assign(new Error(`${syscall} ${code} ${address ?? ''}:${port ?? ''}`), { code, syscall, address, port })
}

describe('errorDetail', () => {
  it('EACCES from a send is the broadcast option on every OS', () => {
    for (const p of ['linux', 'win32', 'darwin'])
      expect(errorDetail(uvError('EACCES', 'send', '255.255.255.255', 9), p)).toBe('EACCES-broadcast')
  })

  it('EACCES from a bind or listen: a low port on Linux, any port on Windows, a low port on one address on macOS', () => {
    expect(errorDetail(uvError('EACCES', 'listen', '0.0.0.0', 80), 'linux')).toBe('EACCES-low-port')
    expect(errorDetail(uvError('EACCES', 'bind', '127.0.0.1', 1023), 'linux')).toBe('EACCES-low-port')
    expect(errorDetail(uvError('EACCES', 'listen', '0.0.0.0', 1024), 'linux')).toBeUndefined()
    expect(errorDetail(uvError('EACCES', 'listen', '0.0.0.0', 50123), 'win32')).toBe('EACCES-win')
    expect(errorDetail(uvError('EACCES', 'listen', '0.0.0.0', 80), 'win32')).toBe('EACCES-win')
    expect(errorDetail(uvError('EACCES', 'listen', '127.0.0.1', 80), 'darwin')).toBe('EACCES-mac-low-port')
    expect(errorDetail(uvError('EACCES', 'listen', '0.0.0.0', 80), 'darwin')).toBeUndefined()
    expect(errorDetail(uvError('EACCES', 'listen', '::', 80), 'darwin')).toBeUndefined()
    expect(errorDetail(uvError('EACCES', 'connect', '10.0.0.1', 80), 'linux')).toBeUndefined()
  })

  it('EADDRINUSE says that different addresses may share a port on Windows and macOS only', () => {
    expect(errorDetail(uvError('EADDRINUSE', 'listen', '0.0.0.0', 8001), 'win32')).toBe('EADDRINUSE-shared')
    expect(errorDetail(uvError('EADDRINUSE', 'bind', '0.0.0.0', 8001), 'darwin')).toBe('EADDRINUSE-shared')
    expect(errorDetail(uvError('EADDRINUSE', 'listen', '0.0.0.0', 8001), 'linux')).toBeUndefined()
  })

  it('EMSGSIZE on macOS names its 9,216-byte limit', () => {
    expect(errorDetail(uvError('EMSGSIZE', 'send', '127.0.0.1', 9), 'darwin')).toBe('EMSGSIZE-mac')
    expect(errorDetail(uvError('EMSGSIZE', 'send', '127.0.0.1', 9), 'linux')).toBeUndefined()
  })

  it('EHOSTUNREACH to a local-network address on macOS is Local Network privacy, with where to allow it', () => {
    for (const [syscall, address] of [
      ['connect', '192.168.1.5'],
      ['connect', '10.0.0.3'],
      ['send', '172.20.1.255'],
      ['send', '224.0.0.251'],
      ['connect', 'fe80::1%en0'],
    ] as const)
      expect(errorDetail(uvError('EHOSTUNREACH', syscall, address, 8000), 'darwin')).toBe(
        'EHOSTUNREACH-mac-local-network',
      )
    // loopback is exempt; a public address is a real routing failure; other OSes have no such privacy
    expect(errorDetail(uvError('EHOSTUNREACH', 'connect', '127.0.0.1', 8000), 'darwin')).toBeUndefined()
    expect(errorDetail(uvError('EHOSTUNREACH', 'connect', '8.8.8.8', 53), 'darwin')).toBeUndefined()
    expect(errorDetail(uvError('EHOSTUNREACH', 'connect', '192.168.1.5', 8000), 'linux')).toBeUndefined()
    expect(errorDetail(uvError('EHOSTUNREACH', 'connect', undefined, 8000), 'darwin')).toBeUndefined()
    const err = toLabError(uvError('EHOSTUNREACH', 'connect', '192.168.1.5', 8000), 'darwin')
    expect(explainError(en, err)).toContain('Privacy & Security → Local Network')
    expect(explainError(zhCN, err)).toContain('本地网络')
  })
})

describe('errorDetail at its edges', () => {
  it('a low port is 1 to 1023: port 0 (any port) or no port is no low-port error', () => {
    expect(errorDetail(uvError('EACCES', 'bind', '127.0.0.1', 1), 'linux')).toBe('EACCES-low-port')
    expect(errorDetail(uvError('EACCES', 'bind', '127.0.0.1', 0), 'linux')).toBeUndefined()
    expect(errorDetail(uvError('EACCES', 'bind', '127.0.0.1'), 'linux')).toBeUndefined()
    expect(errorDetail(uvError('EACCES', 'bind', '127.0.0.1', 0), 'darwin')).toBeUndefined()
    expect(errorDetail(uvError('EACCES', 'bind', undefined, 80), 'darwin')).toBeUndefined() // no address: the wildcard
  })

  it('only bind and listen make EADDRINUSE the shared-port case; other codes have no detail', () => {
    expect(errorDetail(uvError('EADDRINUSE', 'connect', '127.0.0.1', 8001), 'win32')).toBeUndefined()
    expect(errorDetail(uvError('ECONNREFUSED', 'connect', '127.0.0.1', 8001), 'darwin')).toBeUndefined()
  })
})

describe('toLabError', () => {
  it('keeps the OS code and the detail that applies, and nothing else', () => {
    expect(toLabError(uvError('EACCES', 'bind', '127.0.0.1', 80), 'linux')).toEqual({
      code: 'EACCES',
      message: 'bind EACCES 127.0.0.1:80',
      detail: 'EACCES-low-port',
    })
    expect(toLabError(uvError('ECONNRESET', 'read'), 'linux')).toEqual({
      code: 'ECONNRESET',
      message: 'read ECONNRESET :',
    })
  })

  it('an input the contract refused keeps its field and reason', () => {
    expect(toLabError(new ValidationError('port', 'range', 'port must be 0-65535'))).toEqual({
      code: 'EINVAL',
      field: 'port',
      reason: 'range',
      message: 'port must be 0-65535',
    })
  })

  it('an error with no code, or a thrown value that is no error, is EUNKNOWN with its text', () => {
    expect(toLabError(new Error('boom'))).toEqual({ code: 'EUNKNOWN', message: 'boom' })
    expect(toLabError(Object.assign(new Error('odd'), { code: 42 }))).toEqual({ code: 'EUNKNOWN', message: 'odd' })
    expect(toLabError('just a string')).toEqual({ code: 'EUNKNOWN', message: 'just a string' })
    expect(toLabError({ message: 'not an Error' })).toEqual({ code: 'EUNKNOWN', message: '[object Object]' })
  })
})

describe('real errors of this machine', () => {
  it('a send to 255.255.255.255 without the broadcast option: EACCES explained as the option', async () => {
    const s = dgram.createSocket('udp4')
    await new Promise<void>((r) => s.bind(0, '0.0.0.0', () => r()))
    const err = await new Promise<Error | null>((r) => s.send('x', 9, '255.255.255.255', (e) => r(e)))
    s.close()
    const lab = toLabError(err)
    expect(lab).toMatchObject({ code: 'EACCES', detail: 'EACCES-broadcast' })
    expect(explainError(en, lab, 'udp')).toContain('SO_BROADCAST')
  })

  it('a second server on the very same address and port: EADDRINUSE, with the shared-port note for macOS', async () => {
    const a = net.createServer()
    await new Promise<void>((r) => a.listen(0, '127.0.0.1', () => r()))
    const port = (a.address() as net.AddressInfo).port
    const b = net.createServer()
    const err = await new Promise<Error>((r) => b.once('error', r).listen(port, '127.0.0.1'))
    a.close()
    expect(toLabError(err, 'linux')).toEqual({ code: 'EADDRINUSE', message: err.message })
    expect(toLabError(err, 'darwin')).toMatchObject({ code: 'EADDRINUSE', detail: 'EADDRINUSE-shared' })
  })
})
