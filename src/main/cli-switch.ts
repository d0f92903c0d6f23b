/**
 * `Socket Lab --cli <command> …`: a fallback only. The installed CLI is the launcher in
 * resources/bin (`socket-lab`, `socket-lab.cmd`: packaging/bin), which runs the app's executable
 * as plain Node from the start. This path has already started a browser process: on Windows the
 * shell does not wait for it (a GUI program), and on Linux without a display Chromium exits right
 * after this code ran. So without a display it stops at once and names the launcher; otherwise the
 * app's executable is run again as plain Node (ELECTRON_RUN_AS_NODE, the RunAsNode fuse the
 * backlog helper needs too) on the CLI bundled in the app (out/main/cli.js, inside app.asar:
 * Electron's Node mode reads it), with this terminal's stdin, stdout and stderr.
 */
import { spawn } from 'node:child_process'
import { join } from 'node:path'

/** The arguments after `--cli`, or undefined when the app was not started as the CLI. */
export function cliArgs(argv: readonly string[]): string[] | undefined {
  const i = argv.indexOf('--cli')
  return i < 0 ? undefined : argv.slice(i + 1)
}

/**
 * Whether `--cli` can run here, or why not: Linux with neither X11 nor Wayland cannot start the
 * browser process this path lives in (the CLI would be left behind, orphaned, holding its port).
 */
export function cliBlocked(platform: string, env: NodeJS.ProcessEnv): 'no-display' | undefined {
  return platform === 'linux' && !env['DISPLAY'] && !env['WAYLAND_DISPLAY'] ? 'no-display' : undefined
}

/** What `--cli` says when it cannot run: the launcher that needs no display. */
export function cliBlockedMessage(resourcesPath: string): string {
  const launcher = join(resourcesPath, 'bin', 'socket-lab')
  return (
    'socket-lab --cli: no display here (DISPLAY and WAYLAND_DISPLAY are unset), and --cli starts the desktop app first.\n' +
    `Run the CLI launcher instead, which needs no display: "${launcher}" (the .deb installs it as /usr/bin/socket-lab).\n`
  )
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
