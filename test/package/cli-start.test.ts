/**
 * What the built CLI loads before it does anything: not the certificate maker (@peculiar/x509
 * and reflect-metadata cost 110 ms, paid by every command and every 200 MB sent), which is
 * loaded only when a certificate is made — as a deferred require(), not an import() that
 * Electron has failed to resolve inside app.asar.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'

const CLI = 'out/main/cli.js'
const built = existsSync(CLI)
if (!built && process.env['CI'] && process.platform === 'linux')
  throw new Error('CI must build before this test (npm test does)')
const home = mkdtempSync(join(tmpdir(), 'cli-start-'))
afterAll(() => rmSync(home, { recursive: true, force: true }))

/** The packages a run of the CLI loaded, from Node's own module debug log. */
function loaded(args: string[], timeout = 20_000): string {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    env: { ...process.env, NODE_DEBUG: 'module', XDG_CONFIG_HOME: home },
    encoding: 'utf8',
    timeout,
  })
  return r.stderr
}

describe.skipIf(!built)('the built CLI starting', () => {
  it('loads the certificate maker only to make a certificate', () => {
    expect(loaded(['tcp-client', '--help'])).not.toMatch(/@peculiar[\\/]x509|reflect-metadata/)
    const pem = join(home, 'lab.pem')
    // a server runs until stopped: this one is stopped (SIGTERM) once it has had time to start
    const made = loaded(['tcp-server', '--tls', '--port', '0', '--tls-export-cert', pem], 4000)
    expect(made).toMatch(/@peculiar[\\/]x509/)
    expect(readFileSync(pem, 'utf8')).toContain('BEGIN CERTIFICATE')
  })

  it('in the Electron bundle the deferred load is a require(), never an import()', () => {
    const chunks = ['out/main/cli.js', 'out/main/index.js', ...listChunks()]
    const text = chunks.map((f) => readFileSync(f, 'utf8')).join('\n')
    expect(text).toContain('require("@peculiar/x509")')
    expect(text).not.toMatch(/import\(\s*["']@peculiar/)
  })
})

function listChunks(): string[] {
  const dir = 'out/main/chunks'
  return existsSync(dir) ? readdirSync(dir).map((f) => join(dir, f)) : []
}
