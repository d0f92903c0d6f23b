import { describe, expect, it } from 'vitest'
import { CardPace } from '../../../src/renderer/src/lib/card-pace'

const ids = (from: number, n: number): string[] => Array.from({ length: n }, (_, i) => `c${from + i}`)

describe('CardPace', () => {
  it('mounts at most perStep cards a step until the featured ones are all shown', () => {
    const pace = new CardPace({ limit: 24, perStep: 6, repickMs: 500 })
    const state = new Map(ids(1, 100).map((id) => [id, 'connecting']))
    const key = (id: string) => state.get(id)
    const pick = () => ids(1, 24)
    const sizes: number[] = []
    for (let step = 0; step < 5; step++) sizes.push(pace.step(step * 16, pick, key).length)
    expect(sizes).toEqual([6, 12, 18, 24, 24])
    expect(pace.behind).toBe(false)
    expect(pace.memo('c1')).toBe('connecting')
  })

  it('re-renders at most perStep changed cards a step, the longest waiting first, and catches up', () => {
    const pace = new CardPace({ limit: 12, perStep: 4, repickMs: 1e9 })
    const state = new Map(ids(1, 12).map((id) => [id, 'a']))
    const key = (id: string) => state.get(id)
    const pick = () => ids(1, 12)
    for (let i = 0; i < 3; i++) pace.step(0, pick, key)
    expect(pace.behind).toBe(false)
    for (const id of ids(1, 12)) state.set(id, 'b') // every client changed at once
    pace.step(16, pick, key)
    const fresh = () => ids(1, 12).filter((id) => pace.memo(id) === state.get(id))
    expect(fresh()).toHaveLength(4)
    expect(pace.behind).toBe(true)
    const first = fresh()
    state.set(first[0]!, 'c') // changes again: it waits behind the 8 that waited longer
    pace.step(32, pick, key)
    expect(pace.memo(first[0]!)).toBe('b')
    expect(fresh()).toHaveLength(7)
    pace.step(48, pick, key)
    expect(fresh()).toHaveLength(11)
    pace.step(64, pick, key)
    expect(fresh()).toHaveLength(12)
    expect(pace.behind).toBe(false)
  })

  it('puts newcomers in the places of cards no longer featured, keeping the others where they were', () => {
    const pace = new CardPace({ limit: 4, perStep: 10, repickMs: 100 })
    const key = (id: string) => (id === 'gone' ? undefined : 'x')
    expect(pace.step(0, () => ['a', 'b', 'c', 'd'], key)).toEqual(['a', 'b', 'c', 'd'])
    expect(pace.step(50, () => ['e'], key)).toEqual(['a', 'b', 'c', 'd']) // not yet time to re-pick
    expect(pace.step(100, () => ['a', 'e', 'c', 'f'], key)).toEqual(['a', 'e', 'c', 'f'])
    // A client that went away loses its card at once; one no longer featured, once no newcomer needs its place.
    expect(pace.step(200, () => ['a', 'gone'], key)).toEqual(['a'])
    expect(pace.memo('e')).toBeUndefined()
  })
})
