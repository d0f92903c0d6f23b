/**
 * `Socket Lab --cli <command> …`: the installed app as the CLI. The app's own executable is run
 * again as plain Node (ELECTRON_RUN_AS_NODE, the RunAsNode fuse the backlog helper needs too) on
 * the CLI bundled in the app (out/main/cli.js, inside app.asar: Electron's Node mode reads it),
 * with this terminal's stdin, stdout and stderr; its exit status is the app's.
 */
import { spawn } from 'node:child_process'
import { join } from 'node:path'

/** The arguments after `--cli`, or undefined when the app was not started as the CLI. */
export function cliArgs(argv: readonly string[]): string[] | undefined {
  const i = argv.indexOf('--cli')
  return i < 0 ? undefined : argv.slice(i + 1)
}

export function runCli(
  appPath: string,
  args: string[],
  exit: (code: number) => void,
  stdio: 'inherit' | 'ignore' = 'inherit',
): void {
  const child = spawn(process.execPath, [join(appPath, 'out', 'main', 'cli.js'), ...args], {
    stdio,
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
    windowsHide: false,
  })
  const forward = (sig: NodeJS.Signals): void => void child.kill(sig)
  process.on('SIGINT', forward)
  process.on('SIGTERM', forward)
  child.on('exit', (code, signal) => exit(code ?? (signal ? 1 : 0)))
  child.on('error', (e) => {
    process.stderr.write(`socket-lab --cli: ${e.message}\n`)
    exit(2)
  })
}
