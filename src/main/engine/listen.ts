import type net from 'node:net'

/**
 * server.listen() as a promise: resolves with the bound address once listening, or rejects with
 * the OS error (EADDRINUSE, EACCES, EADDRNOTAVAIL, ...). Callers that go on using the server add
 * their own 'error' listener.
 *
 * The resolution runs as a microtask right after Node's 'listening' callback (itself on nextTick),
 * so code after `await listenOn(...)` still runs before any poll phase could accept a connection.
 */
export function listenOn(server: net.Server, options: net.ListenOptions): Promise<net.AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(options, () => {
      server.off('error', reject)
      resolve(server.address() as net.AddressInfo)
    })
  })
}
