/**
 * `npm run package:dir`: electron-builder packs the built app into a directory, as the release
 * workflow's installers do, but with a stand-in Electron distribution (`electronDist`): the real
 * one cannot be downloaded here. What this checks is ours: the app.asar and what it holds.
 * Usage: tsx scripts/package-dir.ts [outputDir]
 */
import { spawnSync } from 'node:child_process'
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

export interface Packed {
  asar: string
  bytes: number
  /** Removes the output and the stand-in. */
  cleanup(): void
}

export function packageDir(output = mkdtempSync(join(tmpdir(), 'lab-package-'))): Packed {
  const stand = mkdtempSync(join(tmpdir(), 'lab-electron-dist-'))
  mkdirSync(stand, { recursive: true })
  writeFileSync(join(stand, 'electron'), '#!/bin/sh\necho "stand-in Electron: the real one is not available here"\n')
  chmodSync(join(stand, 'electron'), 0o755)
  const electronVersion = (
    JSON.parse(readFileSync('node_modules/electron/package.json', 'utf8')) as { version: string }
  ).version
  const r = spawnSync(
    'npx',
    [
      'electron-builder',
      '--linux',
      'dir',
      `-c.electronDist=${stand}`,
      `-c.electronVersion=${electronVersion}`,
      `-c.directories.output=${output}`,
    ],
    { encoding: 'utf8' },
  )
  if (r.status !== 0) throw new Error(`electron-builder failed:\n${r.stdout}\n${r.stderr}`)
  const asar = join(output, 'linux-unpacked', 'resources', 'app.asar')
  const cleanup = (): void => {
    for (const d of [output, stand]) rmSync(d, { recursive: true, force: true })
  }
  return { asar, bytes: statSync(asar).size, cleanup }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const p = packageDir(process.argv[2])
  process.stdout.write(`${p.asar}: ${(p.bytes / 1024).toFixed(0)} KiB (stand-in Electron: not runnable)\n`)
}
