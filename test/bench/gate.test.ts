import { describe, expect, it } from 'vitest'
import { gate } from '../../bench/gate'

const readings = (...xs: number[]) => {
  const left = [...xs]
  return { measure: () => Promise.resolve(left.shift()!), left }
}

describe('the quick bench gate', () => {
  it('passes a ratio within the noise margin of the target without measuring again', async () => {
    const r = readings()
    expect(await gate('TCP', 0.71, 0.85, r.measure, () => undefined)).toBe(true)
  })

  it('measures again a ratio 25% below target (the old gate let a 40% regression through)', async () => {
    const r = readings(0.64, 0.63)
    expect(await gate('TCP', 0.64, 0.85, r.measure, () => undefined)).toBe(false)
  })

  it('measures a far-too-low ratio again and passes when the machine was only busy', async () => {
    const r = readings(0.3, 1.02, 9)
    const log: string[] = []
    expect(await gate('TCP', 0.39, 0.85, r.measure, (l) => log.push(l))).toBe(true)
    expect(r.left).toEqual([9]) // two more measurements, then it stopped
    expect(log.at(-1)).toContain('1.02 on measurement 3')
  })

  it('fails when all three measurements stay far below', async () => {
    const r = readings(0.4, 0.41)
    const log: string[] = []
    expect(await gate('UDP', 0.3, 0.7, r.measure, (l) => log.push(l))).toBe(false)
    expect(log.at(-1)).toBe('UDP ratio below the 0.7 target (less 0.15 for noise) in 3 measurements: 0.30, 0.40, 0.41')
  })
})
