/**
 * `npm start` and `npm run dev`: make sure Electron's binary is there, then hand it to
 * electron-vite (`preview` or `dev`).
 *
 * When the binary is missing (every fresh clone since Electron 42: `npm ci` downloads nothing),
 * Electron's own installer fetches it, with its progress bar, honouring Electron's documented
 * download settings (ELECTRON_MIRROR, electron_config_cache, ...). When it cannot be had
 * (offline, blocked, a locked-down school PC), `npm start` says so in a few lines and serves the
 * same UI in the browser instead (real sockets, 127.0.0.1 only); `npm run dev` says so and stops.
 *
 * Usage: tsx scripts/launch.ts start|dev [electron-vite options]
 */
import { spawn, spawnSync } from 'node:child_process'
import { createRequire } from 'node:module'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { servePreview } from '../src/preview/serve'
import { findElectron, type BinaryLookup } from './electron-binary'

const require = createRequire(import.meta.url)
const electronModule = dirname(require.resolve('electron/package.json'))
const electronVite = join(dirname(require.resolve('electron-vite/package.json')), 'bin', 'electron-vite.js')
const electronVersion = (require('electron/package.json') as { version: string }).version

type Mode = 'start' | 'dev'

function say(lines: string[]): void {
  process.stdout.write(lines.map((l) => `${l}\n`).join(''))
}

/** Electron's own installer (node_modules/electron/install.js), its output shown as it goes. */
function runInstaller(): boolean {
  const mirror = process.env['ELECTRON_MIRROR']
  say([
    `Socket Lab runs on Electron ${electronVersion}, whose binary (about 100 MB) is downloaded once, now` +
      (mirror ? `, from ELECTRON_MIRROR=${mirror}:` : ':'),
  ])
  const r = spawnSync(process.execPath, [join(electronModule, 'install.js')], { stdio: 'inherit' })
  return r.status === 0
}

/** What failed and how to fix it, in a few plain lines. */
export function cannotGetElectron(mode: Mode, lookup: Extract<BinaryLookup, { found: false }>): string[] {
  const zip = `electron-v${electronVersion}-${process.platform}-${process.arch}.zip`
  return [
    '',
    `Could not get Electron's binary: ${lookup.why} (${lookup.expected}), and its download failed.`,
    'To fix it, then run the command again:',
    '  - Downloads from GitHub slow or blocked (e.g. in mainland China)? Use a mirror:',
    '      ELECTRON_MIRROR=https://npmmirror.com/mirrors/electron/ npm start',
    '      (PowerShell: $env:ELECTRON_MIRROR="https://npmmirror.com/mirrors/electron/"; npm start)',
    `  - Offline? Unzip ${zip} (from another machine) into a folder and set`,
    '      ELECTRON_OVERRIDE_DIST_PATH=<that folder>',
    '  - Behind a proxy? Set ELECTRON_GET_USE_PROXY=true and HTTPS_PROXY=<proxy URL>.',
    '  More in the README, "Getting Electron".',
    mode === 'start'
      ? 'Meanwhile, the same app runs in your browser (real sockets, 127.0.0.1 only): starting it now.'
      : '`npm run dev` needs Electron; `npm run preview:web` runs the same UI in a browser.',
    '',
  ]
}

/**
 * The environment electron-vite passes on to Electron: the binary's path (electron-vite reads
 * ELECTRON_EXEC_PATH before path.txt), and never ELECTRON_RUN_AS_NODE, which some shells carry
 * (VS Code's remote-WSL terminals): with it Electron runs the app as plain Node, and the app stops
 * at once on `app` being undefined.
 */
export function electronEnv(env: NodeJS.ProcessEnv, binary: string): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = { ...env, ELECTRON_EXEC_PATH: binary }
  delete out['ELECTRON_RUN_AS_NODE']
  return out
}

function runElectronVite(mode: Mode, binary: string, args: string[]): void {
  if (process.env['ELECTRON_RUN_AS_NODE'] !== undefined)
    say(['ELECTRON_RUN_AS_NODE is set in this shell: left out for the app (it would start as plain Node).'])
  const child = spawn(process.execPath, [electronVite, mode === 'start' ? 'preview' : 'dev', ...args], {
    stdio: 'inherit',
    env: electronEnv(process.env, binary),
  })
  // Ctrl+C reaches the whole process group; a SIGTERM sent to this process alone is passed on.
  const forward = (sig: NodeJS.Signals): void => void child.kill(sig)
  process.on('SIGINT', () => undefined)
  process.on('SIGTERM', forward)
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)))
}

/** Opens the URL in the user's browser (an interactive terminal only: never in CI or tests). */
function openBrowser(url: string): void {
  if (!process.stdout.isTTY || process.env['CI'] || process.env['SOCKET_LAB_NO_BROWSER']) return
  const [cmd, args] =
    process.platform === 'darwin'
      ? ['open', [url]]
      : process.platform === 'win32'
        ? ['cmd', ['/c', 'start', '""', url]]
        : ['xdg-open', [url]]
  const child = spawn(cmd, args, { stdio: 'ignore', detached: true, windowsHide: true })
  child.on('error', () => undefined) // no opener: the printed URL is enough
  child.unref()
}

async function fallBackToPreview(): Promise<void> {
  const build = spawnSync(process.execPath, [electronVite, 'build'], { stdio: 'inherit' })
  if (build.status !== 0) process.exit(build.status ?? 1)
  const preview = await servePreview({ root: 'out/renderer', port: 5178, anyPortIfBusy: true })
  openBrowser(preview.url)
}

async function main(mode: Mode, args: string[]): Promise<void> {
  let lookup = findElectron(electronModule)
  if (!lookup.found && !process.env['ELECTRON_EXEC_PATH'] && runInstaller()) lookup = findElectron(electronModule)
  if (lookup.found) return runElectronVite(mode, lookup.path, args)
  say(cannotGetElectron(mode, lookup))
  if (mode === 'dev') process.exit(1)
  await fallBackToPreview()
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [mode, ...args] = process.argv.slice(2)
  if (mode !== 'start' && mode !== 'dev') {
    process.stderr.write('usage: tsx scripts/launch.ts start|dev [electron-vite options]\n')
    process.exit(2)
  }
  main(mode, args).catch((e: Error) => {
    process.stderr.write(`${e.message}\n`)
    process.exit(1)
  })
}
