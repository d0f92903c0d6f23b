/**
 * The checker's probes against small Node peers on 127.0.0.1: what each step returns and what
 * each keeps for the transcript a teacher reads.
 */
import { createSocket, type Socket as UdpSocket } from 'node:dgram'
import { createServer, type Server, type Socket } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { freePort } from '../../../support/ports'
import { Probe, UdpProbe, decode, encode } from '../../../../src/main/engine/checker/probe'

const closers: (() => void)[] = []
afterEach(() => {
  for (const c of closers.splice(0)) c()
})

/** A TCP peer on a free port; `onConn` gets each accepted socket. */
async function peer(onConn: (s: Socket) => void): Promise<number> {
  const server: Server = createServer({ allowHalfOpen: true }, onConn)
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  closers.push(() => server.close())
  return (server.address() as { port: number }).port
}

function probe(enc: 'utf-8' | 'gbk' = 'utf-8', name = ''): Probe {
  const p = new Probe(enc, name)
  closers.push(() => p.close())
  return p
}

describe('encode and decode', () => {
  it('speak UTF-8, or GBK when the exercise says so', () => {
    expect(encode('你好', 'utf-8').toString('hex')).toBe('e4bda0e5a5bd')
    expect(encode('你好', 'gbk').toString('hex')).toBe('c4e3bac3')
    expect(decode(Buffer.from('c4e3bac3', 'hex'), 'gbk')).toBe('你好')
    expect(decode(Buffer.from('e4bda0e5a5bd', 'hex'), 'utf-8')).toBe('你好')
  })
})

describe('Probe', () => {
  it('connects, sends, reads until the answer, and keeps each step, named', async () => {
    const port = await peer((s) => s.on('data', (d) => s.write(`Hello, ${d}!`)))
    const p = probe('utf-8', 'A ')
    expect(await p.connect('127.0.0.1', port, 2000)).toBe(true)
    expect(p.connected).toBe(true)
    p.send('小文')
    expect(await p.read((t) => t.endsWith('!'), 2000)).toEqual({ text: 'Hello, 小文!', met: true })
    expect(p.lines).toEqual([
      { dir: '·', text: 'A connected' },
      { dir: '→', text: 'A 小文' },
      { dir: '←', text: 'A Hello, 小文!' },
    ])
    // what was read is taken: the next read starts empty
    expect(await p.read((t) => t.length > 0, 50)).toEqual({ text: '', met: false })
  })

  it('sends and reads GBK for a GBK exercise', async () => {
    let got = Buffer.alloc(0)
    const port = await peer((s) =>
      s.on('data', (d) => {
        got = d
        s.write(Buffer.from('c4e3bac3', 'hex'))
      }),
    )
    const p = probe('gbk')
    await p.connect('127.0.0.1', port, 2000)
    p.send('你好')
    expect((await p.read((t) => t === '你好', 2000)).met).toBe(true)
    expect(got.toString('hex')).toBe('c4e3bac3')
  })

  it("stops reading at the peer's FIN: not met, with what came, and EOF in the transcript", async () => {
    const port = await peer((s) => s.end('bye'))
    const p = probe()
    await p.connect('127.0.0.1', port, 2000)
    const t0 = Date.now()
    expect(await p.read((t) => t === 'never', 5000)).toEqual({ text: 'bye', met: false })
    expect(Date.now() - t0).toBeLessThan(4000)
    expect(p.ended).toBe(true)
    expect(await p.eof(10)).toBe(true)
    expect(p.lines.map((l) => l.text)).toEqual(['connected', 'bye', 'EOF'])
  })

  it('gives up a read after its time with what came so far', async () => {
    const port = await peer((s) => s.write('part'))
    const p = probe()
    await p.connect('127.0.0.1', port, 2000)
    expect(await p.read((t) => t === 'part and more', 300)).toEqual({ text: 'part', met: false })
    expect(await p.eof(100)).toBe(false)
  })

  it('tries a refused connect again until its time is up, then says why', async () => {
    const port = await freePort()
    const p = probe('utf-8', 'B ')
    const t0 = Date.now()
    expect(await p.connect('127.0.0.1', port, 400)).toBe(false)
    expect(p.connected).toBe(false)
    expect(Date.now() - t0).toBeGreaterThanOrEqual(300)
    expect(p.lines).toEqual([{ dir: '·', text: 'B connect: ECONNREFUSED' }])
  })

  it('connects to a server that starts listening while it retries', async () => {
    const port = await freePort()
    const server = createServer()
    closers.push(() => server.close())
    setTimeout(() => server.listen(port, '127.0.0.1'), 150)
    const p = probe()
    expect(await p.connect('127.0.0.1', port, 3000)).toBe(true)
    expect(p.lines).toEqual([{ dir: '·', text: 'connected' }])
  })

  it('resets like a crashing client: the peer sees ECONNRESET, the transcript says RST', async () => {
    const seen = new Promise<string>((resolve) =>
      peer((s) => {
        s.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? ''))
        s.on('end', () => resolve('FIN'))
      }).then(async (port) => {
        const p = probe('utf-8', 'C ')
        await p.connect('127.0.0.1', port, 2000)
        p.reset()
        await p.until(() => p.closed, 2000)
        expect(p.closed).toBe(true)
        expect(p.lines.at(-1)).toEqual({ dir: '·', text: 'C RST' })
        // a closed probe sends nothing, and says nothing of it
        p.send('late')
        expect(p.lines.map((l) => l.text)).not.toContain('C late')
      }),
    )
    expect(await seen).toBe('ECONNRESET')
  })

  it('keeps a reset by the peer as the error and ends reads at once', async () => {
    const port = await peer((s) => s.resetAndDestroy())
    const p = probe()
    await p.connect('127.0.0.1', port, 2000)
    expect(await p.read(() => false, 3000)).toEqual({ text: '', met: false })
    expect(p.closed).toBe(true)
    expect(p.error).toBe('ECONNRESET')
  })
})

