/**
 * The flood's kernel drop figure is the change in the machine's RcvbufErrors counter over the
 * run, or unknown when either reading is (Windows has none). The readings are faked here;
 * the real counter is read in udp.test.ts.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest'

const readings: (number | null)[] = []
vi.mock('../../../../src/main/engine/inspector/kernel-reading', () => ({
  udpBufferDrops: async () => readings.shift() ?? null,
}))
const { floodTest } = await import('../../../../src/main/engine/udp/udp-flood')

const small = { count: 10, size: 50, burst: 5, recvBufferBytes: 1 << 20 }
beforeEach(() => void readings.splice(0))

describe('rcvbufErrors', () => {
  it('is the counter after minus before', async () => {
    readings.push(1000, 1007)
    expect((await floodTest(small, 50)).rcvbufErrors).toBe(7)
  })

  it('is unknown (null) when either reading is', async () => {
    readings.push(null, 5)
    expect((await floodTest(small, 50)).rcvbufErrors).toBeNull()
    readings.push(5, null)
    expect((await floodTest(small, 50)).rcvbufErrors).toBeNull()
  })
})
