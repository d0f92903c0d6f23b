import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { findElectron, platformPath } from '../../scripts/electron-binary'

const made: string[] = []
afterEach(() => made.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })))

/** A node_modules/electron as `npm ci` leaves it (no path.txt, no dist) or as its installer does. */
function electronModule(opts: { pathTxt?: string; exe?: string } = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'lab-electron-module-'))
  made.push(dir)
  if (opts.pathTxt !== undefined) writeFileSync(join(dir, 'path.txt'), opts.pathTxt)
  if (opts.exe) {
    mkdirSync(join(dir, 'dist'), { recursive: true })
    writeFileSync(join(dir, 'dist', opts.exe), '')
  }
  return dir
}

describe('findElectron', () => {
  it('a fresh install (no path.txt): not found, where it would be and why', () => {
    const dir = electronModule()
    expect(findElectron(dir, {}, 'linux')).toEqual({
      found: false,
      expected: join(dir, 'dist', 'electron'),
      why: 'the Electron binary has not been downloaded yet',
    })
  })

  it('after the installer: path.txt names the executable under dist/', () => {
    const dir = electronModule({ pathTxt: 'electron', exe: 'electron' })
    expect(findElectron(dir, {}, 'linux')).toEqual({ found: true, path: join(dir, 'dist', 'electron') })
  })

  it('path.txt left behind but the binary deleted: not found', () => {
    const dir = electronModule({ pathTxt: 'electron' })
    expect(findElectron(dir, {}, 'linux')).toMatchObject({ found: false, why: 'the Electron binary was removed' })
  })

  it('ELECTRON_OVERRIDE_DIST_PATH (an unzipped build) is used, with the platform’s executable name', () => {
    const dir = electronModule()
    const dist = mkdtempSync(join(tmpdir(), 'lab-electron-dist-'))
    made.push(dist)
    writeFileSync(join(dist, 'electron.exe'), '')
    expect(findElectron(dir, { ELECTRON_OVERRIDE_DIST_PATH: dist }, 'win32')).toEqual({
      found: true,
      path: join(dist, 'electron.exe'),
    })
    expect(findElectron(dir, { ELECTRON_OVERRIDE_DIST_PATH: dist }, 'linux')).toMatchObject({ found: false })
  })

  it('ELECTRON_EXEC_PATH (electron-vite’s own override) wins, when it exists', () => {
    const dir = electronModule({ pathTxt: 'electron', exe: 'electron' })
    const exe = join(dir, 'dist', 'electron')
    expect(findElectron(dir, { ELECTRON_EXEC_PATH: exe })).toEqual({ found: true, path: exe })
    expect(findElectron(dir, { ELECTRON_EXEC_PATH: exe + '-gone' })).toMatchObject({ found: false })
  })

  it('names the executable as Electron’s installer does on each OS', () => {
    expect(platformPath('darwin')).toBe('Electron.app/Contents/MacOS/Electron')
    expect(platformPath('win32')).toBe('electron.exe')
    expect(platformPath('linux')).toBe('electron')
  })
})
