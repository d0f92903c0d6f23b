/**
 * The printer's work per read or send is bounded whatever the chunk size: a 1 MiB or 16 MiB send
 * (a file on stdin) is shown as its first SHOW_BYTES and a count, never decoded whole; and a few
 * big sends a second are folded by their bytes as a flood of small ones is by their number.
 */
import { PassThrough } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { FOLD_BYTES, Printer, SHOW_BYTES, SHOW_SENT_BYTES } from '../../src/cli/printer'
import type { LabEvent } from '../../src/shared/contract'

function printer(output: 'text' | 'json'): { p: Printer; out: () => string } {
  const out = new PassThrough()
  const err = new PassThrough()
  let text = ''
  out.on('data', (d: Buffer) => (text += d.toString()))
  err.resume()
  return { p: new Printer(out, err, { output, quiet: false, encoding: 'utf-8' }), out: () => text }
}
const sent = (bytes: number): LabEvent => ({ kind: 'sent', id: 'c1', t: 0, bytes, preview: '', truncated: false })
const data = (bytes: number): LabEvent => ({ kind: 'data', id: 'c1', t: 0, bytes, preview: '', truncated: false })

describe('the printer, for big chunks', () => {
  it.each([1, 16])('a %i MiB send is shown as its first bytes and how many more there were (text)', (mib) => {
    const { p, out } = printer('text')
    const payload = Buffer.alloc(mib * 1024 * 1024, 'a')
    p.event(sent(payload.length), payload)
    const line = out()
    expect(line.length).toBeLessThan(SHOW_SENT_BYTES + 200)
    expect(line).toContain(`send ${payload.length} bytes: aaaa`)
    expect(line).toContain(`… (${payload.length - SHOW_SENT_BYTES} more bytes)`)
  })

  it('a bulk read (the raw sink reads 1 MiB) is shown as a socket read’s worth, 64 KiB', () => {
    const { p, out } = printer('text')
    const payload = Buffer.alloc(1024 * 1024, 'r')
    p.event(data(payload.length), payload)
    expect(out().length).toBeLessThan(SHOW_BYTES + 200)
    expect(out()).toContain(`… (${payload.length - SHOW_BYTES} more bytes)`)
  })

  it('JSON: text and base64 of a send’s first bytes, marked truncated; a read of a socket’s size is whole', () => {
    const lineOf = (ev: LabEvent, payload: Buffer): Record<string, unknown> => {
      const { p, out } = printer('json')
      p.event(ev, payload)
      return JSON.parse(out()) as Record<string, unknown>
    }
    const big = Buffer.alloc(4 * 1024 * 1024, 'b')
    const a = lineOf(sent(big.length), big)
    const small = Buffer.from('hello 你好')
    const b = lineOf(data(small.length), small)
    expect(a).toMatchObject({ event: 'sent', bytes: big.length, truncated: true })
    expect(Buffer.from(a!['base64'] as string, 'base64').length).toBe(SHOW_SENT_BYTES)
    expect((a!['text'] as string).length).toBe(SHOW_SENT_BYTES)
    expect(b).toMatchObject({ event: 'data', text: 'hello 你好', base64: small.toString('base64') })
    expect(b!['truncated']).toBeUndefined()
  })

  it('folds by bytes too: after FOLD_BYTES listed in a second the rest are counted, and the counts add up', () => {
    const { p, out } = printer('text')
    const mib = Buffer.alloc(1024 * 1024, 'c')
    expect(mib.length).toBeGreaterThanOrEqual(FOLD_BYTES)
    for (let i = 0; i < 5; i++) p.event(sent(mib.length), mib)
    p.flush()
    const lines = out().trim().split('\n')
    expect(lines).toHaveLength(2)
    expect(lines[0]).toContain(`send ${mib.length} bytes`)
    expect(lines[1]).toBe(
      `(a flood: 0 more reads, 0 bytes; 4 more sends, ${4 * mib.length} bytes — counted, not printed one by one)`,
    )
  })

  it('what was folded is printed before the next event that is not a read or send (the FIN, a close)', () => {
    const { p, out } = printer('text')
    const chunk = Buffer.alloc(64 * 1024, 'd')
    for (let i = 0; i < 4; i++) p.event(data(chunk.length), chunk)
    p.event({ kind: 'end', id: 'c1', t: 0 })
    const lines = out().trim().split('\n')
    expect(lines.at(-2)).toBe(`(a flood: 3 more reads, ${3 * chunk.length} bytes — counted, not printed one by one)`)
    expect(lines.at(-1)).toBe("[c1] peer sent FIN (recv() returned b'')")
  })

  it('small sends are listed as before, whole, up to the count limit', () => {
    const { p, out } = printer('text')
    for (let i = 0; i < 3; i++) p.event(sent(5), Buffer.from(`msg ${i}`))
    expect(out().trim().split('\n')).toEqual([
      '[c1] send 5 bytes: msg 0',
      '[c1] send 5 bytes: msg 1',
      '[c1] send 5 bytes: msg 2',
    ])
  })

  it('a UDP bind is "bound", never "listening" (UDP has no listen()); a TCP server listens', () => {
    const { p, out } = printer('text')
    const local = { address: '127.0.0.1', port: 9999, family: 'IPv4' as const }
    p.event({ kind: 'listening', id: 'u1', t: 0, transport: 'udp', local })
    p.event({ kind: 'listening', id: 's1', t: 0, transport: 'tcp', local, backlog: 5, mode: 'plain' })
    const [udp, tcp] = out().trim().split('\n')
    expect(udp).toBe('[u1] udp bound to 127.0.0.1:9999 (no listen() in UDP)')
    expect(tcp).toBe('[s1] tcp listening on 127.0.0.1:9999 (plain)')
  })
})
