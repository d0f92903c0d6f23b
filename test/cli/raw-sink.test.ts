/**
 * `--output raw` to a file: small reads (TLS records) gathered into one write per turn of the
 * event loop, big ones written as they come, every byte out in order, nothing held back once the
 * loop turns or a line is told; gathered as they are, only a bulk reader's views copied.
 */
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import { afterAll, describe, expect, it } from 'vitest'
import { GATHER_BYTES, RawSink } from '../../src/cli/raw-sink'
import { reusedBuffer } from '../../src/main/engine/tcp/bulk'

const dir = mkdtempSync(join(tmpdir(), 'raw-sink-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** A stream over a file descriptor, as process.stdout is when redirected to a file. */
function fileOut(name: string): { out: Writable; read: () => Buffer; close: () => void } {
  const path = join(dir, name)
  const fd = openSync(path, 'w')
  const out = Object.assign(new Writable({ write: (_c, _e, cb) => cb(new Error('not through the stream')) }), { fd })
  return { out, read: () => readFileSync(path), close: () => closeSync(fd) }
}

/** Reads as a bulk reader makes them: each a view of one buffer, which the next read fills again. */
function bulkReads(): (text: string) => Buffer {
  const buffer = reusedBuffer(64)
  return (text) => buffer.subarray(0, buffer.write(text))
}

describe('RawSink', () => {
  it('gathers small reads until the loop turns, then writes them in order', async () => {
    const f = fileOut('small.bin')
    const sink = new RawSink(f.out)
    const chunks = Array.from({ length: 40 }, (_, i) => Buffer.alloc(16 * 1024, i))
    for (const c of chunks) sink.write(c)
    // more than GATHER_BYTES went in: what filled it is out, the rest waits for the loop
    expect(f.read().length).toBe(Math.floor((40 * 16 * 1024) / GATHER_BYTES) * GATHER_BYTES)
    await new Promise((r) => setImmediate(r))
    expect(f.read().equals(Buffer.concat(chunks))).toBe(true)
    f.close()
  })

  it('a read of the bulk size goes straight out, after what was gathered before it', () => {
    const f = fileOut('mixed.bin')
    const sink = new RawSink(f.out)
    const small = Buffer.from('before ')
    const big = Buffer.alloc(GATHER_BYTES, 'x')
    sink.write(small)
    expect(f.read().length).toBe(0)
    sink.write(big)
    expect(f.read().equals(Buffer.concat([small, big]))).toBe(true)
    f.close()
  })

  it('flush() writes what is gathered at once (before a close is told)', () => {
    const f = fileOut('flush.bin')
    const sink = new RawSink(f.out)
    sink.write(Buffer.from('last bytes'))
    sink.flush()
    expect(f.read().toString()).toBe('last bytes')
    f.close()
  })

  it("a bulk reader's read (a view of a buffer the next read fills again): gathered as it was when written", async () => {
    const f = fileOut('view.bin')
    const sink = new RawSink(f.out)
    const read = bulkReads()
    sink.write(read('first'))
    sink.write(read('SECND'))
    await new Promise((r) => setImmediate(r))
    expect(f.read().toString()).toBe('firstSECND')
    f.close()
  })

  it("to a pipe (the stream): a bulk reader's read is handed over as a copy, the stream keeps it", () => {
    const got: Buffer[] = []
    const sink = new RawSink(new Writable({ write: (c: Buffer, _e, cb) => (got.push(c), cb()) }))
    const read = bulkReads()
    sink.write(read('first'))
    sink.write(read('SECND'))
    expect(Buffer.concat(got).toString()).toBe('firstSECND')
  })

  it('any other read (a TLS record, a datagram: nothing writes it again) is gathered as it is, not copied', async () => {
    const f = fileOut('record.bin')
    const sink = new RawSink(f.out)
    const record = Buffer.from('record')
    sink.write(record)
    // not something a sender does: it shows that the sink keeps the buffer itself until it writes
    record.write('R')
    await new Promise((r) => setImmediate(r))
    expect(f.read().toString()).toBe('Record')
    f.close()
  })

  it('more reads than one writev takes, bulk and not, are written in order', async () => {
    const f = fileOut('many.bin')
    const sink = new RawSink(f.out)
    const read = bulkReads()
    const expected: Buffer[] = []
    for (let i = 0; i < 3000; i++) {
      const text = `${i},`
      const b = i % 3 ? Buffer.from(text) : read(text)
      expected.push(Buffer.from(text))
      sink.write(b)
    }
    await new Promise((r) => setImmediate(r))
    expect(f.read().toString()).toBe(Buffer.concat(expected).toString())
    f.close()
  })
})
