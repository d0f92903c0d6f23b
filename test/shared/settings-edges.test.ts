/**
 * The settings file, field by field at its edges: a value just inside each limit is kept, one
 * just outside falls back to the default and is named, whatever else the file holds.
 */
import { describe, expect, it } from 'vitest'
import {
  DEFAULT_SETTINGS,
  MAX_ROSTER,
  mergeSettings,
  parseSettings,
  SCALE,
  SETTINGS_VERSION,
} from '../../src/shared/settings'

const file = (extra: Record<string, unknown>) => ({ version: SETTINGS_VERSION, ...extra })
const kept = (extra: Record<string, unknown>) => parseSettings(file(extra))

describe('each field at its edges', () => {
  it('locale, theme and the log', () => {
    for (const locale of [null, 'zh-CN', 'en'])
      expect(kept({ locale })).toMatchObject({ rejected: [], settings: { locale } })
    for (const locale of ['zh', 'EN', '', 1]) expect(kept({ locale }).rejected).toEqual(['locale'])
    for (const theme of ['system', 'light', 'dark']) expect(kept({ theme }).settings.theme).toBe(theme)
    for (const theme of ['Dark', 'blue', null])
      expect(kept({ theme })).toMatchObject({ rejected: ['theme'], settings: { theme: 'system' } })
    for (const logCapacity of [100, 1_000_000]) expect(kept({ logCapacity }).settings.logCapacity).toBe(logCapacity)
    for (const logCapacity of [99, 1_000_001, 500.5, '1000'])
      expect(kept({ logCapacity })).toMatchObject({ rejected: ['logCapacity'], settings: { logCapacity: 10_000 } })
    for (const logFolded of [true, false]) expect(kept({ logFolded }).settings.logFolded).toBe(logFolded)
    expect(kept({ logFolded: 'yes' }).rejected).toEqual(['logFolded'])
  })

  it('the scale, from A− to the largest A+', () => {
    for (const scale of [SCALE.min, 1, SCALE.projector, SCALE.max]) expect(kept({ scale }).settings.scale).toBe(scale)
    for (const scale of [SCALE.min - 0.01, SCALE.max + 0.01, '1', NaN])
      expect(kept({ scale })).toMatchObject({ rejected: ['scale'], settings: { scale: 1 } })
  })

  it('the recent host and port of each demo: kept each on its own, a wrong one named', () => {
    const r = kept({ recent: { chat: { host: '10.0.0.5', port: 65535 }, udp: { host: 'lab-pc.local', port: 0 } } })
    expect(r.rejected).toEqual([])
    expect(r.settings.recent).toEqual({
      ...DEFAULT_SETTINGS.recent,
      chat: { host: '10.0.0.5', port: 65535 },
      udp: { host: 'lab-pc.local', port: 0 },
    })
    const bad = kept({
      recent: {
        chat: { host: '10.0.0.5', port: 65536 },
        udp: { host: 'a b', port: 1 },
        backlog: { host: '::1', port: 8002 },
      },
    })
    expect(bad.rejected).toEqual(['recent.chat', 'recent.udp'])
    expect(bad.settings.recent).toEqual({ ...DEFAULT_SETTINGS.recent, backlog: { host: '::1', port: 8002 } })
    expect(kept({ recent: { chat: 'x' } }).rejected).toEqual(['recent.chat'])
    expect(kept({ recent: [] }).rejected).toEqual(['recent'])
    expect(kept({ recent: { chat: { host: 'h'.repeat(254), port: 1 } } }).rejected).toEqual(['recent.chat'])
    // only the known demos are read
    expect(kept({ recent: { other: { host: 'x', port: 1 } } })).toMatchObject({
      rejected: [],
      settings: { recent: DEFAULT_SETTINGS.recent },
    })
  })

  it('the class: an exercise id, a roster of at most MAX_ROSTER students with names, hosts and ports', () => {
    const student = { name: 'Ann', host: '10.0.0.5', port: 9999 }
    const ok = (classroom: unknown) => kept({ classroom }).rejected
    expect(ok({ exercise: 'threaded-hello', roster: [] })).toEqual([])
    expect(ok({ exercise: 'a', roster: [student, { name: 'Bo', host: 'pc2' }] })).toEqual([])
    expect(ok({ exercise: 'x'.repeat(64), roster: Array(MAX_ROSTER).fill(student) })).toEqual([])
    for (const bad of [
      { exercise: 'x'.repeat(65), roster: [] },
      { exercise: '-a', roster: [] },
      { exercise: 'A', roster: [] },
      { exercise: 3, roster: [] },
      { exercise: 'a', roster: Array(MAX_ROSTER + 1).fill(student) },
      { exercise: 'a', roster: 'Ann' },
      { exercise: 'a', roster: [{ ...student, name: '' }] },
      { exercise: 'a', roster: [{ ...student, name: 'n'.repeat(201) }] },
      { exercise: 'a', roster: [{ ...student, name: 7 }] },
      { exercise: 'a', roster: [{ ...student, port: 0 }] },
      { exercise: 'a', roster: [{ ...student, port: 65536 }] },
      { exercise: 'a', roster: [{ ...student, host: '' }] },
      { exercise: 'a', roster: [null] },
      { exercise: 'a', roster: [], custom: { id: 'x' } },
      [],
    ])
      expect(ok(bad), JSON.stringify(bad).slice(0, 60)).toEqual(['classroom'])
    expect(ok({ exercise: 'a', roster: [{ ...student, name: 'n'.repeat(200), port: 1 }] })).toEqual([])
  })

  it('the rules: strings of at most 500 characters that parse', () => {
    expect(kept({ rules: ['hi=>hello', `x=>${'y'.repeat(497)}`] }).rejected).toEqual([])
    for (const rules of [[`x=>${'y'.repeat(498)}`], ['no arrow'], 'hi=>hello', [1]])
      expect(kept({ rules }).rejected).toEqual(['rules'])
  })

  it('a file that is not an object, or of another version', () => {
    for (const raw of [null, [], 'x', 3])
      expect(parseSettings(raw)).toEqual({ settings: DEFAULT_SETTINGS, rejected: ['(not an object)'] })
    expect(parseSettings({ version: SETTINGS_VERSION + 1 }).rejected).toEqual(['version'])
    expect(parseSettings({ version: SETTINGS_VERSION }).rejected).toEqual([])
  })
})

describe('mergeSettings', () => {
  it('merges one demo’s recent values into the others, and refuses what is not an object', () => {
    const r = mergeSettings(DEFAULT_SETTINGS, { recent: { chat: { host: '10.0.0.9', port: 9000 } }, theme: 'dark' })
    expect(r.rejected).toEqual([])
    expect(r.settings).toEqual({
      ...DEFAULT_SETTINGS,
      theme: 'dark',
      recent: { ...DEFAULT_SETTINGS.recent, chat: { host: '10.0.0.9', port: 9000 } },
    })
    expect(mergeSettings(r.settings, 'x')).toEqual({ settings: r.settings, rejected: ['(not an object)'] })
    // a patch's recent that is not an object changes nothing of recent
    expect(mergeSettings(r.settings, { recent: 5 }).settings.recent).toEqual(r.settings.recent)
  })
})
