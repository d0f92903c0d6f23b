/**
 * Loss made real: K numbered datagrams sent over loopback to a receiver with a small receive
 * buffer. The receiver runs on the same event loop as the sender, so it only gets to read
 * between bursts: while a burst is being sent, datagrams pile up in the kernel's buffer and,
 * once it is full, the kernel drops them. Drops are counted from the gaps in the sequence and,
 * on Linux, from the kernel's own RcvbufErrors counter. Nothing is dropped by the app.
 */
import dgram from 'node:dgram'
import type { FloodResult, UdpFloodReq } from '../../../shared/contract'
import { udpBufferDrops } from '../inspector/kernel-reading'

/** Gaps, reorderings and duplicates in the sequence numbers that arrived (1..sent). */
export function countSequence(
  arrived: number[],
  sent: number,
  /** Sequence numbers whose send the OS refused: never on the wire, so no loss. */
  refused: ReadonlySet<number> = new Set(),
): Pick<FloodResult, 'lost' | 'reordered' | 'duplicates' | 'missing'> {
  const seen = new Uint8Array(sent + 1)
  let duplicates = 0
  let reordered = 0
  let max = 0
  for (const n of arrived) {
    if (n < 1 || n > sent) continue
    if (seen[n]) duplicates++
    else seen[n] = 1
    if (n < max) reordered++
    max = Math.max(max, n)
  }
  const missing: [number, number][] = []
  let lost = 0
  for (let i = 1; i <= sent; i++) {
    if (seen[i] || refused.has(i)) continue
    lost++
    const last = missing.at(-1)
    if (last && last[1] === i - 1) last[1] = i
    else if (missing.length < 20) missing.push([i, i])
  }
  return { lost, reordered, duplicates, missing }
}

export async function floodTest(req: UdpFloodReq, quietMs = 300): Promise<FloodResult> {
  const rx = dgram.createSocket({
    type: 'udp4',
    ...(req.recvBufferBytes ? { recvBufferSize: req.recvBufferBytes } : {}),
  })
  const tx = dgram.createSocket('udp4')
  try {
    await new Promise<void>((r) => rx.bind(0, '127.0.0.1', r))
    await new Promise<void>((r) => tx.bind(0, '127.0.0.1', r))
    const port = rx.address().port
    const arrived: number[] = []
    let last = performance.now()
    rx.on('message', (m) => {
      arrived.push(m.readUInt32BE(0))
      last = performance.now()
    })
    const refused = new Set<number>()
    let sendError: string | undefined
    const before = await udpBufferDrops()
    const t0 = performance.now()
    const body = Buffer.alloc(req.size)
    let sent = 0
    while (sent < req.count) {
      // One burst: the receiver cannot read until it is over.
      const end = Math.min(req.count, sent + req.burst)
      const sends: Promise<void>[] = []
      for (; sent < end;) {
        const d = Buffer.from(body)
        d.writeUInt32BE(++sent, 0)
        const seq = sent
        sends.push(
          new Promise((r) =>
            tx.send(d, port, '127.0.0.1', (err) => {
              if (err) {
                refused.add(seq)
                sendError ??= (err as NodeJS.ErrnoException).code ?? err.message
              }
              r()
            }),
          ),
        )
      }
      await Promise.all(sends)
      await new Promise((r) => setImmediate(r)) // now the reader runs
    }
    while (performance.now() - last < quietMs) await new Promise((r) => setTimeout(r, quietMs / 3))
    const after = await udpBufferDrops()
    return {
      sent: sent - refused.size,
      received: arrived.length,
      ...countSequence(arrived, sent, refused),
      sendErrors: refused.size,
      ...(sendError ? { sendError } : {}),
      recvBufferBytes: rx.getRecvBufferSize(),
      rcvbufErrors: before === null || after === null ? null : after - before,
      ms: performance.now() - t0 - quietMs,
    }
  } finally {
    rx.close()
    tx.close()
  }
}
