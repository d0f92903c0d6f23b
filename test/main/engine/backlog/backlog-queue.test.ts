import { describe, expect, it } from 'vitest'
import { MAC_SOMAXCONN, queueSlots } from '../../../../src/main/engine/backlog/backlog-queue'

describe('how many finished handshakes listen(n) holds, per OS', () => {
  it('Linux: backlog + 1', () => {
    expect(queueSlots(0, 'linux')).toBe(1)
    expect(queueSlots(5, 'linux')).toBe(6)
  })
  it('macOS: listen(0) is somaxconn (XNU solisten), and no more than somaxconn', () => {
    expect(queueSlots(0, 'darwin')).toBe(MAC_SOMAXCONN)
    expect(queueSlots(-1, 'darwin')).toBe(128)
    expect(queueSlots(5, 'darwin')).toBe(5)
    expect(queueSlots(500, 'darwin')).toBe(128)
  })
  it('Windows: the backlog, at least 1', () => {
    expect(queueSlots(0, 'win32')).toBe(1)
    expect(queueSlots(5, 'win32')).toBe(5)
  })
})
