/** The checks of a student's UDP server: each datagram echoed, boundaries kept, a large one whole. */
import { isIPv6 } from 'node:net'
import type { ServerCheckKind } from '../../../shared/exercise'
import { pass, quote, t, type Kind, type ServerCtx } from './outcome'
import { decode, encode, UdpProbe } from './probe'

async function udpOpen(ctx: ServerCtx): Promise<UdpProbe> {
  const u = new UdpProbe(ctx.enc, isIPv6(ctx.host) ? 'udp6' : 'udp4')
  await u.bind()
  return u
}

export const UDP_CHECKS: Record<Extract<ServerCheckKind, `udp-${string}`>, Kind> = {
  async 'udp-echo'(c, ctx) {
    const u = await udpOpen(ctx)
    try {
      for (const w of ctx.lists[String(c.rule['param'])] ?? ['ping']) {
        const before = u.got.length
        u.send(w, ctx.host, ctx.port)
        const came = await u.wait(before + 1, ctx.timeoutMs)
        const got = u.got[before]
        if (!came || !got || !got.data.equals(encode(w, ctx.enc)))
          return {
            ok: false,
            detail: came
              ? t(
                  `sent ${quote(w)}, got ${quote(got ? decode(got.data, ctx.enc) : '')}`,
                  `发送 ${quote(w)}，收到 ${quote(got ? decode(got.data, ctx.enc) : '')}`,
                )
              : t(
                  `sent ${quote(w)}, nothing came back in ${ctx.timeoutMs} ms`,
                  `发送 ${quote(w)}，${ctx.timeoutMs} 毫秒内没有回来`,
                ),
            transcript: u.lines,
          }
      }
      return pass(u, 'each datagram came back', '每个数据报都回来了')
    } finally {
      u.close()
    }
  },

  async 'udp-boundaries'(c, ctx) {
    const n = Number(c.rule['count'] ?? 3)
    const u = await udpOpen(ctx)
    try {
      const sent = Array.from({ length: n }, (_, i) => `part-${i + 1}`)
      for (const s of sent) u.send(s, ctx.host, ctx.port)
      await u.wait(n, ctx.timeoutMs)
      await new Promise((r) => setTimeout(r, 100)) // any extra datagram
      const got = u.got.map((g) => g.data.toString()).sort()
      return got.length === n && got.every((g, i) => g === [...sent].sort()[i])
        ? pass(u, `${n} datagrams sent, ${n} came back, each whole`, `发送 ${n} 个数据报，回来 ${n} 个，各自完整`)
        : {
            ok: false,
            detail: t(
              `${n} datagrams sent, ${got.length} came back: ${got.map(quote).join(', ')}`,
              `发送 ${n} 个数据报，回来 ${got.length} 个：${got.map(quote).join('，')}`,
            ),
            transcript: u.lines,
          }
    } finally {
      u.close()
    }
  },

  async 'udp-large'(c, ctx) {
    const n = Number(c.rule['bytes'] ?? 8000)
    const u = await udpOpen(ctx)
    try {
      const data = Buffer.from(Array.from({ length: n }, (_, i) => 65 + (i % 26)))
      u.send(data, ctx.host, ctx.port)
      await u.wait(1, ctx.timeoutMs)
      const got = u.got[0]?.data
      return got?.equals(data)
        ? pass(u, `${n} bytes came back whole`, `${n} 字节完整地回来了`)
        : {
            ok: false,
            detail: got
              ? t(`sent ${n} bytes, ${got.length} came back`, `发送 ${n} 字节，回来 ${got.length} 字节`)
              : t(`sent ${n} bytes, nothing came back`, `发送 ${n} 字节，没有回来`),
            transcript: u.lines,
          }
    } finally {
      u.close()
    }
  },
}
