import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { LIMITS, type LabEvent } from '../../../src/shared/contract'
import { EventBatcher, EventRouter } from '../../../src/main/engine/batcher'

const data = (id: string, bytes: number): LabEvent => ({ kind: 'data', id, t: 0, bytes, preview: '', truncated: false })

beforeEach(() => vi.useFakeTimers())
afterEach(() => vi.useRealTimers())

describe('EventBatcher', () => {
  it('coalesces events into at most one push per interval', () => {
    const batches: LabEvent[][] = []
    const b = new EventBatcher((x) => batches.push(x), { intervalMs: 16 })
    for (let i = 0; i < 100; i++) b.push({ kind: 'end', id: `c${i}`, t: i })
    expect(batches).toHaveLength(0)
    vi.advanceTimersByTime(16)
    expect(batches).toHaveLength(1)
    expect(batches[0]).toHaveLength(100)
    vi.advanceTimersByTime(100)
    expect(batches).toHaveLength(1) // nothing pending: no empty pushes, no idle timer
  })

  it('bounds each preview and the preview bytes of a batch, keeping counts exact', () => {
    const batches: LabEvent[][] = []
    const b = new EventBatcher((x) => batches.push(x), { previewBytes: 4096, previewBudget: 10_000 })
    const chunk = new Uint8Array(65_536).fill(65)
    for (let i = 0; i < 5; i++) b.push(data('a1', chunk.length), chunk)
    b.flush()
    const evs = batches[0] as Extract<LabEvent, { kind: 'data' }>[]
    const previewBytes = evs.map((e) => Buffer.from(e.preview, 'base64').length)
    expect(previewBytes).toEqual([4096, 4096, 1808, 0, 0])
    expect(evs.every((e) => e.truncated)).toBe(true)
    expect(evs.reduce((n, e) => n + e.bytes, 0)).toBe(5 * 65_536)
  })

  it('folds reads beyond maxEvents into exact overflow counts, never folding lifecycle events', () => {
    const batches: LabEvent[][] = []
    const b = new EventBatcher((x) => batches.push(x), { maxEvents: 10 })
    for (let i = 0; i < 25; i++) b.push(data(i % 2 ? 'a1' : 'a2', 100))
    b.push({ kind: 'close', id: 'a1', t: 1, hadError: false })
    b.flush()
    const batch = batches[0]!
    expect(batch.filter((e) => e.kind === 'data')).toHaveLength(10)
    expect(batch.some((e) => e.kind === 'close')).toBe(true)
    const overflow = batch.filter((e) => e.kind === 'overflow') as Extract<LabEvent, { kind: 'overflow' }>[]
    expect(overflow.reduce((n, e) => n + e.reads, 0)).toBe(15)
    const total = batch.reduce((n, e) => n + (e.kind === 'data' || e.kind === 'overflow' ? e.bytes : 0), 0)
    expect(total).toBe(2500)
  })

  it('by default lists LIMITS.listedPerBatch reads of a 100,000-datagram flood and counts the rest', () => {
    const batches: LabEvent[][] = []
    const b = new EventBatcher((x) => batches.push(x))
    const payload = new Uint8Array(64).fill(120)
    for (let i = 0; i < 100_000; i++) b.push(data('u1', 64), payload)
    vi.advanceTimersByTime(16)
    expect(batches).toHaveLength(1)
    const listed = batches[0]!.filter((e) => e.kind === 'data')
    expect(listed).toHaveLength(LIMITS.listedPerBatch)
    expect(listed.at(-1)).toMatchObject({ preview: Buffer.from(payload).toString('base64') })
    const [overflow, ...more] = batches[0]!.filter((e) => e.kind === 'overflow')
    expect(more).toHaveLength(0)
    expect(overflow).toMatchObject({ id: 'u1', of: 'data', reads: 100_000 - LIMITS.listedPerBatch })
    expect(batches[0]!.reduce((n, e) => n + (e.kind === 'data' || e.kind === 'overflow' ? e.bytes : 0), 0)).toBe(
      6_400_000,
    )
  })

  it('starts a fresh budget after each flush', () => {
    const batches: LabEvent[][] = []
    const b = new EventBatcher((x) => batches.push(x), { previewBytes: 10, previewBudget: 10 })
    const chunk = new Uint8Array(10)
    b.push(data('a1', 10), chunk)
    b.flush()
    b.push(data('a1', 10), chunk)
    b.flush()
    expect(batches.map((x) => (x[0] as { preview: string }).preview.length)).toEqual([16, 16])
  })
})

