/**
 * A student's client, checked by the app playing the reference server: each connection is one
 * session, served as the course's server would, recorded, then judged check by check.
 */
import type { Socket } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import type { Check, ClientCheckKind, Reference } from '../../../shared/exercise'
import { decode, encode, type Enc, type Line } from './probe'
import { fail as no, pass as ok, type Outcome } from './outcome'

/** What one client did, as the reference server saw it. */
export interface Session {
  lines: Line[]
  /** Each read, its text and whether it arrived before the reply to the previous one went out. */
  messages: { text: string; early: boolean }[]
  /** The HTTP request's bytes (reference 'http'). */
  request: string
  /** How the client ended: 'fin' (orderly), 'reset', 'open' (never closed in time). */
  ending: 'fin' | 'reset' | 'open'
  /** The server had closed its side (after "exit" / the response) when the client ended. */
  serverClosedFirst: boolean
}

/** The reference server thinks this long before each reply: a client that does not wait for
 * it sends its next message before the reply has gone out. */
const REPLY_DELAY_MS = 60

/** Serves one connection as the reference server does; resolves when it is over. */
export function serveSession(
  sock: Socket,
  reference: Reference,
  enc: Enc,
  idleMs: number,
  bodyBytes = 65536,
): Promise<Session> {
  const s: Session = { lines: [], messages: [], request: '', ending: 'open', serverClosedFirst: false }
  let replying = false
  let finished!: () => void
  const over = new Promise<void>((r) => (finished = r))
  let idle: ReturnType<typeof setTimeout> | undefined
  const touch = (): void => {
    clearTimeout(idle)
    idle = setTimeout(finished, idleMs)
  }
  const send = (text: string | Buffer): void => {
    if (sock.destroyed || sock.writableEnded) return
    s.lines.push({ dir: '→', text: typeof text === 'string' ? text : `${text.length} bytes` })
    sock.write(typeof text === 'string' ? encode(text, enc) : text)
  }
  const closeOurSide = (): void => {
    if (sock.writableEnded) return
    s.serverClosedFirst = s.ending === 'open'
    s.lines.push({ dir: '·', text: 'server: close' })
    sock.end()
  }

  sock.setNoDelay(true)
  sock.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'ECONNRESET' || e.code === 'ECONNABORTED' || e.code === 'EPIPE') s.ending = 'reset'
    s.lines.push({ dir: '·', text: e.code ?? e.message })
  })
  sock.on('end', () => {
    if (s.ending === 'open') s.ending = 'fin'
    s.lines.push({ dir: '·', text: 'client: FIN' })
    if (reference === 'threaded-hello') closeOurSide()
  })
  sock.on('close', () => finished())
  touch()

  if (reference === 'threaded-hello') {
    // The welcome, too, comes after a moment: a client that sends before it has read it did not
    // wait for a reply either.
    replying = true
    void sleep(REPLY_DELAY_MS).then(() => {
      send('Welcome!')
      replying = false
    })
    sock.on('data', (d: Buffer) => {
      touch()
      const text = decode(d, enc)
      s.lines.push({ dir: '←', text })
      s.messages.push({ text, early: replying })
      if (text.trim() === 'exit' || text.endsWith('exit')) return closeOurSide()
      replying = true
      void sleep(REPLY_DELAY_MS).then(() => {
        send(`Hello, ${text}!`)
        replying = false
      })
    })
  } else {
    let responded = false
    const respond = async (): Promise<void> => {
      if (responded) return
      responded = true
      const body = Buffer.alloc(bodyBytes, 'socket lab\n')
      send(`HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: ${bodyBytes}\r\nConnection: close\r\n\r\n`)
      // The page in pieces, as a real server's would arrive: one recv() cannot take it all.
      for (let at = 0; at < body.length && !sock.destroyed; at += 8192) {
        send(body.subarray(at, at + 8192))
        await sleep(15)
      }
      closeOurSide()
    }
    let lenient: ReturnType<typeof setTimeout> | undefined
    sock.on('data', (d: Buffer) => {
      touch()
      s.request += decode(d, enc)
      s.lines.push({ dir: '←', text: decode(d, enc) })
      if (s.request.includes('\r\n\r\n')) void respond()
      // A header that never ends is answered after a second anyway, so that what the client
      // does with a response is checked too (the header-end check has already failed it).
      else lenient ??= setTimeout(() => void respond(), Math.min(1000, idleMs))
    })
    sock.on('close', () => clearTimeout(lenient))
  }

  return over.then(() => {
    clearTimeout(idle)
    sock.destroy()
    return s
  })
}