describe('UdpProbe', () => {
  it('sends and collects datagrams; a long one reads as its size in the transcript', async () => {
    const echo: UdpSocket = createSocket('udp4')
    closers.push(() => echo.close())
    echo.on('message', (m, r) => echo.send(m, r.port, r.address))
    await new Promise<void>((r) => echo.bind(0, '127.0.0.1', r))
    const { port } = echo.address()
    const u = new UdpProbe('utf-8', 'udp4')
    closers.push(() => u.close())
    await u.bind()
    u.send('数据报', '127.0.0.1', port)
    u.send(Buffer.alloc(64, 'a'), '127.0.0.1', port)
    u.send(Buffer.alloc(65, 'b'), '127.0.0.1', port)
    expect(await u.wait(3, 2000)).toBe(true)
    expect(u.got.map((g) => g.data.length)).toEqual([9, 64, 65])
    expect(u.got[0]!.from).toBe(`127.0.0.1:${port}`)
    expect(u.lines).toEqual([
      { dir: '→', text: '数据报' },
      { dir: '→', text: 'a'.repeat(64) },
      { dir: '→', text: '65 bytes' },
      { dir: '←', text: '数据报' },
      { dir: '←', text: 'a'.repeat(64) },
      { dir: '←', text: '65 bytes' },
    ])
    expect(await u.wait(4, 100)).toBe(false)
    u.close()
    u.close() // twice: no throw
  })

  it('sends GBK for a GBK exercise', async () => {
    const rx: UdpSocket = createSocket('udp4')
    closers.push(() => rx.close())
    const got = new Promise<Buffer>((r) => rx.once('message', r))
    await new Promise<void>((r) => rx.bind(0, '127.0.0.1', r))
    const u = new UdpProbe('gbk', 'udp4')
    closers.push(() => u.close())
    await u.bind()
    u.send('你好', '127.0.0.1', rx.address().port)
    expect((await got).toString('hex')).toBe('c4e3bac3')
  })
})

describe('Probe.close', () => {
  it("ends with FIN even when the peer's greeting is still arriving (a reset would crash a course server)", async () => {
    const seen: string[] = []
    let wake = (): void => undefined
    const port = await peer((s) => {
      s.on('error', (e: NodeJS.ErrnoException) => (seen.push(e.code ?? ''), wake()))
      s.on('end', () => (seen.push('FIN'), s.end(), wake()))
      s.write('Welcome!'.repeat(1000))
    })
    for (let i = 0; i < 20; i++) {
      const heard = new Promise<void>((r) => (wake = r))
      const p = probe()
      await p.connect('127.0.0.1', port, 2000)
      p.close()
      await heard
    }
    expect(seen).toEqual(Array(20).fill('FIN'))
  })

  it('keeps nothing that comes after it', async () => {
    const port = await peer((s) => setTimeout(() => s.end('late'), 100))
    const p = probe()
    await p.connect('127.0.0.1', port, 2000)
    p.close()
    await new Promise((r) => setTimeout(r, 300))
    expect(p.lines).toEqual([{ dir: '·', text: 'connected' }])
  })
})
