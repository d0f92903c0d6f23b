/**
 * The packaged app, as far as this machine can build it: electron-builder with a stand-in
 * Electron (the real binary cannot be downloaded here). The app.asar must hold the built out/
 * and only production dependencies.
 */
import { existsSync, readFileSync, statSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { createRequire } from 'node:module'
import { describe, expect, it } from 'vitest'
import { packageDir } from '../../scripts/package-dir'

const built = existsSync('out/main/index.js')
if (!built && process.env['CI'] && process.platform === 'linux')
  throw new Error('CI must build before this test (npm test does)')
const asar = createRequire(import.meta.url)('@electron/asar') as {
  listPackage(p: string): string[]
  extractFile(p: string, f: string): Buffer
}
const own = JSON.parse(readFileSync('package.json', 'utf8')) as { productName: string; version: string }

// Linux only: the release workflow builds each OS's real installers on its own runner.
describe.skipIf(!built || process.platform !== 'linux')('app.asar (electron-builder, stand-in Electron)', () => {
  it('holds the built app and only production dependencies', () => {
    const packed = packageDir()
    let files: string[]
    let meta: { productName?: string; version?: string; main?: string; devDependencies?: object }
    let launcher: { mode: number; text: string } | undefined
    try {
      // the CLI launcher beside app.asar (resources/bin), executable, as the .deb links it
      const bin = join(dirname(packed.asar), 'bin', 'socket-lab')
      if (existsSync(bin)) launcher = { mode: statSync(bin).mode, text: readFileSync(bin, 'utf8') }
      files = asar.listPackage(packed.asar)
      meta = JSON.parse(asar.extractFile(packed.asar, 'package.json').toString('utf8')) as typeof meta
    } finally {
      packed.cleanup()
    }
    expect(launcher, 'resources/bin/socket-lab').toBeDefined()
    expect(launcher!.mode & 0o111).toBe(0o111)
    expect(launcher!.text).toBe(readFileSync('packaging/bin/socket-lab', 'utf8'))
    expect(files).toContain('/out/main/cli.js') // what the launcher runs
    for (const f of ['/out/main/index.js', '/out/preload/index.js', '/out/renderer/index.html', '/package.json']) {
      expect(files, f).toContain(f)
    }
    // Product name and version from our package.json: the user data folder is named after it.
    expect(meta).toMatchObject({ productName: own.productName, version: own.version, main: 'out/main/index.js' })
    const modules = new Set(files.filter((f) => /^\/node_modules\/[^/]+$/.test(f)).map((f) => f.split('/')[2]))
    // iconv-lite and its one dependency; @peculiar/x509 (the lab's TLS certificate) with reflect-metadata and theirs;
    // dns-packet (DNS messages) with its ip-codec
    expect([...modules].sort()).toEqual([
      '@leichtgewicht',
      '@peculiar',
      'asn1js',
      'dns-packet',
      'iconv-lite',
      'pvtsutils',
      'pvutils',
      'reflect-metadata',
      'safer-buffer',
      'tslib',
      'tsyringe',
    ])
    expect(files.some((f) => f.startsWith('/src/') || f.startsWith('/test/'))).toBe(false)
    expect(files.some((f) => f.endsWith('.map'))).toBe(false)
    expect(packed.bytes).toBeLessThan(5 * 1024 * 1024)
    console.log(`app.asar: ${(packed.bytes / 1024).toFixed(0)} KiB, ${files.length} entries`)
  }, 120_000)
})
