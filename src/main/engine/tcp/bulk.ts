/** The CLI's raw sink: an accepted socket that reads 1 MiB at a time. */
import net from 'node:net'

export /** An accepted socket's handle taken over by a socket that reads 1 MiB at a time into a buffer
 * of its own (Node's `onread`), each read emitted as 'data' (a view of that buffer). */
function bulkReader(accepted: net.Socket): net.Socket {
  const handle = (accepted as unknown as { _handle: unknown })._handle
  ;(accepted as unknown as { _handle: unknown })._handle = null
  const buffer = Buffer.allocUnsafe(1024 * 1024)
  const sock: net.Socket = new net.Socket({
    handle,
    allowHalfOpen: true,
    onread: { buffer, callback: (n, buf) => void sock.emit('data', buf.subarray(0, n)) },
  } as net.SocketConstructorOpts)
  // the husk owns no descriptor now: destroying it only lets the server stop counting it
  accepted.destroy()
  return sock
}
