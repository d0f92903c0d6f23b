import { describe, expect, it } from 'vitest'
import { DEFAULT_SETTINGS, mergeSettings, parseSettings, SCALE } from '../../src/shared/settings'

describe('the page scale and the folded log (projector mode)', () => {
  it('default to a normal page with the log shown', () => {
    expect(DEFAULT_SETTINGS).toMatchObject({ scale: 1, logFolded: false })
  })

  it('are kept when valid, and a wrong value falls back to the default and is named', () => {
    const ok = mergeSettings(DEFAULT_SETTINGS, { scale: SCALE.projector, logFolded: true })
    expect(ok).toEqual({ settings: { ...DEFAULT_SETTINGS, scale: 1.4, logFolded: true }, rejected: [] })
    const bad = parseSettings({ ...DEFAULT_SETTINGS, scale: 9, logFolded: 'yes' })
    expect(bad.settings).toMatchObject({ scale: 1, logFolded: false })
    expect(bad.rejected.sort()).toEqual(['logFolded', 'scale'])
  })
})

describe('the classroom settings', () => {
  it('keeps a valid exercise and roster; a roster with a bad host, or a custom exercise that is not valid, falls back', () => {
    const classroom = {
      exercise: 'udp-echo',
      roster: [
        { name: 'Ann', host: '10.0.0.5', port: 9999 },
        { name: 'Bo', host: 'pc-2' },
      ],
    }
    expect(parseSettings({ ...DEFAULT_SETTINGS, classroom }).settings.classroom).toEqual(classroom)
    const bad = parseSettings({
      ...DEFAULT_SETTINGS,
      classroom: { ...classroom, roster: [{ name: 'Ann', host: 'a b' }] },
    })
    expect(bad.rejected).toEqual(['classroom'])
    expect(bad.settings.classroom).toEqual(DEFAULT_SETTINGS.classroom)
    const custom = parseSettings({ ...DEFAULT_SETTINGS, classroom: { ...classroom, custom: { id: 'x' } } })
    expect(custom.rejected).toEqual(['classroom'])
  })
})
