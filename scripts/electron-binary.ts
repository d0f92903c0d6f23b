/**
 * Where the Electron binary is, read the way `electron` (node_modules/electron/index.js) and
 * electron-vite 6 (`getElectronPath`) read it, without downloading anything.
 *
 * Since Electron 42 `npm ci` fetches no binary: `require('electron')` downloads it on first
 * use, but electron-vite only reads `path.txt` and stops with "Electron uninstall" when it is
 * missing. So `npm start` / `npm run dev` look first, run Electron's own installer when the
 * binary is absent, and hand electron-vite the path through `ELECTRON_EXEC_PATH` (which it
 * honours before `path.txt`).
 */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

/** The executable's path inside Electron's zip, as electron/install.js names it. */
export function platformPath(platform: NodeJS.Platform): string {
  if (platform === 'darwin') return 'Electron.app/Contents/MacOS/Electron'
  if (platform === 'win32') return 'electron.exe'
  return 'electron'
}

export type BinaryLookup =
  | { found: true; path: string }
  /** `expected` is where it would be; `why` says in a few words what is missing. */
  | { found: false; expected: string; why: string }

/**
 * @param moduleDir node_modules/electron
 * @param env process.env: ELECTRON_EXEC_PATH (electron-vite's override) and
 *   ELECTRON_OVERRIDE_DIST_PATH (Electron's own: a folder holding an unpacked build) are honoured.
 */
export function findElectron(
  moduleDir: string,
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): BinaryLookup {
  const exec = env['ELECTRON_EXEC_PATH']
  if (exec) {
    return existsSync(exec)
      ? { found: true, path: exec }
      : { found: false, expected: exec, why: 'ELECTRON_EXEC_PATH names a file that does not exist' }
  }
  const pathFile = join(moduleDir, 'path.txt')
  const recorded = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : ''
  const override = env['ELECTRON_OVERRIDE_DIST_PATH']
  const path = override
    ? join(override, recorded || platformPath(platform))
    : join(moduleDir, 'dist', recorded || platformPath(platform))
  if (existsSync(path)) return { found: true, path }
  if (override) return { found: false, expected: path, why: 'ELECTRON_OVERRIDE_DIST_PATH holds no Electron executable' }
  return {
    found: false,
    expected: path,
    why: recorded ? 'the Electron binary was removed' : 'the Electron binary has not been downloaded yet',
  }
}
