/** The CLI as a real process (`src/cli/index.ts` under tsx), for the tests that run it. */
import { spawn } from 'node:child_process'
import { createRequire } from 'node:module'
import { within } from './until'

const tsx = createRequire(import.meta.url).resolve('tsx')

export interface CliOptions {
  /** A command the CLI runs under (e.g. setpriv, to run as an ordinary user). */
  asUser?: string[]
  env?: Record<string, string>
}

/** Starts the CLI; its output is read as it comes (lines, JSON lines, a line awaited). */
export function startCli(args: string[], opts: CliOptions = {}) {
  const cmd = [...(opts.asUser ?? []), process.execPath, '--import', tsx, 'src/cli/index.ts', ...args]
  const child = spawn(cmd[0]!, cmd.slice(1), { stdio: 'pipe', env: { ...process.env, ...opts.env } })
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d))
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d))
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)))
  const lines = () => stdout.split('\n').filter(Boolean)
  const json = () => lines().map((l) => JSON.parse(l) as Record<string, unknown>)
  async function waitLine(pred: (l: string) => boolean, ms = 10_000): Promise<string> {
    const end = Date.now() + ms
    for (;;) {
      const hit = lines().find(pred)
      if (hit) return hit
      if (Date.now() > end) throw new Error(`no such line; stdout=${stdout} stderr=${stderr}`)
      await new Promise((r) => setTimeout(r, 20))
    }
  }
  const port = async () => (JSON.parse(await waitLine((l) => l.includes('"listening"'))) as { port: number }).port
  return { child, exited, lines, json, waitLine, port, out: () => stdout, err: () => stderr }
}

/** Runs the CLI to its end with `stdin` (then closed): its exit code and output, within `ms`. */
export async function runCli(
  args: string[],
  opts: CliOptions & { stdin?: Buffer; ms?: number } = {},
): Promise<{ code: number | null; out: string; err: string }> {
  const c = startCli(args, opts)
  c.child.stdin.end(opts.stdin)
  try {
    const code = await within(
      c.exited,
      opts.ms ?? 15_000,
      () => `socket-lab ${args.join(' ')} did not end: ${c.out()} ${c.err()}`,
    )
    return { code, out: c.out(), err: c.err() }
  } finally {
    // one that did not end (a failing test) is stopped as a user would, with Ctrl+C: it closes what it opened
    if (c.child.exitCode === null && c.child.signalCode === null) c.child.kill('SIGINT')
  }
}
