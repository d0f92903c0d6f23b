/**
 * What the README tells macOS, Windows and Linux users, checked against what is installed and
 * built: the things only a real Mac or Windows PC would show (Electron review 2: N1, N2, N4, N10).
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'

const readme = readFileSync('README.md', 'utf8')
const electronMajor = Number(
  (JSON.parse(readFileSync('node_modules/electron/package.json', 'utf8')) as { version: string }).version.split('.')[0],
)
const install = readme.slice(readme.indexOf('## Installing'), readme.indexOf('## Quick start'))

describe('the README', () => {
  it('gives the macOS floor of the Electron in use (44 and later need macOS 13)', () => {
    const floor = /\*\*macOS (\d+)/.exec(install)?.[1]
    expect(floor).toBeDefined()
    if (electronMajor >= 44) expect(Number(floor)).toBeGreaterThanOrEqual(13)
  })

  it('gives the Gatekeeper step macOS 15 still has (Open Anyway), not the right-click bypass as the way', () => {
    expect(install).toContain('Privacy & Security → Open Anyway')
    expect(install).not.toMatch(/right-click the app → \*Open\*/)
  })

  it('tells macOS 15+ users where Local Network access is allowed, and what its absence looks like', () => {
    expect(install).toContain('Privacy &\n  Security → Local Network')
    expect(install).toContain('EHOSTUNREACH')
  })

  it('tells Windows users the install-mode choice and that the firewall needs an administrator', () => {
    expect(install).toContain('*Only for me*')
    expect(install).toContain('*Anyone who uses this computer*')
    expect(install).toMatch(/firewall needs an administrator/i)
  })

  it('names the installed CLI launchers, where the installers put them, and Windows console input', () => {
    const cli = readme.slice(readme.indexOf('## The CLI'))
    expect(cli).toContain('/opt/Socket Lab/resources/bin/socket-lab')
    expect(cli).toContain('Socket Lab.app/Contents/Resources/bin/socket-lab')
    expect(cli).toContain('resources\\bin\\socket-lab.cmd')
    expect(cli).toMatch(/what you type at the console is not passed/)
    // `--cli` is no longer the way the README gives the installed CLI
    expect(cli).not.toMatch(/The installed app is the CLI\s+too: `"Socket Lab" --cli/)
  })

  it('no longer sends Ubuntu 24.04 users from the AppImage to the .deb (the AppImage starts unsandboxed itself)', () => {
    expect(install).not.toMatch(/24\.04, whose AppArmor\s+stops AppImages' sandbox, install the `\.deb` instead/)
    expect(install).toContain('libfuse2')
  })
})
