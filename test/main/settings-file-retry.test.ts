/**
 * Windows refuses a rename for a moment while antivirus or the search indexer holds the file
 * (EPERM, EBUSY, EACCES): the write tries again, and gives up with the error after its delays.
 * That refusal cannot be made on Linux (root ignores permissions), so rename is scripted here.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'

const refusals = vi.hoisted(() => ({ left: 0, code: 'EBUSY', calls: 0 }))
vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>()
  return {
    ...real,
    rename: async (from: string, to: string): Promise<void> => {
      refusals.calls++
      if (refusals.left > 0) {
        refusals.left--
        throw Object.assign(new Error(`${refusals.code}: rename`), { code: refusals.code })
      }
      return real.rename(from, to)
    },
  }
})
const { writeAtomically } = await import('../../src/main/settings-file')

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lab-settings-retry-'))
  refusals.calls = 0
})
afterEach(() => rm(dir, { recursive: true, force: true }))

describe('writeAtomically on Windows', () => {
  it('tries the rename again while the file is held, then writes it', async () => {
    for (const code of ['EBUSY', 'EPERM', 'EACCES']) {
      Object.assign(refusals, { left: 2, code, calls: 0 })
      await writeAtomically(dir, join(dir, 'settings.json'), code, 'win32', [1, 1, 1])
      expect(refusals.calls).toBe(3)
      expect(await readFile(join(dir, 'settings.json'), 'utf8')).toBe(code)
    }
  })

  it('gives up after its delays with the error, leaving no temporary file', async () => {
    Object.assign(refusals, { left: 10, code: 'EBUSY' })
    await expect(writeAtomically(dir, join(dir, 'settings.json'), 'x', 'win32', [1, 1])).rejects.toMatchObject({
      code: 'EBUSY',
    })
    expect(refusals.calls).toBe(3)
    expect(await readdir(dir)).toEqual([])
  })

  it('does not retry elsewhere, nor another error', async () => {
    Object.assign(refusals, { left: 1, code: 'EBUSY' })
    await expect(writeAtomically(dir, join(dir, 's.json'), 'x', 'linux', [1])).rejects.toMatchObject({ code: 'EBUSY' })
    Object.assign(refusals, { left: 1, code: 'ENOSPC', calls: 0 })
    await expect(writeAtomically(dir, join(dir, 's.json'), 'x', 'win32', [1])).rejects.toMatchObject({ code: 'ENOSPC' })
    expect(refusals.calls).toBe(1)
  })
})
