/** `socket-lab check`: the checker from the command line, as a teacher and an autograder use it. */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli, startCli } from '../support/cli'
import { startPython } from '../support/python'
import { within } from '../support/until'
import { SOLUTIONS } from '../main/engine/checker/solutions'

const cli = (args: string[], env: Record<string, string> = {}) =>
  runCli(['check', ...args], { env: { LANG: 'C.UTF-8', LC_ALL: '', ...env }, ms: 40_000 })
const json = (out: string) =>
  out
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>)
const code = (ex: string, bug = '') => SOLUTIONS.find((s) => s.exercise === ex && s.bug === bug)!.code

let dir: string
const stops: (() => void)[] = []
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lab-check-'))
})
afterAll(async () => {
  for (const s of stops) s()
  await rm(dir, { recursive: true, force: true })
})

async function pyServer(src: string): Promise<number> {
  const py = startPython(src, ['0'])
  stops.push(py.stop)
  return Number(await py.firstLine)
}

describe('socket-lab check', () => {
  it('--list --json: one line per exercise', async () => {
    const r = await cli(['--list', '--json'])
    expect(r.code).toBe(0)
    const ids = json(r.out).map((l) => `${l['event']} ${l['id']} ${l['side']}`)
    expect(ids).toEqual(
      expect.arrayContaining([
        'exercise threaded-hello server',
        'exercise serial-bye server',
        'exercise udp-echo server',
        'exercise threaded-hello-client client',
        'exercise http-get-client client',
      ]),
    )
  })

  it('--validate names the file, the field and what was expected; exit 2', async () => {
    const bad = join(dir, 'bad.json')
    await writeFile(bad, JSON.stringify({ id: 'x', side: 'sideways', checks: [{ id: 'a', kind: 'nope' }] }))
    const r = await cli(['--validate', bad])
    expect(r.code).toBe(2)
    expect(r.err).toContain(`${bad}: side: expected one of server, client`)
    expect(r.err).toContain(`${bad}: checks[0].kind: expected one of`)
    expect((await cli(['--exercise', bad, '--target', '127.0.0.1:1'])).code).toBe(2)
  })

  it('a correct server: every check ✓, exit 0; JSON lines per check and a summary', async () => {
    const port = await pyServer(code('threaded-hello'))
    const r = await cli(['--exercise', 'threaded-hello', '--target', `127.0.0.1:${port}`, '--json'])
    expect(r.code).toBe(0)
    const lines = json(r.out)
    expect(lines.filter((l) => l['event'] === 'check').map((l) => `${l['check']} ${l['ok']}`)).toEqual([
      'connect true',
      'welcome true',
      'hello true',
      'exit-closes true',
      'concurrent true',
      'survives-reset true',
    ])
    expect(lines.at(-1)).toMatchObject({ event: 'summary', students: 1, passed: 6, failed: 0, ok: true })
  })

  it('a class from a roster: a buggy server and one where nobody listens fail (exit 1), the CSV says which check', async () => {
    const good = await pyServer(code('udp-echo'))
    const small = await pyServer(code('udp-echo', 'reads only 1024 bytes of a datagram'))
    const roster = join(dir, 'class.csv')
    const csv = join(dir, 'out.csv')
    // a port where nobody listens: a UDP socket's that was closed
    await writeFile(roster, `name,host,port\n小文,127.0.0.1,${good}\nAnn,127.0.0.1,${small}\nBob,127.0.0.1,1\n`)
    const r = await cli(['--exercise', 'udp-echo', '--roster', roster, '--csv', csv], { LANG: 'zh_CN.UTF-8' })
    expect(r.code).toBe(1)
    expect(r.out).toContain('✗ large')
    expect(r.out).toContain('提示') // Chinese under a zh_* LANG
    const rows = (await readFile(csv, 'utf8')).trim().split('\n')
    // the last column is when the class was checked (local time)
    const time = /,\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/
    expect(rows.every((r, i) => i === 0 || time.test(r))).toBe(true)
    expect(rows.map((r) => r.replace(time, ','))).toEqual([
      'name,host,port,echo,boundaries,large,passed,max,checked_at',
      `小文,127.0.0.1,${good},pass,pass,pass,3,3,`,
      `Ann,127.0.0.1,${small},pass,pass,fail,2,3,`,
      'Bob,127.0.0.1,1,fail,fail,fail,0,3,',
    ])
  })

  it('a target where nobody listens, and one that accepts and never answers: clear failures, no hang', async () => {
    const silent: Server = createServer((s) => s.on('error', () => undefined))
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r))
    const port = (silent.address() as { port: number }).port
    try {
      const r = await cli(['--exercise', 'threaded-hello', '--target', `127.0.0.1:${port}`, '--json'])
      expect(r.code).toBe(1)
      const checks = json(r.out).filter((l) => l['event'] === 'check')
      expect(checks[0]).toMatchObject({ check: 'connect', ok: true })
      expect(checks[1]).toMatchObject({ check: 'welcome', ok: false })
      expect(String(checks[1]!['hint'])).toContain('Welcome!')
    } finally {
      silent.close()
    }
    const t0 = Date.now()
    const none = await cli(['--exercise', 'threaded-hello', '--target', '127.0.0.1:1'])
    expect(none.code).toBe(1)
    expect(none.out).toContain('✗ connect')
    expect(none.out).toContain('not checked: could not connect')
    expect(Date.now() - t0).toBeLessThan(15_000)
  })

  it('--listen plays the reference server and grades the client that connects (exit 0); bad usage is exit 2', async () => {
    const grader = startCli(['check', '--exercise', 'threaded-hello-client', '--listen', '127.0.0.1:0', '--json'])
    stops.push(() => grader.child.kill('SIGKILL'))
    const first = JSON.parse(await grader.waitLine(() => true, 15_000)) as Record<string, unknown>
    expect(first).toMatchObject({ event: 'listening', exercise: 'threaded-hello-client' })
    const py = startPython(code('threaded-hello-client'), [String(first['port'])])
    stops.push(py.stop)
    expect(await within(grader.exited, 20_000, grader.out)).toBe(0)
    expect(grader.json().at(-1)).toMatchObject({ event: 'summary', students: 1, passed: 4, ok: true })

    const r = await cli(['--exercise', 'threaded-hello', '--listen', '0'])
    expect(r.code).toBe(2)
    expect(r.err).toContain('server exercise')
    expect((await cli(['--exercise', 'threaded-hello-client', '--target', '127.0.0.1:1'])).code).toBe(2)
    expect((await cli(['--exercise', 'nope'])).code).toBe(2)
    expect((await cli(['--bogus'])).code).toBe(2)
    // past 2^31 - 1 ms Node's timer fires at once: the grading would end before any client came
    const client = ['--exercise', 'threaded-hello-client', '--listen', '127.0.0.1:0']
    const wait = await cli([...client, '--wait', '1e12'])
    expect([wait.code, wait.err]).toEqual([2, expect.stringContaining('--wait must be a whole number from 1 to')])
    expect((await cli([...client, '--count', '0x10'])).code).toBe(2)
  })
})
