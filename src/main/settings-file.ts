/**
 * Settings on disk: `settings.json` in the user data folder. A file that is not JSON, has another
 * version, or holds wrong values never stops the app: the safe defaults (or the good fields) are
 * used, and the file as it was is kept aside as `settings.rejected-<time>.json` for a look later.
 * Writes go to a temporary file first, then replace the old one, so a crash never leaves half a
 * file. Plain Node: tested without Electron.
 */
import { mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { DEFAULT_SETTINGS, mergeSettings, parseSettings, type Settings } from '../shared/settings'

export interface SettingsFile {
  get(): Settings
  set(patch: unknown): Promise<Settings>
  /** What was wrong with the file at start-up, if anything (and where it was kept). */
  readonly problem?: string
}

/**
 * The settings held in memory: `set` checks a change field by field, keeps it, then hands the
 * result to `persist` (if any) before answering.
 */
function holder(initial: Settings, persist?: (s: Settings) => Promise<void>, problem?: string): SettingsFile {
  let settings = initial
  return {
    get: () => structuredClone(settings),
    async set(patch) {
      const next = mergeSettings(settings, patch)
      if (next.rejected.length) throw rejection(next.rejected)
      settings = next.settings
      await persist?.(settings)
      return structuredClone(settings)
    },
    ...(problem ? { problem } : {}),
  }
}

/** Settings kept in memory only (a host with nowhere to write them). */
export const memorySettings = (): SettingsFile => holder(structuredClone(DEFAULT_SETTINGS))

function rejection(fields: string[]): Error {
  const err = new Error(`settings rejected: ${fields.join(', ')}`) as Error & { code: string; field: string }
  err.code = 'EINVAL'
  err.field = fields[0]!
  return err
}

export async function openSettings(dir: string): Promise<SettingsFile> {
  const path = join(dir, 'settings.json')
  let settings: Settings = structuredClone(DEFAULT_SETTINGS)
  let problem: string | undefined
  let text: string | undefined
  try {
    text = await readFile(path, 'utf8')
  } catch {
    // first run: no file yet
  }
  if (text !== undefined) {
    let raw: unknown
    let bad: string | undefined
    try {
      raw = JSON.parse(text)
    } catch (e) {
      bad = `not JSON (${(e as Error).message})`
    }
    if (!bad) {
      const parsed = parseSettings(raw)
      settings = parsed.settings
      if (parsed.rejected.length) bad = `replaced by defaults: ${parsed.rejected.join(', ')}`
    }
    if (bad) {
      const aside = join(dir, `settings.rejected-${Date.now()}.json`)
      await rename(path, aside).catch(() => undefined)
      problem = `${bad}; the old file is kept as ${aside}`
    }
  }
  let chain: Promise<void> = Promise.resolve()
  const save = (s: Settings): Promise<void> => {
    // One write at a time, in order. A failed write fails its own save only: the next one starts
    // from a settled chain (a rejected chain would fail every later save with the first error).
    const write = chain.catch(() => undefined).then(() => writeAtomically(dir, path, JSON.stringify(s, null, 2) + '\n'))
    chain = write
    return write
  }
  return holder(settings, save, problem)
}

/** Errors with which Windows refuses a rename while another program (antivirus, the search
 * indexer) holds the file for a moment: tried again, as npm's own graceful-fs does. */
const BUSY = new Set(['EPERM', 'EBUSY', 'EACCES'])

/** The file replaced whole or not at all; the temporary file never left behind. */
export async function writeAtomically(
  dir: string,
  path: string,
  text: string,
  platform: string = process.platform,
  delays: readonly number[] = [20, 50, 100, 200, 400, 800],
): Promise<void> {
  await mkdir(dir, { recursive: true })
  const tmp = `${path}.${process.pid}.tmp`
  try {
    await writeFile(tmp, text)
    for (let i = 0; ; i++) {
      try {
        await rename(tmp, path)
        return
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code ?? ''
        if (platform !== 'win32' || !BUSY.has(code) || i >= delays.length) throw e
        await new Promise((r) => setTimeout(r, delays[i]))
      }
    }
  } catch (e) {
    await unlink(tmp).catch(() => undefined)
    throw e
  }
}
