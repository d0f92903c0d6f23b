/**
 * The checks of a student's TCP server: one function per check kind, each opening its own
 * connections so one failure does not hide the next, each step time-limited.
 */
import type { Check, ServerCheckKind } from '../../../shared/exercise'
import { setTimeout as sleep } from 'node:timers/promises'
import { chomp, escape, fail, pass, quote, t, type Kind, type Outcome, type ServerCtx } from './outcome'
import { Probe, type Line } from './probe'

/** Does `reply` answer `item` by the rule: `expect` ("*" any non-empty) or `pattern` with {item}. */
export function answers(rule: Check['rule'], item: string, reply: string): boolean {
  // A greeting that came late, in the same read as the answer, is not part of the answer.
  const g = typeof rule['greeting'] === 'string' ? rule['greeting'] : undefined
  const r = chomp(g && reply.startsWith(g) ? reply.slice(g.length) : reply)
  if (typeof rule['pattern'] === 'string') return new RegExp(rule['pattern'].replace('{item}', escape(item))).test(r)
  if (rule['expect'] === '*' || rule['expect'] === undefined) return r.trim().length > 0
  return r === String(rule['expect']).replace('{item}', item)
}

/** A probe, connected (or not: its transcript then says why, and it is already closed). */
async function open(ctx: ServerCtx, name = ''): Promise<Probe> {
  const p = new Probe(ctx.enc, name)
  if (!(await p.connect(ctx.host, ctx.port, ctx.timeoutMs))) p.close()
  return p
}

const noConnect = (lines: Line[]): Outcome => ({
  ok: false,
  detail: t('could not connect', '连接失败'),
  transcript: lines,
})

/**
 * Reads the greeting, when the rule names one, for a short while: a missing greeting is the
 * `greeting` check's failure, not every later check's. Never fails.
 */
async function greeted(p: Probe, rule: Check['rule'], ms: number): Promise<void> {
  const g = rule['greeting']
  if (typeof g === 'string') await p.read((s) => s.includes(g), Math.min(ms, 500))
}

/** One connection for one check: opened (or the check fails as "could not connect"), closed after. */
async function withProbe(ctx: ServerCtx, check: (p: Probe) => Promise<Outcome>): Promise<Outcome> {
  const p = await open(ctx)
  if (!p.connected) return noConnect(p.lines)
  try {
    return await check(p)
  } finally {
    p.close()
  }
}

/** Sends `item` and reads until the rule's answer (or the time limit). */
async function ask(p: Probe, rule: Check['rule'], item: string, ms: number): Promise<Outcome | undefined> {
  p.send(item)
  const r = await p.read((s) => answers(rule, item, s), ms)
  if (r.met) return undefined
  const pattern = typeof rule['pattern'] === 'string' ? rule['pattern'].replace('{item}', item) : undefined
  const got = r.text ? quote(r.text) : undefined
  return fail(
    p,
    `sent ${quote(item)}, expected ${pattern ?? 'a reply'}, got ${got ?? 'nothing'}`,
    `发送 ${quote(item)}，应回复 ${pattern ?? '一条消息'}，收到 ${got ?? '无'}`,
  )
}

