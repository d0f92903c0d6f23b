/**
 * The headless CLI: the same engine as the app, printing its events as text, JSON lines or raw
 * bytes. Servers run until SIGINT or SIGTERM; stdin only feeds what it sends (the end of stdin
 * ends nothing else). What is sent from stdin goes as bytes, with back-pressure, unless stdin is
 * lines (a terminal, or --lines).
 */
import { createReadStream, fstatSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { createInterface } from 'node:readline'
import type { Readable, Writable } from 'node:stream'
import { setTimeout as sleep } from 'node:timers/promises'
import type { LabEvent } from '../shared/contract'
import { parseHex } from '../shared/codec'
import { isIPv6 } from '../shared/validate'
import { SocketEngine } from '../main/engine/engine'
import { toLabError } from '../main/engine/errors'
import type { Parsed } from './args'
import { gbkToUtf8 } from './options'
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

/** Bad input found before anything is sent: a clear message, exit status 2. */
class BadInput extends Error {}

export async function run(p: Run, io: Io): Promise<number> {
  const printer = new Printer(io.stdout, io.stderr, {
    output: p.output,
    quiet: p.quiet,
    encoding: p.encoding,
    fold: p.fold,
  })
  const watchers = new Set<(ev: LabEvent, payload?: Uint8Array) => void>()
  const engine = new SocketEngine((_owner, ev, payload) => {
    printer.event(ev, payload)
    for (const w of watchers) w(ev, payload)
  })

  let finish!: (code: number) => void
  const done = new Promise<number>((resolve) => (finish = resolve))
  let stopping = false
  const stop = async (code: number): Promise<void> => {
    if (stopping) return
    stopping = true
    rl?.close()
    io.stdin.pause()
    await engine.closeAll()
    printer.flush()
    finish(code)
  }
  const offSignal = io.onSignal(() => void stop(0))
  let rl: ReturnType<typeof createInterface> | undefined
  const bytesOf = (text: string, what: string): Buffer => {
    if (p.input !== 'hex') return Buffer.from(text, 'utf8')
    try {
      return Buffer.from(parseHex(text))
    } catch {
      throw new BadInput(`${what} is not hex: pairs of hex digits, e.g. 48 65 6c 6c 6f`)
    }
  }
  /**
   * Feeds what stdin gives to `send`: lines (each with the end of line) from a terminal or with
   * --lines, else bytes as they come (hex text is read whole, then sent). `onEnd` when it ends.
   */
  const feed = (send: (bytes: Buffer) => Promise<void> | void, onEnd: () => void): void => {
    const guarded = async (b: Buffer): Promise<void> => {
      try {
        await send(b)
      } catch (e) {
        printer.error(toLabError(e))
      }
    }
    if (p.lines) {
      rl = createInterface({ input: p.input === 'gbk' ? io.stdin.pipe(gbkToUtf8()) : io.stdin, crlfDelay: Infinity })
      rl.on('line', (raw) => {
        // Windows' console: Ctrl+Z then Enter is the end of input, but readline hands it over as
        // the line "\x1a" (nodejs/node#61397): what comes before it is sent, then stdin has ended
        const eof = raw.indexOf('\x1a')
        const line = eof < 0 ? raw : raw.slice(0, eof)
        try {
          if (eof < 0 || line) void guarded(bytesOf(p.input === 'hex' ? line : line + p.eol, 'this line'))
        } catch (e) {
          printer.note((e as Error).message)
        }
        if (eof >= 0) rl?.close()
      })
      rl.on('close', () => !stopping && onEnd())
      return
    }
    void (async () => {
      const hex: Buffer[] = []
      try {
        const bytes = p.input === 'gbk' ? stdinBytes().pipe(gbkToUtf8()) : stdinBytes()
        for await (const chunk of bytes) {
          if (stopping) return
          if (p.input === 'hex') hex.push(chunk as Buffer)
          else await guarded(chunk as Buffer)
        }
        if (p.input === 'hex' && hex.length) await guarded(bytesOf(Buffer.concat(hex).toString('utf8'), 'stdin'))
      } catch (e) {
        // stdin destroyed as the CLI ends is no news
        if (!stopping) printer.note((e as Error).message)
      }
      if (!stopping) onEnd()
    })()
  }
  /** stdin as bytes: a file given as stdin (`< file`) is read in 1 MiB chunks, a pipe as it comes. */
  const stdinBytes = (): Readable => {
    if (io.stdin !== process.stdin) return io.stdin
    try {
      if (fstatSync(0).isFile()) return createReadStream('', { fd: 0, highWaterMark: 1024 * 1024, autoClose: false })
    } catch {
      // no descriptor 0 to look at: read what process.stdin gives
    }
    return io.stdin
  }
  const newest: string[] = []
  const trackConnections = (): void =>
    void watchers.add((ev) => {
      if (ev.kind === 'connection') newest.push(ev.conn)
      const i = ev.kind === 'close' ? newest.indexOf(ev.id) : -1
      if (i >= 0) newest.splice(i, 1)
    })
  /** A server: stdin goes to one of its connections; its end ends nothing (SIGINT or SIGTERM do). */
  const serverStdin = (target: () => string | undefined): void =>
    feed(
      (b) => {
        const id = target()
        if (!id) return printer.note('no open connection to send to')
        return engine.tcp.sendBytes(OWNER, id, b)
      },
      () => undefined,
    )

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
          rules: p.rules,
          // a raw sink reads 1 MiB at a time (the events are not what it is for)
          bulk: p.output === 'raw',
        })
        trackConnections()
        serverStdin(() => newest.at(-1))
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
        serverStdin(() => current)
        break
      }
      case 'tcp-client':
        return await client(p)
      case 'udp': {
        await engine.udp.bind(OWNER, { host: p.host, port: p.port, echo: p.echo })
        break
      }
      case 'udp-send': {
        const data = bytesOf(p.message, '<message>')
        const u = await engine.udp.bind(OWNER, {
          host: isIPv6(p.host) ? '::' : '0.0.0.0',
          port: 0,
          ...(p.broadcast ? { broadcast: true } : {}),
          ...(p.iface ? { multicastIface: p.iface } : {}),
        })
        for (let i = 1; i <= p.count && !stopping; i++) {
          const d = p.seq ? Buffer.concat([Buffer.from(`#${i} `), data]) : data
          await engine.udp.send(OWNER, {
            id: u.id,
            host: p.host,
            port: p.port,
            data: d.toString('hex'),
            encoding: 'hex',
          })
          if (p.intervalMs && i < p.count) await sleep(p.intervalMs)
        }
        // Replies (an echo server's, say) that arrive soon after are printed too.
        const waitTimer = setTimeout(() => void stop(0), p.waitMs)
        watchers.add((ev) => ev.kind === 'close' && clearTimeout(waitTimer))
        break
      }
    }
  } catch (err) {
    return failed(err)
  }
  const code = await done
  offSignal()
  return code

  async function failed(err: unknown): Promise<number> {
    await engine.closeAll()
    offSignal()
    if (err instanceof BadInput) {
      io.stderr.write(`socket-lab: ${err.message}; nothing was sent\n`)
      return 2
    }
    printer.error(toLabError(err))
    printer.flush()
    return 1
  }

  /** A client: connect, then send what it was given (or stdin), half-close, linger for the peer. */
  async function client(c: Extract<Run, { command: 'tcp-client' }>): Promise<number> {
    // What --send or --send-file gives is checked and read before connecting: bad input sends nothing.
    let payload: Buffer | undefined
    if (c.send !== undefined) payload = bytesOf(c.send, '--send')
    if (c.sendFile !== undefined) {
      try {
        payload = await readFile(c.sendFile)
      } catch (e) {
        throw new BadInput(`--send-file ${c.sendFile}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`)
      }
      if (c.input === 'hex') payload = bytesOf(payload.toString('utf8'), '--send-file')
    }
    const sock = engine.tcp.connect(OWNER, { host: c.host, port: c.port, timeoutMs: c.timeoutMs })
    // Like the course's client: connect() first, then what to send.
    const connected = await new Promise<boolean>((resolve) => {
      const w = (ev: LabEvent): void => {
        if (ev.id !== sock.id || (ev.kind !== 'connect' && ev.kind !== 'close')) return
        watchers.delete(w)
        resolve(ev.kind === 'connect')
      }
      watchers.add(w)
    })
    if (!connected) {
      await stop(1)
      offSignal()
      return 1
    }
    let failedAt = false
    let lingering: NodeJS.Timeout | undefined
    watchers.add((ev) => {
      if (ev.id !== sock.id) return
      if (ev.kind === 'error') failedAt = true
      // The peer finished: close our side too, as a course client does when recv() returns b''.
      if (ev.kind === 'end') engine.close(OWNER, sock.id)
      if (ev.kind === 'close') {
        clearTimeout(lingering)
        void stop(failedAt ? 1 : 0)
      }
    })
    const finished = async (): Promise<void> => {
      try {
        engine.tcp.shutdown(OWNER, sock.id)
        // every byte queued (up to SEND_AHEAD_BYTES) reaches the kernel before the linger starts:
        // closing earlier would drop what was still queued
        await engine.tcp.flushed(OWNER, sock.id)
      } catch (e) {
        printer.error(toLabError(e))
      }
      if (!stopping) lingering = setTimeout(() => void stop(0), c.lingerMs)
    }
    const send = (b: Buffer): Promise<void> => engine.tcp.sendBytes(OWNER, sock.id, b)
    if (payload) {
      void (async () => {
        try {
          for (let i = 0; i < c.repeat && !stopping; i++) {
            if (i > 0 && c.intervalMs) await sleep(c.intervalMs)
            await send(payload)
          }
        } catch (e) {
          printer.error(toLabError(e))
        }
        if (!stopping) await finished()
      })()
    } else feed(send, () => void finished())
    const code = await done
    offSignal()
    return code
  }
}
