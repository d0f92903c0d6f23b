/**
 * The release job lints on Windows, where GitHub's runners check files out with
 * core.autocrlf=true. .gitattributes must keep that checkout LF, or `prettier --check` fails on
 * every file. Cloned here with autocrlf on, as that runner does (the committed tree: HEAD).
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'

const git = (args: string[], cwd = '.'): string => {
  const r = spawnSync('git', args, { cwd, encoding: 'utf8' })
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`)
  return r.stdout
}
const isRepo = spawnSync('git', ['rev-parse', '--git-dir'], { encoding: 'utf8' }).status === 0
const dir = mkdtempSync(join(tmpdir(), 'lab-crlf-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe.skipIf(!isRepo)('a checkout with core.autocrlf=true (Windows runners)', () => {
  it('has LF line endings in every text file, and passes prettier --check', () => {
    git(['clone', '--quiet', '-c', 'core.autocrlf=true', '--no-hardlinks', resolve('.'), dir])
    const crlf = git(['ls-files'], dir)
      .split('\n')
      .filter((f) => f && !f.startsWith('test/fixtures/') && !/\.(png|ico|icns)$/.test(f))
      .filter((f) => readFileSync(join(dir, f)).includes('\r\n'))
    expect(crlf).toEqual([])
    const prettier = resolve('node_modules/prettier/bin/prettier.cjs')
    const r = spawnSync(process.execPath, [prettier, '--check', '.'], { cwd: dir, encoding: 'utf8' })
    expect(r.status, r.stdout + r.stderr).toBe(0)
  })
})
