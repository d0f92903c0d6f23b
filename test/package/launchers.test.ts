/**
 * The installed app's CLI launchers (packaging/bin): the app's own executable run as plain Node on
 * the CLI in app.asar, never through the browser process. The POSIX launcher runs here in the
 * layouts electron-builder makes (Linux /opt and a /usr/bin link, a macOS .app), with a stand-in
 * for the app's executable that refuses to run unless ELECTRON_RUN_AS_NODE=1, on the built CLI.
 * The Windows .cmd cannot run here: what it must say is checked as text.
 */
import { spawn } from 'node:child_process'
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs'
import net from 'node:net'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { createRequire } from 'node:module'
import { afterAll, describe, expect, it } from 'vitest'

const yaml = createRequire(import.meta.url)('js-yaml') as { load(text: string): unknown }
type Extra = { from: string; to: string }[]
const config = yaml.load(readFileSync('electron-builder.yml', 'utf8')) as {
  win: { extraResources?: Extra }
  mac: { extraResources?: Extra }
  linux: { extraResources?: Extra }
  deb?: { afterInstall?: string; afterRemove?: string }
}
const built = resolve('out/main/cli.js')
const temps: string[] = []
afterAll(() => temps.forEach((d) => rmSync(d, { recursive: true, force: true })))

/** An installed app's folders, the launcher in resources/bin, app.asar's out/ the real build. */
function install(layout: 'linux' | 'mac'): { launcher: string; onPath: string } {
  const root = mkdtempSync(join(tmpdir(), 'lab-installed-'))
  temps.push(root)
  const app =
    layout === 'linux' ? join(root, 'opt', 'Socket Lab') : join(root, 'Applications', 'Socket Lab.app', 'Contents')
  const resources = layout === 'linux' ? join(app, 'resources') : join(app, 'Resources')
  const exe = layout === 'linux' ? join(app, 'socket-lab') : join(app, 'MacOS', 'Socket Lab')
  mkdirSync(join(resources, 'bin'), { recursive: true })
  mkdirSync(join(resources, 'app.asar'), { recursive: true })
  mkdirSync(dirname(exe), { recursive: true })
  symlinkSync(resolve('out'), join(resources, 'app.asar', 'out'))
  // The app's executable: Electron as Node only when asked; as itself it would open a window.
  writeFileSync(
    exe,
    `#!/bin/sh\n[ "$ELECTRON_RUN_AS_NODE" = 1 ] || { echo "started as the desktop app" >&2; exit 97; }\nexec "${process.execPath}" "$@"\n`,
  )
  chmodSync(exe, 0o755)
  const launcher = join(resources, 'bin', 'socket-lab')
  copyFileSync('packaging/bin/socket-lab', launcher)
  chmodSync(launcher, 0o755)
  // /usr/bin/socket-lab as the .deb makes it (through update-alternatives: two links)
  const alternatives = join(root, 'etc', 'alternatives', 'socket-lab')
  const onPath = join(root, 'usr', 'bin', 'socket-lab')
  mkdirSync(dirname(alternatives), { recursive: true })
  mkdirSync(dirname(onPath), { recursive: true })
  symlinkSync(launcher, alternatives)
  symlinkSync(join('..', '..', 'etc', 'alternatives', 'socket-lab'), onPath)
  return { launcher, onPath }
}

function run(cmd: string, args: string[], stdin = ''): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((ok) => {
    const env = { ...process.env }
    delete env['ELECTRON_RUN_AS_NODE']
    const child = spawn(cmd, args, { env })
    let out = ''
    let err = ''
    child.stdout.on('data', (d: Buffer) => (out += d.toString()))
    child.stderr.on('data', (d: Buffer) => (err += d.toString()))
    child.on('close', (code) => ok({ code, out, err }))
    child.stdin.end(stdin)
  })
}

describe('the installers ship the CLI launchers', () => {
  it('Windows gets socket-lab.cmd, macOS and Linux the shell launcher, in resources/bin', () => {
    expect(config.win.extraResources).toContainEqual({ from: 'packaging/bin/socket-lab.cmd', to: 'bin/socket-lab.cmd' })
    expect(config.mac.extraResources).toContainEqual({ from: 'packaging/bin/socket-lab', to: 'bin/socket-lab' })
    expect(config.linux.extraResources).toContainEqual({ from: 'packaging/bin/socket-lab', to: 'bin/socket-lab' })
  })

  it('the .deb links /usr/bin/socket-lab to the launcher, not to the desktop app, and unlinks it on removal', () => {
    const after = readFileSync(config.deb!.afterInstall!, 'utf8')
    expect(after).toContain(`cli="$app/resources/bin/\${executable}"`)
    expect(after).toMatch(/update-alternatives --install '\/usr\/bin\/\$\{executable\}' '\$\{executable\}' "\$cli"/)
    expect(after).not.toMatch(/ln -sf "\$app\/\$\{executable\}"/)
    expect(readFileSync(config.deb!.afterRemove!, 'utf8')).toContain(
      "'/opt/${sanitizedProductName}/resources/bin/${executable}'",
    )
    // electron-builder fills in only the macros it defines; any other ${…} stops the build
    for (const f of [config.deb!.afterInstall!, config.deb!.afterRemove!])
      for (const [, name] of readFileSync(f, 'utf8').matchAll(/\$\{([a-zA-Z]+)\}/g))
        expect(['executable', 'sanitizedProductName', 'productFilename'], f).toContain(name)
  })

  it('the Windows launcher is a batch file that runs the app as Node on the bundled CLI and hands back its exit code', () => {
    const cmd = readFileSync('packaging/bin/socket-lab.cmd', 'utf8')
    expect(cmd).toContain('set "ELECTRON_RUN_AS_NODE=1"')
    expect(cmd).toContain('"%~dp0..\\..\\Socket Lab.exe" "%~dp0..\\app.asar\\out\\main\\cli.js" %*')
    expect(cmd).toMatch(/exit \/b %SOCKET_LAB_EXIT%/)
    // no labels or goto: cmd reads an LF-only batch file right only without them
    expect(cmd).not.toMatch(/^:|goto/im)
  })
})

describe.skipIf(process.platform === 'win32' || !existsSync(built))('the shell launcher, run', () => {
  it.each(['linux', 'mac'] as const)(
    '%s layout: help exits 0, a bad command 2 (its status handed back), through the /usr/bin link too',
    async (layout) => {
      const { launcher, onPath } = install(layout)
      for (const cmd of [launcher, onPath]) {
        const help = await run(cmd, ['--help'])
        expect(help.err).not.toContain('started as the desktop app')
        expect(help.code, help.err).toBe(0)
        expect(help.out).toContain('tcp-server')
        const bad = await run(cmd, ['frobnicate'])
        expect(bad.code).toBe(2)
      }
    },
  )

  it('tcp-client sends a line typed on stdin to a server, and ends when stdin does', async () => {
    const { onPath } = install('linux')
    const got: Buffer[] = []
    const server = net.createServer((s) => s.on('data', (d) => got.push(d)))
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    try {
      const port = (server.address() as net.AddressInfo).port
      const r = await run(
        onPath,
        ['tcp-client', '--host', '127.0.0.1', '--port', String(port), '--eol', 'lf'],
        '你好 from stdin\n',
      )
      expect(r.code, r.err).toBe(0)
      await expect.poll(() => Buffer.concat(got).toString()).toBe('你好 from stdin\n')
    } finally {
      server.close()
    }
  })
})
