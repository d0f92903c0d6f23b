/**
 * What every socket command of the CLI shares: one engine whose events go to the printer (and to
 * the command's own watchers), the end of the run (`stop`, `done`), and stdin as what is sent.
 * Each command (commands/*.ts) starts its sockets on a Session; run.ts picks the command.
 */
import { createReadStream, fstatSync } from 'node:fs'
import { createInterface } from 'node:readline'
import type { Readable, Writable } from 'node:stream'
import type { LabEvent } from '../shared/contract'
import { parseHex } from '../shared/codec'
import { SocketEngine } from '../main/engine/engine'
import { cliCertDir } from './tls-args'
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

export const OWNER = 'cli'
export type Run = Exclude<Parsed, { command: 'help' | 'sockets' }>
type Watcher = (ev: LabEvent, payload?: Uint8Array) => void

/** Bad input found before anything is sent: a clear message, exit status 2. */
export class BadInput extends Error {}

export class Session {
  readonly printer: Printer
  readonly engine: SocketEngine
  /** The command's own event listeners, called after the printer. */
  readonly watchers = new Set<Watcher>()
  /** Resolves with the exit status once the run has stopped. */
  readonly done: Promise<number>
  private finish!: (code: number) => void
  private stopping = false
  private rl: ReturnType<typeof createInterface> | undefined
  private readonly offSignal: () => void

  constructor(
    readonly p: Run,
    readonly io: Io,
  ) {
    this.printer = new Printer(io.stdout, io.stderr, {
      output: p.output,
      quiet: p.quiet,
      encoding: p.encoding,
      fold: p.fold,
    })
    this.engine = new SocketEngine(
      (_owner, ev, payload) => {
        this.printer.event(ev, payload)
        for (const w of this.watchers) w(ev, payload)
      },
      { certDir: cliCertDir() },
    )
    this.done = new Promise<number>((resolve) => (this.finish = resolve))
    this.offSignal = io.onSignal(() => void this.stop(0))
  }

  get stopped(): boolean {
    return this.stopping
  }

  /** Closes every socket, prints what was folded, and ends the run with `code`. */
  async stop(code: number): Promise<void> {
    if (this.stopping) return
    this.stopping = true
    this.rl?.close()
    this.io.stdin.pause()
    await this.engine.closeAll()
    this.printer.flush()
    this.finish(code)
  }

  /** The exit status, once the run has stopped; the signal handlers removed. */
  async exitCode(): Promise<number> {
    const code = await this.done
    this.offSignal()
    return code
  }

  /** --tls-keylog: each TLS session's keys appended to the file for Wireshark (bad path: bad input). */
  keylog(file: string | undefined): void {
    if (!file) return
    try {
      this.engine.keylog(true, file)
    } catch (e) {
      throw new BadInput(`--tls-keylog ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`)
    }
    this.printer.note(
      `TLS keys are appended to ${file} (Wireshark: Preferences › Protocols › TLS › (Pre)-Master-Secret log filename)`,
    )
  }

  /** A command that could not start: bad input exits 2 (nothing sent), an OS error 1. */
  async failed(err: unknown): Promise<number> {
    await this.engine.closeAll()
    this.offSignal()
    if (err instanceof BadInput) {
      this.io.stderr.write(`socket-lab: ${err.message}; nothing was sent\n`)
      return 2
    }
    this.printer.error(toLabError(err))
    this.printer.flush()
    return 1
  }

  /** What the user gave to send, as bytes (hex input parsed). */
  bytesOf(text: string, what: string): Buffer {
    if (this.p.input !== 'hex') return Buffer.from(text, 'utf8')
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
  feed(send: (bytes: Buffer) => Promise<void> | void, onEnd: () => void): void {
    const { p, io, printer } = this
    const guarded = async (b: Buffer): Promise<void> => {
      try {
        await send(b)
      } catch (e) {
        printer.error(toLabError(e))
      }
    }
    if (p.lines) {
      const rl = createInterface({
        input: p.input === 'gbk' ? io.stdin.pipe(gbkToUtf8()) : io.stdin,
        crlfDelay: Infinity,
      })
      this.rl = rl
      rl.on('line', (raw) => {
        // Windows' console: Ctrl+Z then Enter is the end of input, but readline hands it over as
        // the line "\x1a" (nodejs/node#61397): what comes before it is sent, then stdin has ended
        const eof = raw.indexOf('\x1a')
        const line = eof < 0 ? raw : raw.slice(0, eof)
        try {
          if (eof < 0 || line) void guarded(this.bytesOf(p.input === 'hex' ? line : line + p.eol, 'this line'))
        } catch (e) {
          printer.note((e as Error).message)
        }
        if (eof >= 0) rl.close()
      })
      rl.on('close', () => !this.stopping && onEnd())
      return
    }
    void (async () => {
      const hex: Buffer[] = []
      try {
        const bytes = p.input === 'gbk' ? this.stdinBytes().pipe(gbkToUtf8()) : this.stdinBytes()
        for await (const chunk of bytes) {
          if (this.stopping) return
          if (p.input === 'hex') hex.push(chunk as Buffer)
          else await guarded(chunk as Buffer)
        }
        if (p.input === 'hex' && hex.length) await guarded(this.bytesOf(Buffer.concat(hex).toString('utf8'), 'stdin'))
      } catch (e) {
        // stdin destroyed as the CLI ends is no news
        if (!this.stopping) printer.note((e as Error).message)
      }
      if (!this.stopping) onEnd()
    })()
  }

  /** stdin as bytes: a file given as stdin (`< file`) is read in 1 MiB chunks, a pipe as it comes. */
  private stdinBytes(): Readable {
    if (this.io.stdin !== process.stdin) return this.io.stdin
    try {
      if (fstatSync(0).isFile()) return createReadStream('', { fd: 0, highWaterMark: 1024 * 1024, autoClose: false })
    } catch {
      // no descriptor 0 to look at: read what process.stdin gives
    }
    return this.io.stdin
  }

  /** A server: stdin goes to one of its connections; its end ends nothing (SIGINT or SIGTERM do). */
  serverStdin(target: () => string | undefined): void {
    this.feed(
      (b) => {
        const id = target()
        if (!id) return this.printer.note('no open connection to send to')
        return this.engine.tcp.sendBytes(OWNER, id, b)
      },
      () => undefined,
    )
  }
}
