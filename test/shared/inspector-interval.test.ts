import { describe, expect, it } from 'vitest'
import { inspectorInterval, MAX_INSPECTOR_INTERVAL_MS } from '../../src/shared/contract'

describe('the inspector’s polling interval', () => {
  it('is 500x a reading’s cost, at least 0.5 s and at most 2 s', () => {
    expect(inspectorInterval(0.2)).toBe(500) // /proc on Linux
    expect(inspectorInterval(3)).toBe(1500)
    // a spawned netstat (Windows, macOS) of 20-80 ms: still read every 2 s, not every 10
    expect(inspectorInterval(20)).toBe(MAX_INSPECTOR_INTERVAL_MS)
    expect(inspectorInterval(80)).toBe(2000)
  })
})
