/**
 * The checker's side of a conversation with a student's program: a TCP connection (or a UDP
 * socket) whose every step has a time limit and whose bytes, both ways, are kept for the detail
 * view. Nothing here throws on a slow, silent or vanished peer: each step resolves with what it
 * saw.
 */
import { createSocket, type Socket as UdpSocket } from 'node:dgram'
import { Socket } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import iconv from 'iconv-lite'
import type { Line } from '../../../shared/exercise'

export type Enc = 'utf-8' | 'gbk'
export type { Line }

export const encode = (s: string, enc: Enc): Buffer => (enc === 'gbk' ? iconv.encode(s, 'gbk') : Buffer.from(s, 'utf8'))
export const decode = (b: Buffer, enc: Enc): string => (enc === 'gbk' ? iconv.decode(b, 'gbk') : b.toString('utf8'))

/**
 * Resolves true once `cond()` holds (checked now and whenever a waiter in `waiters` is woken),
 * false after `ms`.
 */
function waitFor(waiters: Set<() => void>, cond: () => boolean, ms: number): Promise<boolean> {
  if (cond()) return Promise.resolve(true)
  return new Promise((resolve) => {
    const finish = (v: boolean): void => {
      clearTimeout(t)
      waiters.delete(check)
      resolve(v)
    }
    const check = (): void => {
      if (cond()) finish(true)
    }
    const t = setTimeout(() => finish(false), ms)
    waiters.add(check)
  })
}

/** One TCP connection to the student's server. */
export class Probe {
  readonly lines: Line[] = []
  private sock: Socket
  private buf = Buffer.alloc(0)
  private waiters = new Set<() => void>()
  /** close() was called: nothing more is kept. */
  private finished = false
  /** Did the last connect() succeed. */
  connected = false
  ended = false
  closed = false
  error: string | undefined

  constructor(
    private readonly enc: Enc,
    readonly name = '',
  ) {
    this.sock = this.fresh()
  }

  private fresh(): Socket {
    const sock = new Socket({ allowHalfOpen: true })
    sock.on('data', (d: Buffer) => {
      if (this.finished) return
      this.buf = Buffer.concat([this.buf, d])
      this.lines.push({ dir: '←', text: `${this.name}${decode(d, this.enc)}` })
      this.wake()
    })
    sock.on('end', () => {
      if (this.finished) return
      this.ended = true
      this.lines.push({ dir: '·', text: `${this.name}EOF` })
      this.wake()
    })
    sock.on('error', (e: NodeJS.ErrnoException) => {
      this.error = e.code ?? e.message
    })
    sock.on('close', () => {
      if (sock !== this.sock) return
      this.closed = true
      this.wake()
    })
    return sock
  }

  private wake(): void {
    for (const w of [...this.waiters]) w()
  }

  /**
   * Resolves true once connected, false on error or after `ms`. A refusal is tried again every
   * 50 ms until then: a serial server is between two clients for a moment.
   */
  async connect(host: string, port: number, ms: number): Promise<boolean> {
    const until = Date.now() + ms
    for (;;) {
      const r = await this.tryConnect(host, port, Math.max(1, until - Date.now()))
      if (r !== 'ECONNREFUSED' || Date.now() + 50 >= until) {
        if (r !== true)
          this.lines.push({ dir: '·', text: `${this.name}connect: ${r === false ? `no answer in ${ms} ms` : r}` })
        this.connected = r === true
        return this.connected
      }
      await sleep(50)
      this.sock = this.fresh()
    }
  }

  private tryConnect(host: string, port: number, ms: number): Promise<true | false | string> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.sock.destroy()
        resolve(false)
      }, ms)
      this.sock.once('connect', () => {
        clearTimeout(t)
        this.lines.push({ dir: '·', text: `${this.name}connected` })
        resolve(true)
      })
      this.sock.once('error', (e: NodeJS.ErrnoException) => {
        clearTimeout(t)
        resolve(e.code ?? e.message)
      })
      this.sock.connect({ host, port })
    })
  }

  send(text: string): void {
    if (this.sock.destroyed) return
    this.lines.push({ dir: '→', text: `${this.name}${text}` })
    this.sock.write(encode(text, this.enc))
  }

  /** Waits until `done(text received so far)` or EOF/close or `ms`; returns the text, and takes it. */
  async read(done: (text: string) => boolean, ms: number): Promise<{ text: string; met: boolean }> {
    const met = await this.until(() => done(decode(this.buf, this.enc)) || this.ended || this.closed, ms)
    const text = decode(this.buf, this.enc)
    this.buf = Buffer.alloc(0)
    return { text, met: met && done(text) }
  }

  /** Waits for the peer's FIN (or the connection's end) within `ms`. */
  eof(ms: number): Promise<boolean> {
    return this.until(() => this.ended || this.closed, ms)
  }

  until(cond: () => boolean, ms: number): Promise<boolean> {
    return waitFor(this.waiters, cond, ms)
  }

  /** Aborts with RST, as a client that crashes mid-conversation. */
  reset(): void {
    this.lines.push({ dir: '·', text: `${this.name}RST` })
    this.sock.resetAndDestroy()
  }

  /**
   * Ends the conversation as the course's client does: FIN. Bytes still arriving are read (and
   * not kept), so the kernel has no unread data to answer with RST, which would crash a course
   * server that does not catch ConnectionResetError. Let go after 1 s whatever the peer does.
   */
  close(): void {
    if (this.finished) return
    this.finished = true
    const sock = this.sock
    if (!this.connected || sock.destroyed) return void sock.destroy()
    const t = setTimeout(() => sock.destroy(), 1000)
    sock.once('close', () => clearTimeout(t))
    sock.end()
  }
}

/** One UDP socket sending to the student's server and collecting what comes back. */
export class UdpProbe {
  readonly lines: Line[] = []
  readonly got: { data: Buffer; from: string }[] = []
  private sock: UdpSocket
  private waiters = new Set<() => void>()

  constructor(
    private readonly enc: Enc,
    family: 'udp4' | 'udp6',
  ) {
    this.sock = createSocket(family)
    this.sock.on('message', (data, rinfo) => {
      this.got.push({ data, from: `${rinfo.address}:${rinfo.port}` })
      this.lines.push({ dir: '←', text: data.length > 64 ? `${data.length} bytes` : decode(data, enc) })
      for (const w of [...this.waiters]) w()
    })
    this.sock.on('error', (e: NodeJS.ErrnoException) => this.lines.push({ dir: '·', text: e.code ?? e.message }))
  }

  bind(): Promise<void> {
    return new Promise((resolve) => this.sock.bind(0, () => resolve()))
  }

  send(data: Buffer | string, host: string, port: number): void {
    const b = typeof data === 'string' ? encode(data, this.enc) : data
    this.lines.push({ dir: '→', text: b.length > 64 ? `${b.length} bytes` : decode(b, this.enc) })
    this.sock.send(b, port, host)
  }

  /** Waits until `n` datagrams have arrived, or `ms`. */
  wait(n: number, ms: number): Promise<boolean> {
    return waitFor(this.waiters, () => this.got.length >= n, ms)
  }

  close(): void {
    try {
      this.sock.close()
    } catch {
      // already closed
    }
  }
}
