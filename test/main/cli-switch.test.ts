import { existsSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { cliArgs, cliBlocked, cliBlockedMessage, runCli } from '../../src/main/cli-switch'

describe('the installed app as the CLI (--cli)', () => {
  it('takes the arguments after --cli; without it the app starts as itself', () => {
    expect(cliArgs(['/opt/Socket Lab/socket-lab', '--cli', 'tcp-server', '--port', '0'])).toEqual([
      'tcp-server',
      '--port',
      '0',
    ])
    expect(cliArgs(['/opt/Socket Lab/socket-lab', '--no-sandbox'])).toBeUndefined()
  })

  // Here the executable is Node; in the app it is Electron run as Node (ELECTRON_RUN_AS_NODE).
  it.skipIf(!existsSync('out/main/cli.js'))('runs the built CLI and hands back its exit status', async () => {
    const code = (args: string[]) => new Promise<number>((resolve) => runCli(process.cwd(), args, resolve, 'ignore'))
    expect(await code(['--help'])).toBe(0)
    expect(await code(['frobnicate'])).toBe(2)
  })
})

describe('--cli without a display (Linux over SSH, WSL without WSLg)', () => {
  it('is refused before the browser process starts, naming the launcher; with X11 or Wayland, or on another OS, it runs', () => {
    expect(cliBlocked('linux', {})).toBe('no-display')
    expect(cliBlocked('linux', { DISPLAY: '' })).toBe('no-display')
    expect(cliBlocked('linux', { DISPLAY: ':0' })).toBeUndefined()
    expect(cliBlocked('linux', { WAYLAND_DISPLAY: 'wayland-0' })).toBeUndefined()
    expect(cliBlocked('win32', {})).toBeUndefined()
    expect(cliBlocked('darwin', {})).toBeUndefined()
    expect(cliBlockedMessage('/opt/Socket Lab/resources')).toContain('"/opt/Socket Lab/resources/bin/socket-lab"')
  })
})
