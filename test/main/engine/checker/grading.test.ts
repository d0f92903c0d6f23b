/**
 * How the checker runs a grading: a server that cannot be reached, many students' servers at
 * once, and students' clients named by the roster. Node peers on 127.0.0.1 (the graded programs
 * themselves are Python: checker.test.ts).
 */
import { createServer, Socket } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { freePort } from '../../../support/ports'
import { gradeClients, gradeServer, gradeServers, pool } from '../../../../src/main/engine/checker/checker'
import { builtInExercises } from '../../../../src/main/engine/checker/exercises'
import type { Exercise } from '../../../../src/shared/exercise'

const closers: (() => void)[] = []
afterEach(() => {
  for (const c of closers.splice(0)) c()
})

/** A built-in exercise with a shorter time limit, so that failures come quickly. */
function exercise(id: string, timeoutMs = 300): Exercise {
  const ex = builtInExercises().find((e) => e.id === id)!
  return { ...ex, params: { ...ex.params, timeoutMs } }
}

/** The Hello server of seed 001, in Node: Welcome!, Hello, <name>!, closes on exit. */
async function helloServer(): Promise<number> {
  const server = createServer((s) => {
    s.write('Welcome!')
    s.on('data', (d) => (String(d) === 'exit' ? s.end() : s.write(`Hello, ${d}!`)))
    s.on('error', () => undefined)
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  closers.push(() => server.close())
  return (server.address() as { port: number }).port
}

/** A client of the threaded-hello-client exercise, done right: each name after its reply, exit, FIN. */
async function helloClient(port: number, host = '127.0.0.1'): Promise<void> {
  const s = new Socket()
  const replies: string[] = []
  let wake = (): void => undefined
  s.on('data', (d) => {
    replies.push(String(d))
    wake()
  })
  const next = (): Promise<void> => new Promise((r) => (wake = r))
  await new Promise<void>((r) => s.connect(port, host, r))
  await next() // Welcome!
  for (const name of ['Michael', 'Tracy', '小文']) {
    const got = next()
    s.write(name)
    await got
  }
  s.end('exit')
  await new Promise((r) => s.on('close', r))
}

describe('gradeServer', () => {
  it('fails "connect" with what it saw and does not run the other checks when nothing listens', async () => {
    const ex = exercise('threaded-hello')
    const port = await freePort()
    const rs = await gradeServer(ex, { host: '127.0.0.1', port })
    expect(rs.map((r) => `${r.check} ${r.ok} ${r.detail.en} / ${r.detail['zh-CN']}`)).toEqual([
      'connect false could not connect / 连接失败',
      ...ex.checks.slice(1).map((c) => `${c.id} false not checked: could not connect / 未检查：连不上`),
    ])
    // an absent student fails one check, "connect", with its hint; the rest are not checked, not
    // failed each with a hint about something else
    expect(rs.map((r) => r.skipped ?? false)).toEqual([false, ...ex.checks.slice(1).map(() => true)])
    expect(rs[0]!.transcript).toEqual([{ dir: '·', text: 'connect: ECONNREFUSED' }])
    expect(rs[1]!.transcript).toEqual([])
    // every result carries its check's hint, and its line of the model solution when it has one
    for (const [i, c] of ex.checks.entries()) {
      expect(rs[i]!.hint).toEqual(c.hint)
      expect(rs[i]!.line).toBe(c.line)
    }
  })

  it('tells progress after each check, with the results so far', async () => {
    const ex = exercise('threaded-hello', 2000)
    const port = await helloServer()
    const seen: string[] = []
    const rs = await gradeServer(
      ex,
      { host: '127.0.0.1', port },
      { progress: (s) => seen.push(s.map((r) => r.check).join(',')) },
    )
    expect(
      rs.every((r) => r.ok),
      JSON.stringify(rs.filter((r) => !r.ok)),
    ).toBe(true)
    expect(seen).toEqual(
      ex.checks.map((_, i) =>
        ex.checks
          .slice(0, i + 1)
          .map((c) => c.id)
          .join(','),
      ),
    )
  })
})

describe('gradeServers', () => {
  it("grades each student's server and tells each as it ends, in the students' order", async () => {
    const ex = exercise('threaded-hello', 2000)
    const good = await helloServer()
    const gone = await freePort()
    const heard: string[] = []
    const rs = await gradeServers(
      ex,
      [
        { name: '小文', host: '127.0.0.1', port: gone },
        { name: 'Tracy', host: '127.0.0.1', port: good },
      ],
      (r) => heard.push(r.name),
    )
    expect(rs.map((r) => `${r.name}:${r.port} ${r.results.filter((x) => x.ok).length}`)).toEqual([
      `小文:${gone} 0`,
      `Tracy:${good} ${ex.checks.length}`,
    ])
    expect(heard.sort()).toEqual(['Tracy', '小文'])
  })
})

describe('pool', () => {
  it('runs at most n at a time and keeps the results in the order of the items', async () => {
    let running = 0
    let most = 0
    const out = await pool([30, 10, 20, 5, 1], 2, async (ms) => {
      most = Math.max(most, ++running)
      await new Promise((r) => setTimeout(r, ms))
      running--
      return ms * 2
    })
    expect(out).toEqual([60, 20, 40, 10, 2])
    expect(most).toBe(2)
  })

  it('runs every item when n is more than the items, and nothing for none', async () => {
    expect(await pool([1, 2], 16, async (x) => x + 1)).toEqual([2, 3])
    expect(await pool([], 4, async (x: number) => x)).toEqual([])
  })
})

describe('gradeClients', () => {
  it('names a client by the roster, matched by address (an IPv4 client of a dual-stack listener too), and the next one from the same address by its address and port', async (ctx) => {
    const ex = exercise('threaded-hello-client', 2000)
    const roster = [{ name: '小文', host: '127.0.0.1' }]
    const started: string[] = []
    let g
    try {
      g = await gradeClients(ex, { host: '::', port: 0, count: 2, roster, started: (s) => started.push(s.name) })
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EAFNOSUPPORT') return ctx.skip('no IPv6 on this machine')
      throw e
    }
    closers.push(() => void g.close())
    expect(g.port).toBeGreaterThan(0)
    await helloClient(g.port)
    await helloClient(g.port)
    const rs = await g.done
    expect(rs).toHaveLength(2)
    expect(rs[0]!.name).toBe('小文')
    expect(rs[1]!.name).toMatch(/^127\.0\.0\.1:\d+$/)
    expect(rs[1]!.host).toBe('127.0.0.1')
    expect(started).toEqual(rs.map((r) => r.name))
    for (const r of rs) expect(r.results.filter((x) => !x.ok)).toEqual([])
  })

  it('ends after `count` sessions, not before', async () => {
    const ex = exercise('threaded-hello-client', 2000)
    const g = await gradeClients(ex, { host: '127.0.0.1', port: 0, count: 2 })
    closers.push(() => void g.close())
    let ended = false
    void g.done.then(() => (ended = true))
    await helloClient(g.port)
    await new Promise((r) => setTimeout(r, 100))
    expect(ended).toBe(false)
    await helloClient(g.port)
    expect((await g.done).length).toBe(2)
  })

  it('without a count runs until close(), then gives what it graded and lets the port go', async () => {
    const ex = exercise('threaded-hello-client', 2000)
    const g = await gradeClients(ex, { host: '127.0.0.1', port: 0 })
    await helloClient(g.port)
    await g.close()
    expect((await g.done).map((r) => r.results.every((x) => x.ok))).toEqual([true])
    const s = new Socket()
    const refused = await new Promise<string>((r) => {
      s.once('error', (e: NodeJS.ErrnoException) => r(e.code ?? ''))
      s.connect(g.port, '127.0.0.1', () => r('connected'))
    })
    s.destroy()
    expect(refused).toBe('ECONNREFUSED')
  })

  it('reports a port in use as the error of the grading, not as a crash', async () => {
    const port = await helloServer()
    await expect(gradeClients(exercise('threaded-hello-client'), { host: '127.0.0.1', port })).rejects.toMatchObject({
      code: 'EADDRINUSE',
    })
  })
})
