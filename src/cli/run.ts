/**
 * The headless CLI: the same engine as the app, printing its events as text or JSON lines.
 */
import { createInterface } from 'node:readline'
import type { Readable, Writable } from 'node:stream'
import type { LabEvent } from '../shared/contract'
import { isIPv6 } from '../shared/validate'
import { SocketEngine } from '../main/engine/engine'
import { toLabError } from '../main/engine/errors'
import type { Parsed } from './args'
import { Printer } from './printer'

export interface Io {
  stdin: Readable
  stdout: Writable
  stderr: Writable
  /** Registers a handler for SIGINT/SIGTERM; returns its removal. */
  onSignal(cb: () => void): () => void
}

const OWNER = 'cli'
type Run = Exclude<Parsed, { command: 'help' | 'sockets' }>

export async function run(p: Run, io: Io): Promise<number> {
  const printer = new Printer(io.stdout, io.stderr, p.json, p.encoding === 'hex' ? 'hex' : p.encoding)
  const watchers = new Set<(ev: LabEvent, payload?: Uint8Array) => void>()
  const engine = new SocketEngine((_owner, ev, payload) => {
    printer.event(ev, payload)
    for (const w of [...watchers]) w(ev, payload)
  })

  let finish!: (code: number) => void
  const done = new Promise<number>((resolve) => (finish = resolve))
  let stopping = false
  const stop = async (code: number): Promise<void> => {
    if (stopping) return
    stopping = true
    rl?.close()
    await engine.closeAll()
    finish(code)
  }
  const offSignal = io.onSignal(() => void stop(0))
  let rl: ReturnType<typeof createInterface> | undefined
  const lines = (onLine: (line: string) => void, onEnd: () => void): void => {
    rl = createInterface({ input: io.stdin, crlfDelay: Infinity })
    rl.on('line', onLine)
    rl.on('close', () => {
      if (!stopping) onEnd()
    })
  }
  const fail = (err: unknown): number => {
    printer.error(toLabError(err))
    return 1
  }
  const attempt = (fn: () => unknown): void => {
    try {
      const r = fn()
      if (r instanceof Promise) r.catch((e: unknown) => printer.error(toLabError(e)))
    } catch (e) {
      printer.error(toLabError(e))
    }
  }

  try {
    switch (p.command) {
      case 'tcp-server': {
        await engine.tcp.listen(OWNER, {
          host: p.host,
          port: p.port,
          backlog: p.backlog,
          mode: p.mode,
          reply: p.reply,
          encoding: p.encoding,
        })
        const open: string[] = []
        watchers.add((ev) => {
          if (ev.kind === 'connection') open.push(ev.conn)
          const i = ev.kind === 'close' ? open.indexOf(ev.id) : -1
          if (i >= 0) open.splice(i, 1)
        })
        lines(
          (line) => {
            const id = open.at(-1)
            if (!id) return printer.note('no open connection to send to')
            attempt(() => engine.tcp.send(OWNER, { id, data: line, encoding: p.encoding }))
          },
          () => void stop(0),
        )
        break
      }
      case 'backlog': {
        const mode = await engine.backlog.mode()
        printer.mode(mode)
        await engine.backlog.listen(OWNER, {
          host: p.host,
          port: p.port,
          backlog: p.backlog,
          reply: p.reply,
          serveMs: p.serveMs,
          encoding: p.encoding,
        })
        let current: string | undefined
        watchers.add((ev) => {
          if (ev.kind === 'serve') current = ev.phase === 'start' ? ev.conn : undefined
        })
        lines(
          (line) => {
            if (!current) return printer.note('nobody is being served')
            const id = current
            attempt(() => engine.tcp.send(OWNER, { id, data: line, encoding: p.encoding }))
          },
          () => void stop(0),
        )
        break
      }
      case 'tcp-client': {
        const c = engine.tcp.connect(OWNER, { host: p.host, port: p.port, timeoutMs: p.timeoutMs })
        // Like the course's client: connect() first, then read what to send.
        const connected = await new Promise<boolean>((resolve) => {
          const w = (ev: LabEvent): void => {
            if (ev.id !== c.id || (ev.kind !== 'connect' && ev.kind !== 'close')) return
            watchers.delete(w)
            resolve(ev.kind === 'connect')
          }
          watchers.add(w)
        })
        if (!connected) {
          await stop(1)
          offSignal()
          return stopping && (await done) === 0 ? 0 : 1
        }
        let failed = false
        let lingering: NodeJS.Timeout | undefined
        watchers.add((ev) => {
          if (ev.id !== c.id) return
          if (ev.kind === 'error') failed = true
          // The peer finished: close our side too, as a course client does when recv() returns b''.
          if (ev.kind === 'end') engine.close(OWNER, c.id)
          if (ev.kind === 'close') {
            clearTimeout(lingering)
            void stop(failed ? 1 : 0)
          }
        })
        lines(
          (line) => attempt(() => engine.tcp.send(OWNER, { id: c.id, data: line + p.eol, encoding: p.encoding })),
          () => {
            attempt(() => engine.tcp.shutdown(OWNER, c.id))
            lingering = setTimeout(() => void stop(0), p.lingerMs)
          },
        )
        break
      }
      case 'udp': {
        await engine.udp.bind(OWNER, { host: p.host, port: p.port, echo: p.echo })
        lines(
          () => printer.note('udp reads no stdin; use udp-send to send'),
          () => void stop(0),
        )
        break
      }
      case 'udp-send': {
        const u = await engine.udp.bind(OWNER, {
          host: isIPv6(p.host) ? '::' : '0.0.0.0',
          port: 0,
          ...(p.broadcast ? { broadcast: true } : {}),
        })
        for (let i = 1; i <= p.count && !stopping; i++) {
          const data = p.seq ? `#${i} ${p.message}` : p.message
          await engine.udp.send(OWNER, { id: u.id, host: p.host, port: p.port, data, encoding: p.encoding })
          if (p.intervalMs && i < p.count) await new Promise((r) => setTimeout(r, p.intervalMs))
        }
        // Replies (an echo server's, say) that arrive soon after are printed too.
        const waitTimer = setTimeout(() => void stop(0), p.waitMs)
        watchers.add((ev) => ev.kind === 'close' && clearTimeout(waitTimer))
        break
      }
    }
  } catch (err) {
    await engine.closeAll()
    offSignal()
    return fail(err)
  }
  const code = await done
  offSignal()
  return code
}