export const TCP_CHECKS: Record<Exclude<ServerCheckKind, `udp-${string}`>, Kind> = {
  connect: (_c, ctx) => withProbe(ctx, async (p) => pass(p, 'connected', '已连接')),

  greeting: (c, ctx) =>
    withProbe(ctx, async (p) => {
      const want = String(c.rule['expect'])
      const r = await p.read((s) => s.includes(want), ctx.timeoutMs)
      return r.met
        ? pass(p, `got ${quote(want)}`, `收到 ${quote(want)}`)
        : fail(p, `expected ${quote(want)}, got ${quote(r.text)}`, `应收到 ${quote(want)}，收到 ${quote(r.text)}`)
    }),

  'reply-each': (c, ctx) =>
    withProbe(ctx, async (p) => {
      await greeted(p, c.rule, ctx.timeoutMs)
      const items = ctx.lists[String(c.rule['param'])] ?? []
      for (const item of items) {
        const wrong = await ask(p, c.rule, item, ctx.timeoutMs)
        if (wrong) return wrong
      }
      return pass(p, `${items.length} answered`, `${items.length} 条都回复了`)
    }),

  'closes-after': (c, ctx) =>
    withProbe(ctx, async (p) => {
      await greeted(p, c.rule, ctx.timeoutMs)
      const word = String(c.rule['send'])
      const ms = Number(c.rule['withinMs'] ?? ctx.timeoutMs)
      p.send(word)
      return (await p.eof(ms))
        ? pass(p, `closed after ${quote(word)}`, `收到 ${quote(word)} 后关闭了连接`)
        : fail(p, `still open ${ms} ms after ${quote(word)}`, `发送 ${quote(word)} 后 ${ms} 毫秒仍未关闭`)
    }),

  async concurrent(c, ctx) {
    const n = Number(c.rule['clients'] ?? 5)
    const probes = await Promise.all(Array.from({ length: n }, (_, i) => open(ctx, `#${i + 1} `)))
    const lines = (): Line[] => probes.flatMap((p) => p.lines)
    try {
      if (probes.some((p) => !p.connected)) return noConnect(lines())
      // Every client is connected before any of them is talked to: a server that serves one at
      // a time leaves the others unwelcomed.
      const served = await Promise.all(
        probes.map(async (p) => {
          await greeted(p, c.rule, ctx.timeoutMs)
          return !(await ask(p, c.rule, String(c.rule['send']), ctx.timeoutMs))
        }),
      )
      const k = served.filter(Boolean).length
      return k === n
        ? pass({ lines: lines() }, `${n} clients at once, all served`, `${n} 个客户端同时连接，都得到了服务`)
        : fail(
            { lines: lines() },
            `${k} of ${n} clients connected at once were served`,
            `同时连接的 ${n} 个客户端中只有 ${k} 个得到服务`,
          )
    } finally {
      for (const p of probes) p.close()
    }
  },

  async 'survives-reset'(c, ctx) {
    const a = await open(ctx, 'A ')
    if (!a.connected) return noConnect(a.lines)
    await greeted(a, c.rule, ctx.timeoutMs)
    // mid-conversation: the server is back in recv() when the reset comes
    await ask(a, c.rule, String(c.rule['send']), ctx.timeoutMs)
    a.reset()
    await sleep(200)
    const b = await open(ctx, 'B ')
    const lines = (): Line[] => [...a.lines, ...b.lines]
    if (!b.connected)
      return fail(
        { lines: lines() },
        'after a client reset, no new client could connect: the server process most likely died on an uncaught ConnectionResetError at the reset (see the Traceback in the student’s terminal). Catch it around recv() and close that connection only; restart the server before checking again',
        '一个客户端重置后，新客户端连不上了：服务器进程很可能在重置时因为未捕获的 ConnectionResetError 退出了（请看学生终端里的 Traceback）。在 recv() 外面捕获它，只关闭这个连接；重新启动服务器后再检查',
      )
    try {
      await greeted(b, c.rule, ctx.timeoutMs)
      const bad = await ask(b, c.rule, String(c.rule['send']), ctx.timeoutMs)
      return bad
        ? {
            ...bad,
            detail: t(`after a reset: ${bad.detail.en}`, `一个客户端重置之后：${bad.detail['zh-CN']}`),
            transcript: lines(),
          }
        : pass({ lines: lines() }, 'a client reset; the next one was served', '一个客户端重置后，下一个仍得到服务')
    } finally {
      b.close()
    }
  },

  async 'next-client'(c, ctx) {
    const a = await open(ctx, 'A ')
    if (!a.connected) return noConnect(a.lines)
    const word = String(c.rule['send'])
    const bye = String(c.rule['bye'])
    let b: Probe | undefined
    const lines = (): Line[] => [...a.lines, ...(b?.lines ?? [])]
    try {
      // A is being served (its first message is read) when B calls.
      a.send(word)
      await a.read((s) => s.trim().length > 0, Math.min(ctx.timeoutMs, 1000))
      b = await open(ctx, 'B ')
      if (!b.connected) return noConnect(lines())
      b.send(word)
      // the course's client: after "bye" it closes its socket
      a.send(bye)
      await a.eof(ctx.timeoutMs)
      a.close()
      // B is served: its message is answered, or (a server that never answers) its "bye" ends it.
      let served = (await b.read((s) => s.trim().length > 0, ctx.timeoutMs)).met
      if (!served && !b.ended) {
        b.send(bye)
        // an orderly close (FIN), not the reset of a server that went away
        served = (await b.eof(ctx.timeoutMs)) && b.ended && !b.error
      }
      return served
        ? pass(
            { lines: lines() },
            'the waiting client was served after "bye"',
            '第一个客户端说 "bye" 后，等待的客户端得到了服务',
          )
        : fail(
            { lines: lines() },
            'the client that called while another was served was not served after that one said bye',
            '第一个客户端说 bye 之后，等待的客户端没有得到服务',
          )
    } finally {
      a.close()
      b?.close()
    }
  },
}
