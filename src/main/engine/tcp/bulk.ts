/** The CLI's raw sink: an accepted socket that reads 1 MiB at a time. */
import net from 'node:net'

/** The buffers bulk readers read into again and again: a read is a view the next read overwrites. */
const reused = new WeakSet<ArrayBufferLike>()

/** A buffer of its own for a reader that fills it again and again (isReused tells its views). */
export function reusedBuffer(size: number): Buffer {
  const b = Buffer.allocUnsafeSlow(size)
  reused.add(b.buffer)
  return b
}

/** True for a read that is a view of a buffer the next read fills again: whoever keeps it, copies
 * it. Every other read (Node's sockets, TLS records, datagrams) is a buffer nothing writes again. */
export function isReused(b: Uint8Array): boolean {
  return reused.has(b.buffer)
}

export /** An accepted socket's handle taken over by a socket that reads 1 MiB at a time into a buffer
 * of its own (Node's `onread`), each read emitted as 'data' (a view of that buffer). */
function bulkReader(accepted: net.Socket): net.Socket {
  const handle = (accepted as unknown as { _handle: unknown })._handle
  ;(accepted as unknown as { _handle: unknown })._handle = null
  const buffer = reusedBuffer(1024 * 1024)
  const sock: net.Socket = new net.Socket({
    handle,
    allowHalfOpen: true,
    onread: { buffer, callback: (n, buf) => void sock.emit('data', buf.subarray(0, n)) },
  } as net.SocketConstructorOpts)
  // the husk owns no descriptor now: destroying it only lets the server stop counting it
  accepted.destroy()
  return sock
}
