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
  linux: { executableName?: string; syncDesktopName?: boolean }
  files: string[]
  publish?: unknown
  mac: {
    target: { target: string; arch: string[] }[]
    identity?: string | null
    hardenedRuntime?: boolean
    extendInfo?: Record<string, string>
    extraResources?: { from: string; to: string }[]
  }
}
const config = yaml.load(readFileSync('electron-builder.yml', 'utf8')) as Config
const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { homepage?: string; desktopName?: string }
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
    // packaging/linux/after-install.tpl links /usr/bin/${executable} to resources/bin/socket-lab
    expect(config.linux.executableName).toBe('socket-lab')
    expect(readFileSync('src/main/index.ts', 'utf8')).toContain('cliArgs(process.argv)')
  })

  it('declares why it uses the local network (macOS 15+ drops its LAN packets without it), in English and Chinese', () => {
    expect(config.mac.extendInfo?.['NSLocalNetworkUsageDescription']).toMatch(/\S{10,}/)
    for (const lang of ['en', 'zh_CN']) {
      const from = `packaging/mac/${lang}.lproj/InfoPlist.strings`
      expect(config.mac.extraResources).toContainEqual({ from, to: `${lang}.lproj/InfoPlist.strings` })
      // "key" = "value"; as Apple's strings format has it, the value non-empty
      expect(readFileSync(from, 'utf8')).toMatch(/^"NSLocalNetworkUsageDescription" = "[^"]+";$/m)
    }
    expect(readFileSync('packaging/mac/zh_CN.lproj/InfoPlist.strings', 'utf8')).toMatch(/[\u4e00-\u9fff]/)
  })

  it('writes no update metadata: the app has no updater', () => {
    expect(config.publish).toBeNull()
  })

  it('names the desktop file as the window (Wayland app_id / WM_CLASS come from desktopName)', () => {
    expect(pkg.desktopName).toBe(`${config.linux.executableName}.desktop`)
    expect(config.linux.syncDesktopName).toBe(true)
  })

  it('signs pull-request builds ad hoc too (electron-builder skips signing on a PR unless CSC_FOR_PULL_REQUEST)', () => {
    expect(config.mac.identity).toBe('-')
    expect(workflow).toMatch(/^\s*pull_request:/m)
    expect(workflow).toMatch(/^\s*CSC_FOR_PULL_REQUEST: 'true'$/m)
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
