/**
 * The installers' configuration, checked here because only the release runners build them:
 * what each finding of the Electron review needs from electron-builder.yml and package.json.
 */
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { describe, expect, it } from 'vitest'

const yaml = createRequire(import.meta.url)('js-yaml') as { load(text: string): unknown }
interface Config {
  electronFuses?: Record<string, boolean>
  linux: { executableName?: string }
  files: string[]
  mac: { target: { target: string; arch: string[] }[]; identity?: string | null; hardenedRuntime?: boolean }
}
const config = yaml.load(readFileSync('electron-builder.yml', 'utf8')) as Config
const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { homepage?: string }
const workflow = readFileSync('.github/workflows/release.yml', 'utf8')
const acceptor = readFileSync('src/main/engine/backlog/acceptor.ts', 'utf8')

describe('electron-builder configuration', () => {
  it('keeps the RunAsNode fuse on: the backlog helper is the app run with ELECTRON_RUN_AS_NODE', () => {
    expect(acceptor).toContain("env['ELECTRON_RUN_AS_NODE'] = '1'")
    expect(acceptor).toContain('spawn(process.execPath')
    expect(config.electronFuses?.['runAsNode']).not.toBe(false)
  })

  it('ships the CLI: out/** (out/main/cli.js) is packed, and the .deb puts socket-lab on the PATH', () => {
    expect(config.files).toContain('out/**')
    // electron-builder's deb after-install links /usr/bin/${executable} to the app
    expect(config.linux.executableName).toBe('socket-lab')
    expect(readFileSync('src/main/index.ts', 'utf8')).toContain('cliArgs(process.argv)')
  })

  it('builds both macOS arches, also when the workflow names the target on the command line', () => {
    expect(config.mac.target).toEqual([{ target: 'dmg', arch: ['x64', 'arm64'] }])
    const mac = /installers: (--mac [^\n]*)/.exec(workflow)?.[1] ?? ''
    expect(mac.split(' ')).toEqual(expect.arrayContaining(['--mac', 'dmg', '--x64', '--arm64']))
  })

  it('signs the macOS app ad hoc (a downloaded unsigned arm64 app is "damaged"), without the hardened runtime', () => {
    expect(config.mac.identity).toBe('-')
    expect(config.mac.hardenedRuntime).toBe(false)
  })

  it('gives the .deb a homepage (fpm refuses to build without one)', () => {
    expect(pkg.homepage).toMatch(/^https:\/\/\S+$/)
  })
})