describe('EventBatcher at its edges', () => {
  it('a whole small payload is not truncated; an empty one has an empty preview; sent events are bounded like reads', () => {
    const batches: LabEvent[][] = []
    const b = new EventBatcher((x) => batches.push(x), { previewBytes: 4, previewBudget: 100 })
    b.push(data('a1', 4), Buffer.from('abcd'))
    b.push(data('a1', 0), new Uint8Array(0))
    b.push({ kind: 'sent', id: 'a1', t: 0, bytes: 5, preview: 'x', truncated: false }, Buffer.from('hello'))
    b.flush()
    expect(
      batches[0]!.map((e) => [(e as { preview: string }).preview, (e as { truncated: boolean }).truncated]),
    ).toEqual([
      [Buffer.from('abcd').toString('base64'), false],
      ['', false],
      [Buffer.from('hell').toString('base64'), true],
    ])
  })

  it('counts overflow per socket and per direction, each its own line', () => {
    const batches: LabEvent[][] = []
    const b = new EventBatcher((x) => batches.push(x), { maxEvents: 1 })
    b.push(data('a1', 1))
    b.push(data('a1', 2))
    b.push(data('a2', 3))
    b.push({ kind: 'sent', id: 'a1', t: 0, bytes: 4, preview: '', truncated: false })
    b.flush()
    expect(batches[0]!.filter((e) => e.kind === 'overflow').map((e) => ({ ...e, t: 0 }))).toEqual([
      { kind: 'overflow', t: 0, id: 'a1', of: 'data', reads: 1, bytes: 2 },
      { kind: 'overflow', t: 0, id: 'a2', of: 'data', reads: 1, bytes: 3 },
      { kind: 'overflow', t: 0, id: 'a1', of: 'sent', reads: 1, bytes: 4 },
    ])
  })

  it('an overflow alone still goes out, after the interval; then nothing more', () => {
    const batches: LabEvent[][] = []
    const b = new EventBatcher((x) => batches.push(x), { maxEvents: 1, intervalMs: 16 })
    b.push(data('a1', 1))
    b.flush()
    b.push({ kind: 'end', id: 'a1', t: 0 }) // a lifecycle event is never folded
    b.flush()
    b.push(data('a1', 1))
    b.push(data('a1', 1)) // over the bound of this batch
    vi.advanceTimersByTime(16)
    expect(batches.map((x) => x.map((e) => e.kind))).toEqual([['data'], ['end'], ['data', 'overflow']])
    b.dispose()
    vi.advanceTimersByTime(100)
    expect(batches).toHaveLength(3)
  })
})

describe('EventRouter', () => {
  it('a second attach for the same owner flushes the old batcher first', () => {
    const got: string[] = []
    const r = new EventRouter()
    r.attach('w1', (b) => got.push(`old ${b.length}`))
    r.push('w1', data('a1', 1))
    r.attach('w1', (b) => got.push(`new ${b.length}`))
    r.push('w1', data('a1', 1))
    vi.advanceTimersByTime(20)
    expect(got).toEqual(['old 1', 'new 1'])
    r.detach('never-attached') // nothing to flush: no throw
    r.dispose()
  })

  it('routes by owner and drops events of a detached owner', () => {
    const got: Record<string, number> = { w1: 0, w2: 0 }
    const r = new EventRouter()
    r.attach('w1', (b) => (got.w1! += b.length))
    r.attach('w2', (b) => (got.w2! += b.length))
    r.push('w1', data('a1', 1))
    r.push('w2', data('a2', 1))
    r.push('w2', data('a2', 1))
    r.detach('w2') // flushes what was pending
    r.push('w2', data('a2', 1))
    r.push('nobody', data('a3', 1))
    vi.advanceTimersByTime(20)
    expect(got).toEqual({ w1: 1, w2: 2 })
    r.dispose()
  })
})
