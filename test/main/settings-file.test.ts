import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
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

  it('a failed write fails that save only: the next one is written, and no temporary file is left', async () => {
    const s = await openSettings(dir)
    // a non-empty folder where the file goes: the rename fails (EISDIR) on every OS
    await mkdir(join(dir, 'settings.json'))
    await writeFile(join(dir, 'settings.json', 'x'), 'x')
    await expect(s.set({ locale: 'en' })).rejects.toThrow()
    expect((await readdir(dir)).filter((f) => f.endsWith('.tmp'))).toEqual([])
    await rm(join(dir, 'settings.json'), { recursive: true })
    await expect(s.set({ locale: 'zh-CN' })).resolves.toMatchObject({ locale: 'zh-CN' })
    expect(JSON.parse(await readFile(join(dir, 'settings.json'), 'utf8')).locale).toBe('zh-CN')
  })

  it('near-valid settings (real keys, one value of each right or wrong): right ones kept, wrong ones named and defaulted', () => {
    const field = <T>(good: fc.Arbitrary<T>, bad: fc.Arbitrary<unknown>) =>
      fc.oneof(
        good.map((v) => ({ ok: true, v })),
        bad.map((v) => ({ ok: false, v })),
      )
    const fields = {
      locale: field(fc.constantFrom('zh-CN', 'en', null), fc.constantFrom('fr', 1, '')),
      theme: field(fc.constantFrom('system', 'light', 'dark'), fc.constantFrom('blue', true)),
      logCapacity: field(fc.integer({ min: 100, max: 1_000_000 }), fc.oneof(fc.integer({ max: 99 }), fc.constant(1.5))),
      scale: field(
        fc.double({ min: 0.8, max: 2, noNaN: true }),
        fc.oneof(fc.double({ min: 2.01, max: 9, noNaN: true }), fc.constant('1')),
      ),
      logFolded: field(fc.boolean(), fc.constantFrom('yes', 0)),
      rules: field(
        fc.constantFrom([], ['ping=>pong'], ['/x(\\d)/=>$1']),
        fc.constantFrom(['no arrow'], 'ping=>pong', [1]),
      ),
      classroom: field(
        fc.constant({ exercise: 'udp-echo', roster: [{ name: 'Ann', host: '10.0.0.5', port: 9999 }] }),
        fc.constantFrom(
          { exercise: 'Bad Id', roster: [] },
          { exercise: 'udp-echo', roster: [{ name: '', host: 'h' }] },
        ),
      ),
    }
    fc.assert(
      fc.property(fc.record(fields, { requiredKeys: [] }), (picked) => {
        const raw: Record<string, unknown> = { version: 1 }
        for (const [k, f] of Object.entries(picked)) raw[k] = f.v
        const { settings, rejected } = parseSettings(raw)
        for (const [k, f] of Object.entries(picked)) {
          const got = (settings as unknown as Record<string, unknown>)[k]
          if (f.ok) {
            expect(got).toEqual(f.v)
            expect(rejected).not.toContain(k)
          } else {
            expect(rejected).toContain(k)
            expect(got).toEqual((DEFAULT_SETTINGS as unknown as Record<string, unknown>)[k])
          }
        }
        expect(rejected.every((k) => k in picked)).toBe(true)
      }),
      { numRuns: 300 },
    )
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
