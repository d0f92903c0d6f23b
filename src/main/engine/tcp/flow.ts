/**
 * Back-pressure on a stream socket, as the engine's senders need it: how far a sender may run
 * ahead of the kernel, when everything written has left Node, and an automatic reply that must
 * not grow without bound towards a peer that does not read.
 */
import type net from 'node:net'

/** How much a sender lets queue in a socket before it waits for 'drain'. Node's own mark
 * (16 KiB) would have a fast sender wait after every chunk; a few MiB queued keeps the kernel's
 * buffer full while memory stays bounded. */
export const SEND_AHEAD_BYTES = 4 * 1024 * 1024

/** Resolves on the first of `events` on `sock` for which `ready` holds (always, when left out). */
function whenSock(sock: net.Socket, events: string[], ready: () => boolean = () => true): Promise<void> {
  return new Promise((resolve) => {
    const on = (): void => {
      if (!ready()) return
      for (const e of events) sock.off(e, on)
      resolve()
    }
    for (const e of events) sock.on(e, on)
  })
}

/** At once while the socket has room for more, else once it has drained (or closed). */
export function room(sock: net.Socket): Promise<void> {
  return sock.writableLength < SEND_AHEAD_BYTES ? Promise.resolve() : whenSock(sock, ['drain', 'close'])
}

/** Once everything written so far has left Node for the kernel (after end(), the FIN too), or the
 * socket has closed. */
export function flushed(sock: net.Socket): Promise<void> {
  const done = (): boolean => sock.writableFinished || sock.destroyed || sock.writableLength === 0
  return done() ? Promise.resolve() : whenSock(sock, ['finish', 'drain', 'close'], done)
}

/** Sockets paused until what the lab owes them has drained (one 'drain' listener each). */
const draining = new WeakSet<net.Socket>()

/** Stops reading from a peer until what was written to it has drained (an automatic reply's). */
export function pauseUntilDrained(sock: net.Socket): void {
  if (draining.has(sock)) return
  draining.add(sock)
  sock.pause()
  sock.once('drain', () => {
    draining.delete(sock)
    sock.resume()
  })
}