type Judge = (c: Check, s: Session) => Outcome
const headerLines = (s: Session): string[] => s.request.split('\r\n\r\n')[0]!.split('\r\n')

export const CLIENT_CHECKS: Record<ClientCheckKind, Judge> = {
  'client-connects': (_c, s) => ok(s, 'connected', '已连接'),
  'client-sends-each': (c, s) => {
    const names = s.messages.filter((m) => m.text.trim() !== String(c.rule['except'] ?? ''))
    if (!names.length) return no(s, 'sent no name', '没有发送名字')
    const early = names.find((m) => m.early)
    const merged = names.find((m) => m.text.endsWith('exit') && m.text.trim() !== 'exit')
    if (early || merged)
      return no(
        s,
        `sent ${JSON.stringify((early ?? merged)!.text)} before reading the reply to the one before`,
        `在读取上一条的回复之前就发送了 ${JSON.stringify((early ?? merged)!.text)}`,
      )
    return ok(s, `${names.length} names, each after its reply`, `发送了 ${names.length} 个名字，每个都在读取回复之后`)
  },
  'client-sends': (c, s) => {
    const word = String(c.rule['text'])
    return s.messages.some((m) => m.text.trim() === word || m.text.endsWith(word))
      ? ok(s, `sent ${JSON.stringify(word)}`, `发送了 ${JSON.stringify(word)}`)
      : no(s, `never sent ${JSON.stringify(word)}`, `没有发送 ${JSON.stringify(word)}`)
  },
  'client-closes': (_c, s) =>
    s.ending === 'fin'
      ? ok(s, 'closed with FIN', '用 FIN 正常关闭')
      : s.ending === 'reset'
        ? no(s, 'ended with a reset (RST), not an orderly close', '以重置（RST）结束，不是正常关闭')
        : no(s, 'never closed the connection', '一直没有关闭连接'),
  'http-request-line': (_c, s) => {
    const first = headerLines(s)[0] ?? ''
    return /^GET \S+ HTTP\/1\.[01]$/.test(first) && s.request.startsWith(`${first}\r\n`)
      ? ok(s, `request line ${JSON.stringify(first)}`, `请求行 ${JSON.stringify(first)}`)
      : no(s, `the first line was ${JSON.stringify(first)}`, `第一行是 ${JSON.stringify(first)}`)
  },
  'http-host': (_c, s) =>
    headerLines(s)
      .slice(1)
      .some((l) => /^host:\s*\S+/i.test(l))
      ? ok(s, 'Host header present', '有 Host 头')
      : no(s, 'no Host header', '没有 Host 头'),
  'http-header-end': (_c, s) =>
    s.request.includes('\r\n\r\n')
      ? ok(s, 'the header ends with a blank line', '头部以空行结束')
      : no(s, 'no blank line (\\r\\n\\r\\n) ended the header', '头部没有以空行（\\r\\n\\r\\n）结束'),
  'http-reads-to-close': (_c, s) =>
    s.ending === 'fin' && s.serverClosedFirst
      ? ok(s, 'read the whole page, closed after the server', '读完了整个网页，在服务器关闭之后关闭')
      : s.ending === 'reset'
        ? no(s, 'closed with data still unread (the kernel sent RST)', '还有数据没读就关闭了（内核发送了 RST）')
        : s.ending === 'fin'
          ? no(s, 'closed before the server had sent the whole page', '服务器还没发完网页就关闭了')
          : no(s, 'never closed the connection', '一直没有关闭连接'),
}
