/** `socket-lab tcp-client`: connect, send what it was given (or stdin), half-close, linger for the peer. */
import { readFile } from 'node:fs/promises'
import { setTimeout as sleep } from 'node:timers/promises'
import type { LabEvent, TlsClientOptions } from '../../shared/contract'
import { toLabError } from '../../main/engine/errors'
import { BadInput, OWNER, type Run, type Session } from '../session'

export async function tcpClient(s: Session, c: Extract<Run, { command: 'tcp-client' }>): Promise<number> {
  const { engine, printer } = s
  // What --send or --send-file gives is checked and read before connecting: bad input sends nothing.
  let payload: Buffer | undefined
  if (c.send !== undefined) payload = s.bytesOf(c.send, '--send')
  if (c.sendFile !== undefined) {
    try {
      payload = await readFile(c.sendFile)
    } catch (e) {
      throw new BadInput(`--send-file ${c.sendFile}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`)
    }
    if (c.input === 'hex') payload = s.bytesOf(payload.toString('utf8'), '--send-file')
  }
  let tls: TlsClientOptions | undefined
  if (c.tls) {
    const { caFile, keylog, ...rest } = c.tls
    const ca = caFile
      ? await readFile(caFile, 'utf8').catch((e: NodeJS.ErrnoException) => {
          throw new BadInput(`--tls-ca ${caFile}: ${e.code ?? e.message}`)
        })
      : undefined
    tls = { ...rest, ...(ca ? { ca } : {}) }
    s.keylog(keylog)
  }
  const sock = engine.tcp.connect(OWNER, {
    host: c.host,
    port: c.port,
    timeoutMs: c.timeoutMs,
    ...(tls ? { tls } : {}),
  })
  // Like the course's client: connect() first, then what to send.
  const connected = await new Promise<boolean>((resolve) => {
    const w = (ev: LabEvent): void => {
      if (ev.id !== sock.id || (ev.kind !== 'connect' && ev.kind !== 'close')) return
      s.watchers.delete(w)
      resolve(ev.kind === 'connect')
    }
    s.watchers.add(w)
  })
  if (!connected) {
    await s.stop(1)
    return s.exitCode()
  }
  let failedAt = false
  let lingering: NodeJS.Timeout | undefined
  // The peer finished (recv() returned b''): close our side too, as a course client does, once
  // what we have to send is sent. A peer that only receives (`ncat -l --recv-only`) sends its FIN
  // at once: closing then would cut a file off halfway.
  let peerEnded = false
  let sendingDone = false
  s.watchers.add((ev) => {
    if (ev.id !== sock.id) return
    if (ev.kind === 'error') failedAt = true
    if (ev.kind === 'end') {
      peerEnded = true
      if (sendingDone) engine.close(OWNER, sock.id)
    }
    if (ev.kind === 'close') {
      clearTimeout(lingering)
      void s.stop(failedAt ? 1 : 0)
    }
  })
  const finished = async (): Promise<void> => {
    try {
      engine.tcp.shutdown(OWNER, sock.id)
      // every byte queued (up to flow.ts's SEND_AHEAD_BYTES) reaches the kernel before the linger starts:
      // closing earlier would drop what was still queued
      await engine.tcp.flushed(OWNER, sock.id)
    } catch (e) {
      printer.error(toLabError(e))
    }
    sendingDone = true
    if (s.stopped) return
    if (peerEnded) engine.close(OWNER, sock.id)
    else lingering = setTimeout(() => void s.stop(0), c.lingerMs)
  }
  const send = (b: Buffer): Promise<void> => engine.tcp.sendBytes(OWNER, sock.id, b)
  if (payload) {
    const all = payload
    void (async () => {
      try {
        for (let i = 0; i < c.repeat && !s.stopped; i++) {
          if (i > 0 && c.intervalMs) await sleep(c.intervalMs)
          await send(all)
        }
      } catch (e) {
        printer.error(toLabError(e))
      }
      if (!s.stopped) await finished()
    })()
  } else s.feed(send, () => void finished())
  return s.exitCode()
}
