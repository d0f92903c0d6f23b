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
