/**
 * The course's server programs, as behaviours an engine TCP server can run:
 * - serial: one conversation at a time (the 明威/小文 chat); "bye" from either side ends it and
 *   the next waiting client is served. Waiting clients are accepted by Node but not read, so
 *   what they send stays in the kernel until their turn (the kernel-queue version is the
 *   backlog demo's acceptor).
 * - threaded: every client at once; "Welcome!" on connect, a reply per message, "exit" closes.
 * - room: every message goes to every other client, prefixed by the sender's name: its address,
 *   or the nickname it chose with `/nick <name>`.
 * A chunk from recv() counts as one message, as in the course's `conn.recv(1024)` loops.
 */
import type { AutoReply, SocketInfo, ListenSpec } from '../../../shared/contract'
import { formatEndpoint } from '../../../shared/endpoint'
import { decodeText } from '../payload'
import iconv from 'iconv-lite'
import { answer, parseRules } from '../../../shared/rules'

export interface ResponderHost {
  sendAuto(connId: string, bytes: Uint8Array): void
  /** The same bytes to each of `connIds` (a broadcast). */
  sendAutoAll(connIds: Iterable<string>, bytes: Uint8Array): void
  closeConn(connId: string): void
  resumeConn(connId: string): void
  describe(connId: string): SocketInfo | undefined
  /** A room member chose a nickname. */
  rename(connId: string, name: string): void
}

export interface Responder {
  onConnection(connId: string): void
  onData(connId: string, chunk: Uint8Array): void
  onEnd(connId: string): void
  onClose(connId: string): void
  /** The user (not the responder) sent bytes on one of this server's connections. */
  onManualSend(connId: string, bytes: Uint8Array): void
}

type Enc = 'utf-8' | 'gbk'

function reply(kind: AutoReply, text: string, chunk: Uint8Array, enc: Enc): Uint8Array | undefined {
  if (kind === 'echo') return chunk
  if (kind === 'hello') return encode(`Hello, ${text}!`, enc)
  return undefined
}

function encode(text: string, enc: Enc): Uint8Array {
  return enc === 'gbk' ? iconv.encode(text, 'gbk') : Buffer.from(text, 'utf8')
}

/** The message as a course script compares it: decoded, without a trailing line ending. */
function message(chunk: Uint8Array, enc: Enc): string {
  return decodeText(chunk, enc).replace(/\r?\n$/, '')
}

/** How a plain server (no course behaviour) treats the peer's FIN. */
export interface PlainOptions {
  /**
   * Close our side once the peer has sent FIN and what we queued is sent, as a server does (the
   * CLI's plain server, `ncat -lk`). Off, the connection stays in CLOSE_WAIT until closed by hand:
   * what the app's demos teach ("your program should close now").
   */
  closeOnEnd?: boolean
}

export function createResponder(host: ResponderHost, req: ListenSpec, plain: PlainOptions = {}): Responder {
  const mode = modeResponder(host, req, plain)
  const parsed = parseRules(req.rules ?? [])
  if (!('rules' in parsed) || parsed.rules.length === 0) return mode
  const rules = parsed.rules
  let counter = 0
  return {
    ...mode,
    // A rule that matches answers this read; the others go on to the mode's own behaviour.
    onData: (id, chunk) => {
      const out = answer(rules, message(chunk, req.encoding), { counter: counter + 1, now: new Date() })
      if (!out) return mode.onData(id, chunk)
      counter++
      const parts = out.map((p) => ('text' in p ? encode(p.text, req.encoding) : p.bytes))
      host.sendAuto(id, Buffer.concat(parts))
    },
  }
}

function modeResponder(host: ResponderHost, req: ListenSpec, plain: PlainOptions): Responder {
  const enc = req.encoding
  const ignore = (): void => undefined
  const base: Responder = {
    onConnection: ignore,
    onData: ignore,
    // The course's loops stop when recv() returns b'' and then close the connection.
    onEnd: (id) => host.closeConn(id),
    onClose: ignore,
    onManualSend: ignore,
  }
  switch (req.mode) {
    case 'threaded': {
      // "Hello, <name>!": the first name a client sends is what the class sees on its row. The
      // names after it are data (seed 001 sends Michael, Tracy, Sarah on one connection), not
      // new nicknames: the row is not renamed after each of them.
      const named = new Set<string>()
      return {
        ...base,
        onConnection: (id) => host.sendAuto(id, encode('Welcome!', enc)),
        onData: (id, chunk) => {
          const text = message(chunk, enc)
          if (text === 'exit') return host.closeConn(id)
          if (req.reply === 'hello' && text && text.length <= 40 && !named.has(id)) {
            named.add(id)
            host.rename(id, text)
          }
          const out = reply(req.reply, text, chunk, enc)
          if (out) host.sendAuto(id, out)
        },
        onClose: (id) => void named.delete(id),
      }
    }
    case 'serial':
      return serial(host, req.reply, enc, base)
    case 'room':
      return room(host, enc, base)
    default:
      return plain.closeOnEnd ? base : { ...base, onEnd: ignore }
  }
}

function serial(host: ResponderHost, kind: AutoReply, enc: Enc, base: Responder): Responder {
  const waiting: string[] = []
  let current: string | undefined
  const next = (): void => {
    current = waiting.shift()
    if (current) host.resumeConn(current)
  }
  return {
    ...base,
    onConnection: (id) => {
      waiting.push(id)
      if (!current) next()
    },
    onData: (id, chunk) => {
      if (id !== current) return
      const text = message(chunk, enc)
      if (text === 'bye') return host.closeConn(id)
      const out = reply(kind, text, chunk, enc)
      if (out) host.sendAuto(id, out)
    },
    onManualSend: (id, bytes) => {
      if (id === current && message(bytes, enc) === 'bye') host.closeConn(id)
    },
    onClose: (id) => {
      const i = waiting.indexOf(id)
      if (i >= 0) waiting.splice(i, 1)
      if (id === current) next()
    },
  }
}

const NICK = /^\/nick\s+(.*)$/s
const MAX_NICK = 32

function room(host: ResponderHost, enc: Enc, base: Responder): Responder {
  const members = new Map<string, string>()
  const name = (id: string): string => {
    const r = host.describe(id)?.remote
    return r ? formatEndpoint(r) : id
  }
  const broadcast = (from: string | undefined, text: string): void => {
    const to = [...members.keys()]
    host.sendAutoAll(from === undefined ? to : to.filter((id) => id !== from), encode(text, enc))
  }
  return {
    ...base,
    onConnection: (id) => {
      const who = name(id)
      const hint = 'Send /nick <name> to choose a name.'
      host.sendAuto(id, encode(`Welcome to the room, ${who}! ${members.size} other(s) here. ${hint}\n`, enc))
      broadcast(undefined, `* ${who} joined\n`)
      members.set(id, who)
    },
    onData: (id, chunk) => {
      const text = message(chunk, enc)
      const old = members.get(id) ?? id
      const nick = NICK.exec(text)?.[1]?.trim().slice(0, MAX_NICK)
      if (nick === undefined) return broadcast(id, `${old}: ${text}\n`)
      if (!nick) return
      members.set(id, nick)
      host.rename(id, nick)
      broadcast(undefined, `* ${old} is now ${nick}\n`)
    },
    onClose: (id) => {
      const who = members.get(id)
      if (members.delete(id) && who) broadcast(undefined, `* ${who} left\n`)
    },
  }
}
