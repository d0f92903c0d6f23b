import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openSettings } from '../../src/main/settings-file'
import { DEFAULT_SETTINGS, parseSettings } from '../../src/shared/settings'

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lab-settings-'))
})
afterEach(() => rm(dir, { recursive: true, force: true }))

describe('settings on disk', () => {
  it('first run: defaults; a change is written and read back by the next run', async () => {
    const a = await openSettings(dir)
    expect(a.get()).toEqual(DEFAULT_SETTINGS)
    expect(a.problem).toBeUndefined()
    await a.set({ locale: 'zh-CN', recent: { chat: { host: '192.168.1.20', port: 9000 } } })
    const b = await openSettings(dir)
    expect(b.get().locale).toBe('zh-CN')
    expect(b.get().recent.chat).toEqual({ host: '192.168.1.20', port: 9000 })
    expect(b.get().recent.udp).toEqual(DEFAULT_SETTINGS.recent.udp)
    expect(JSON.parse(await readFile(join(dir, 'settings.json'), 'utf8')).version).toBe(1)
  })

  it('a corrupt file: defaults, the file kept aside, never a crash', async () => {
    await writeFile(join(dir, 'settings.json'), '{"locale": "zh-CN", ')
    const s = await openSettings(dir)
    expect(s.get()).toEqual(DEFAULT_SETTINGS)
    expect(s.problem).toMatch(/not JSON/)
    const kept = (await readdir(dir)).filter((f) => f.startsWith('settings.rejected-'))
    expect(kept).toHaveLength(1)
    expect(await readFile(join(dir, kept[0]!), 'utf8')).toBe('{"locale": "zh-CN", ')
  })

  it('an old or wrong file: the good fields kept, the wrong ones defaulted and named', async () => {
    await writeFile(join(dir, 'settings.json'), JSON.stringify({ version: 0, theme: 'dark', logCapacity: -5 }))
    const s = await openSettings(dir)
    expect(s.get().theme).toBe('dark')
    expect(s.get().logCapacity).toBe(DEFAULT_SETTINGS.logCapacity)
    expect(s.problem).toMatch(/version, logCapacity/)
  })

  it('refuses a bad change and keeps the last good settings', async () => {
    const s = await openSettings(dir)
    await expect(s.set({ recent: { udp: { host: 'bad host!', port: 1 } } })).rejects.toMatchObject({ code: 'EINVAL' })
    await expect(s.set({ theme: 'neon' })).rejects.toThrow(/theme/)
    expect(s.get()).toEqual(DEFAULT_SETTINGS)
  })

  it('parseSettings never throws and always yields valid settings', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (raw) => {
        const { settings } = parseSettings(raw)
        return parseSettings(settings).rejected.length === 0
      }),
    )
  })
})
