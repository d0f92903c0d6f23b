/**
 * The UDP server checks against small Node servers that misbehave in the ways students' do:
 * silent, answering twice, answering something else, over IPv6.
 */
import dgram from 'node:dgram'
import { afterEach, describe, expect, it } from 'vitest'
import type { Check } from '../../../../src/shared/exercise'
import type { ServerCtx } from '../../../../src/main/engine/checker/outcome'
import { UDP_CHECKS } from '../../../../src/main/engine/checker/udp-checks'

const servers: dgram.Socket[] = []
afterEach(() => {
  for (const s of servers.splice(0)) s.close()
})

/** A UDP server on loopback whose answer to each datagram is `answer(data)` (none: silent). */
async function server(answer: (d: Buffer) => Buffer[], family: 'udp4' | 'udp6' = 'udp4'): Promise<ServerCtx> {
  const s = dgram.createSocket(family)
  servers.push(s)
  s.on('message', (m, r) => {
    for (const out of answer(m)) s.send(out, r.port, r.address)
  })
  const host = family === 'udp6' ? '::1' : '127.0.0.1'
  await new Promise<void>((r) => s.bind(0, host, r))
  return { host, port: s.address().port, enc: 'utf-8', timeoutMs: 300, lists: { words: ['ping', '数据报'] } }
}
const check = (rule: Check['rule']): Check => ({ id: 'x', kind: 'udp-echo', rule }) as unknown as Check
const run = async (kind: keyof typeof UDP_CHECKS, rule: Check['rule'], ctx: ServerCtx) => {
  const o = await UDP_CHECKS[kind](check(rule), ctx)
  return `${o.ok ? 'ok' : 'no'}: ${o.detail.en} / ${o.detail['zh-CN']}`
}
const echo = (d: Buffer) => [d]
const silent = () => []

describe('udp-echo', () => {
  it("sends each word of the exercise's list and wants each back as sent", async () => {
    const ctx = await server(echo)
    expect(await run('udp-echo', { param: 'words' }, ctx)).toBe('ok: each datagram came back / 每个数据报都回来了')
  })

  it('says what came back instead, or that nothing did in the time', async () => {
    const upper = await server((d) => [Buffer.from(d.toString().toUpperCase())])
    expect(await run('udp-echo', { param: 'words' }, upper)).toBe(
      'no: sent "ping", got "PING" / 发送 "ping"，收到 "PING"',
    )
    const quiet = await server(silent)
    expect(await run('udp-echo', { param: 'words' }, quiet)).toBe(
      'no: sent "ping", nothing came back in 300 ms / 发送 "ping"，300 毫秒内没有回来',
    )
  })

  it('sends "ping" when the exercise has no list', async () => {
    const seen: string[] = []
    const ctx = await server((d) => (seen.push(d.toString()), [d]))
    expect(await run('udp-echo', {}, ctx)).toMatch(/^ok/)
    expect(seen).toEqual(['ping'])
  })

  it('works over IPv6', async (t) => {
    let ctx
    try {
      ctx = await server(echo, 'udp6')
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EADDRNOTAVAIL') return t.skip('no IPv6 loopback here (EADDRNOTAVAIL)')
      throw e
    }
    expect(await run('udp-echo', { param: 'words' }, ctx)).toMatch(/^ok/)
  })
})

describe('udp-boundaries', () => {
  it('sends part-1..part-n and wants each back once, whole', async () => {
    const seen: string[] = []
    const ctx = await server((d) => (seen.push(d.toString()), [d]))
    expect(await run('udp-boundaries', { count: 4 }, ctx)).toBe(
      'ok: 4 datagrams sent, 4 came back, each whole / 发送 4 个数据报，回来 4 个，各自完整',
    )
    expect(seen.sort()).toEqual(['part-1', 'part-2', 'part-3', 'part-4'])
  })

  it('fails a server that answers twice, or answers with something else, listing what came', async () => {
    const twice = await server((d) => [d, d])
    expect(await run('udp-boundaries', {}, twice)).toBe(
      'no: 3 datagrams sent, 6 came back: "part-1", "part-1", "part-2", "part-2", "part-3", "part-3" / 发送 3 个数据报，回来 6 个："part-1"，"part-1"，"part-2"，"part-2"，"part-3"，"part-3"',
    )
    const other = await server((d) => [Buffer.from(d.toString() === 'part-2' ? 'part-9' : d.toString())])
    expect(await run('udp-boundaries', {}, other)).toMatch(
      /^no: 3 datagrams sent, 3 came back: "part-1", "part-3", "part-9"/,
    )
    const quiet = await server(silent)
    expect(await run('udp-boundaries', {}, quiet)).toBe(
      'no: 3 datagrams sent, 0 came back:  / 发送 3 个数据报，回来 0 个：',
    )
  })
})

describe('udp-large', () => {
  it('sends n bytes of A..Z and wants them back whole', async () => {
    let first = ''
    const ctx = await server((d) => ((first = d.subarray(0, 28).toString()), [d]))
    expect(await run('udp-large', { bytes: 3000 }, ctx)).toBe('ok: 3000 bytes came back whole / 3000 字节完整地回来了')
    expect(first).toBe('ABCDEFGHIJKLMNOPQRSTUVWXYZAB')
  })

  it('tells a cut datagram, a changed one, and none', async () => {
    const cut = await server((d) => [d.subarray(0, 1024)])
    expect(await run('udp-large', {}, cut)).toBe('no: sent 8000 bytes, 1024 came back / 发送 8000 字节，回来 1024 字节')
    const changed = await server((d) => [Buffer.concat([d.subarray(0, 100), Buffer.from(d.subarray(100)).reverse()])])
    expect(await run('udp-large', {}, changed)).toBe(
      'no: sent 8000 bytes, 8000 came back but changed from byte 100 / 发送 8000 字节，回来 8000 字节，但从第 100 字节（从 0 数）起不同',
    )
    const quiet = await server(silent)
    expect(await run('udp-large', {}, quiet)).toBe('no: sent 8000 bytes, nothing came back / 发送 8000 字节，没有回来')
  })
})
