/**
 * The kernel acceptor's own tests: the undocumented internals it relies on, proven directly.
 */
import net from 'node:net'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { FdBank, KernelAcceptor } from '../../../../src/main/engine/backlog/acceptor'
import { selfTest } from '../../../../src/main/engine/backlog/backlog-queue'
import { listenQueue } from '../../../../src/main/engine/inspector/proc-net'
import { processGone, until } from '../../../support/until'

const linux = process.platform === 'linux'
const bank = new FdBank()
const open: net.Socket[] = []
afterEach(() => {
  for (const s of open.splice(0)) s.destroy()
})
const dial = (port: number) => {
  const s = net.connect(port, '127.0.0.1')
  s.on('error', () => undefined)
  open.push(s)
  return s
}

describe.skipIf(process.platform === 'win32')('KernelAcceptor (fd bank)', () => {
  it('takes exactly one connection per acceptOne and leaves the rest in the kernel queue', async () => {
    const acc = await KernelAcceptor.open(bank, '127.0.0.1', 0, 4)
    for (let i = 0; i < 4; i++) dial(acc.local.port)
    if (linux) await until(() => listenQueue(acc.local.port) === 4)
    const first = await acc.acceptOne()
    open.push(first)
    await new Promise((r) => setTimeout(r, 100))
    if (linux) expect(listenQueue(acc.local.port)).toBe(3)
    const second = await acc.acceptOne()
    open.push(second)
    expect(second.remotePort).not.toBe(first.remotePort)
    if (linux) await until(() => listenQueue(acc.local.port) === 2)
    await acc.close()
  })

  it('waits, like a blocking accept(), until a client arrives', async () => {
    const acc = await KernelAcceptor.open(bank, '127.0.0.1', 0, 1)
    let got: net.Socket | undefined
    const pending = acc.acceptOne().then((s) => (got = s))
    await new Promise((r) => setTimeout(r, 100))
    expect(got).toBeUndefined()
    const c = dial(acc.local.port)
    await pending
    open.push(got!)
    await until(() => c.localPort !== undefined)
    expect(got!.remotePort).toBe(c.localPort)
    await acc.close()
  })

  it('delivers bytes a client sent while it waited', async () => {
    const acc = await KernelAcceptor.open(bank, '127.0.0.1', 0, 2)
    const c = dial(acc.local.port)
    c.write('queued bytes')
    await new Promise((r) => setTimeout(r, 100))
    const s = await acc.acceptOne()
    open.push(s)
    const data = await new Promise<string>((r) => s.once('data', (d: Buffer) => r(d.toString())))
    expect(data).toBe('queued bytes')
    await acc.close()
  })

  it('a cancelled accept (closing the acceptor) rejects, and the queued clients are reset', async () => {
    const acc = await KernelAcceptor.open(bank, '127.0.0.1', 0, 2)
    const c = dial(acc.local.port)
    await new Promise((r) => setTimeout(r, 100))
    const reset = new Promise<string>((r) => c.once('error', (e: NodeJS.ErrnoException) => r(e.code ?? '')))
    await acc.close()
    expect(await reset).toBe('ECONNRESET')
    await expect(acc.acceptOne()).rejects.toThrow(/closed/)
  })

  it('self-test: passes here with the kernel figures on Linux', async () => {
    const mode = await selfTest(bank)
    expect(mode.kind).toBe('kernel')
    if (linux) expect(mode.reason).toBe('self-test-passed-kernel-figures')
  })

  it('the helper process goes when stopped', async () => {
    const b = new FdBank()
    const acc = await KernelAcceptor.open(b, '127.0.0.1', 0, 1)
    const pid = b.pid!
    await acc.close()
    b.stop()
    // Gone within seconds, not within a fixed 100 ms (a loaded CI machine is slower to reap).
    expect(await until(() => processGone(pid), 5000)).toBe(true)
  })
})

afterAll(() => bank.stop())

describe('the self-test falls back to the simulated queue', () => {
  it('on Windows, without opening anything (no fd passing there)', async () => {
    const real = Object.getOwnPropertyDescriptor(process, 'platform')!
    Object.defineProperty(process, 'platform', { value: 'win32' })
    const failing = { keep: () => Promise.reject(new Error('must not be called')) } as unknown as FdBank
    try {
      expect(await selfTest(failing)).toEqual({ kind: 'simulated', reason: 'windows', slots: 0 })
    } finally {
      Object.defineProperty(process, 'platform', real)
    }
  })

  it.skipIf(process.platform === 'win32')('when the helper cannot keep the socket', async () => {
    const failing = {
      keep: () => Promise.reject(new Error('the accept helper did not answer "keep"')),
      drop: () => Promise.resolve(),
    } as unknown as FdBank
    expect(await selfTest(failing)).toEqual({ kind: 'simulated', reason: 'self-test-failed', slots: 0 })
  })

  it.skipIf(process.platform === 'win32')('when accept() fails', async () => {
    // a helper whose lent copy, once listening, reports a failed accept (ECONNRESET's -104)
    const failing = {
      keep: () => Promise.resolve(),
      lend: () =>
        Promise.resolve({
          onconnection: null as null | ((status: number, client?: unknown) => void),
          close: () => undefined,
          listen(this: { onconnection: null | ((s: number) => void) }) {
            setImmediate(() => this.onconnection?.(-104))
            return 0
          },
        }),
      drop: () => Promise.resolve(),
    } as unknown as FdBank
    expect(await selfTest(failing)).toEqual({ kind: 'simulated', reason: 'self-test-failed', slots: 0 })
  })
})
