/** The checks of a student's UDP server: each datagram echoed, boundaries kept, a large one whole. */
import { isIPv6 } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import type { ServerCheckKind } from '../../../shared/exercise'
import { fail, pass, quote, type Kind, type Outcome, type ServerCtx } from './outcome'
import { decode, encode, UdpProbe } from './probe'

/** One bound UDP socket for one check, closed after it. */
async function withUdp(ctx: ServerCtx, check: (u: UdpProbe) => Promise<Outcome>): Promise<Outcome> {
  const u = new UdpProbe(ctx.enc, isIPv6(ctx.host) ? 'udp6' : 'udp4')
  try {
    await u.bind()
    return await check(u)
  } finally {
    u.close()
  }
}

export const UDP_CHECKS: Record<Extract<ServerCheckKind, `udp-${string}`>, Kind> = {
  'udp-echo': (c, ctx) =>
    withUdp(ctx, async (u) => {
      for (const w of ctx.lists[String(c.rule['param'])] ?? ['ping']) {
        const before = u.got.length
        u.send(w, ctx.host, ctx.port)
        const came = await u.wait(before + 1, ctx.timeoutMs)
        const got = u.got[before]
        if (came && got?.data.equals(encode(w, ctx.enc))) continue
        if (!came)
          return fail(
            u,
            `sent ${quote(w)}, nothing came back in ${ctx.timeoutMs} ms`,
            `发送 ${quote(w)}，${ctx.timeoutMs} 毫秒内没有回来`,
          )
        const back = quote(got ? decode(got.data, ctx.enc) : '')
        return fail(u, `sent ${quote(w)}, got ${back}`, `发送 ${quote(w)}，收到 ${back}`)
      }
      return pass(u, 'each datagram came back', '每个数据报都回来了')
    }),

  'udp-boundaries': (c, ctx) =>
    withUdp(ctx, async (u) => {
      const n = Number(c.rule['count'] ?? 3)
      const sent = Array.from({ length: n }, (_, i) => `part-${i + 1}`)
      for (const s of sent) u.send(s, ctx.host, ctx.port)
      await u.wait(n, ctx.timeoutMs)
      await sleep(100) // any extra datagram
      const got = u.got.map((g) => g.data.toString()).sort()
      const want = [...sent].sort()
      return got.length === n && got.every((g, i) => g === want[i])
        ? pass(u, `${n} datagrams sent, ${n} came back, each whole`, `发送 ${n} 个数据报，回来 ${n} 个，各自完整`)
        : fail(
            u,
            `${n} datagrams sent, ${got.length} came back: ${got.map(quote).join(', ')}`,
            `发送 ${n} 个数据报，回来 ${got.length} 个：${got.map(quote).join('，')}`,
          )
    }),

  'udp-large': (c, ctx) =>
    withUdp(ctx, async (u) => {
      const n = Number(c.rule['bytes'] ?? 8000)
      const data = Buffer.from(Array.from({ length: n }, (_, i) => 65 + (i % 26)))
      u.send(data, ctx.host, ctx.port)
      await u.wait(1, ctx.timeoutMs)
      const got = u.got[0]?.data
      if (got?.equals(data)) return pass(u, `${n} bytes came back whole`, `${n} 字节完整地回来了`)
      if (!got) return fail(u, `sent ${n} bytes, nothing came back`, `发送 ${n} 字节，没有回来`)
      if (got.length !== n)
        return fail(u, `sent ${n} bytes, ${got.length} came back`, `发送 ${n} 字节，回来 ${got.length} 字节`)
      // as many bytes, not the same ones: say where they first differ (counting from 0)
      const at = got.findIndex((b, i) => b !== data[i])
      return fail(
        u,
        `sent ${n} bytes, ${n} came back but changed from byte ${at}`,
        `发送 ${n} 字节，回来 ${n} 字节，但从第 ${at} 字节（从 0 数）起不同`,
      )
    }),
}
