/**
 * How a client session is judged, on sessions written out by hand: every branch of each check,
 * and the words of each verdict. (Sessions recorded from real Python clients: checker.test.ts.)
 */
import { describe, expect, it } from 'vitest'
import { CLIENT_CHECKS, type Session } from '../../../../src/main/engine/checker/client-checks'
import { builtInExercises } from '../../../../src/main/engine/checker/exercises'

const session = (s: Partial<Session>): Session => ({
  lines: [{ dir: '·', text: 'connected' }],
  messages: [],
  request: '',
  ending: 'fin',
  serverClosedFirst: false,
  ...s,
})
const check = (exercise: string, id: string) =>
  builtInExercises()
    .find((e) => e.id === exercise)!
    .checks.find((c) => c.id === id)!
const said = (kind: keyof typeof CLIENT_CHECKS, s: Session, c = check('threaded-hello-client', 'connect')) => {
  const o = CLIENT_CHECKS[kind](c, s)
  return `${o.ok ? 'ok' : 'no'}: ${o.detail.en} / ${o.detail['zh-CN']}`
}
const msg = (text: string, early = false) => ({ text, early })

describe('client-sends-each (a name, then its reply, then the next)', () => {
  const names = check('threaded-hello-client', 'sends-names')
  it('counts the names, leaving out the closing word', () => {
    expect(names.rule['except']).toBe('exit')
    const s = session({ messages: [msg('Michael'), msg('小文'), msg('exit\n')] })
    expect(said('client-sends-each', s, names)).toBe(
      'ok: 2 names, each after its reply / 发送了 2 个名字，每个都在读取回复之后',
    )
  })

  it('fails a client that sent only the closing word, or nothing', () => {
    for (const messages of [[msg('exit')], []])
      expect(said('client-sends-each', session({ messages }), names)).toBe('no: sent no name / 没有发送名字')
  })

  it('names the first name sent before the reply to the one before', () => {
    const s = session({ messages: [msg('Michael'), msg('Tracy', true), msg('Sarah', true)] })
    expect(said('client-sends-each', s, names)).toBe(
      'no: sent "Tracy" before reading the reply to the one before / 在读取上一条的回复之前就发送了 "Tracy"',
    )
  })

  it('catches a last name and the closing word that arrived stuck together', () => {
    const s = session({ messages: [msg('Michael'), msg('Sarahexit')] })
    expect(said('client-sends-each', s, names)).toBe(
      'no: sent "Sarahexit" before reading the reply to the one before / 在读取上一条的回复之前就发送了 "Sarahexit"',
    )
  })
})

describe('client-sends (the closing word)', () => {
  const exit = check('threaded-hello-client', 'sends-exit')
  it('finds it alone, with a line end, or at the end of a read', () => {
    for (const text of ['exit', ' exit\n', 'Sarahexit'])
      expect(said('client-sends', session({ messages: [msg(text)] }), exit)).toBe('ok: sent "exit" / 发送了 "exit"')
  })
  it('does not find it inside or at the start of another word', () => {
    for (const text of ['exiting', 'exit now', 'Exit'])
      expect(said('client-sends', session({ messages: [msg('Michael'), msg(text)] }), exit)).toBe(
        'no: never sent "exit" / 没有发送 "exit"',
      )
  })
})

describe('client-closes', () => {
  it('tells FIN, reset and never-closed apart', () => {
    expect(said('client-closes', session({ ending: 'fin' }))).toBe('ok: closed with FIN / 用 FIN 正常关闭')
    expect(said('client-closes', session({ ending: 'reset' }))).toBe(
      'no: ended with a reset (RST), not an orderly close / 以重置（RST）结束，不是正常关闭',
    )
    expect(said('client-closes', session({ ending: 'open' }))).toBe(
      'no: never closed the connection / 一直没有关闭连接',
    )
  })
})

describe('the HTTP request', () => {
  const req = (request: string) => session({ request })
  it('a request line: GET, a path, HTTP/1.0 or 1.1, ended by \\r\\n', () => {
    expect(said('http-request-line', req('GET / HTTP/1.1\r\nHost: a\r\n\r\n'))).toBe(
      'ok: request line "GET / HTTP/1.1" / 请求行 "GET / HTTP/1.1"',
    )
    expect(said('http-request-line', req('GET /a.html HTTP/1.0\r\n\r\n'))).toMatch(/^ok/)
    for (const bad of [
      'GET / HTTP/1.1 \r\n\r\n',
      'POST / HTTP/1.1\r\n\r\n',
      'GET / HTTP/2\r\n\r\n',
      'GET  HTTP/1.1\r\n\r\n',
    ])
      expect(said('http-request-line', req(bad)), bad).toMatch(/^no: the first line was/)
    expect(said('http-request-line', req('GET / HTTP/1.1'))).toBe(
      'no: the first line was "GET / HTTP/1.1" / 第一行是 "GET / HTTP/1.1"',
    )
    expect(said('http-request-line', req(''))).toBe('no: the first line was "" / 第一行是 ""')
  })

  it('a Host header with a value, in any case, after the request line', () => {
    expect(said('http-host', req('GET / HTTP/1.1\r\nhOsT:   example\r\n\r\n'))).toBe(
      'ok: Host header present / 有 Host 头',
    )
    for (const bad of ['GET / HTTP/1.1\r\nHost:\r\n\r\n', 'Host: a\r\n\r\n', 'GET / HTTP/1.1\r\nX-Host: a\r\n\r\n'])
      expect(said('http-host', req(bad)), bad).toBe('no: no Host header / 没有 Host 头')
  })

  it('the blank line that ends the header', () => {
    expect(said('http-header-end', req('GET / HTTP/1.1\r\n\r\n'))).toMatch(/^ok: the header ends with a blank line/)
    expect(said('http-header-end', req('GET / HTTP/1.1\r\n\n'))).toBe(
      'no: no blank line (\\r\\n\\r\\n) ended the header / 头部没有以空行（\\r\\n\\r\\n）结束',
    )
  })

  it('reading to the close: after the server, before it, with data unread, or never', () => {
    const end = (ending: Session['ending'], serverClosedFirst: boolean) =>
      said('http-reads-to-close', session({ ending, serverClosedFirst }))
    expect(end('fin', true)).toBe(
      'ok: read the whole page, closed after the server / 读完了整个网页，在服务器关闭之后关闭',
    )
    expect(end('fin', false)).toBe('no: closed before the server had sent the whole page / 服务器还没发完网页就关闭了')
    expect(end('reset', true)).toBe(
      'no: closed with data still unread (the kernel sent RST) / 还有数据没读就关闭了（内核发送了 RST）',
    )
    expect(end('open', true)).toBe('no: never closed the connection / 一直没有关闭连接')
  })
})

describe('every verdict', () => {
  it("carries the session's transcript", () => {
    const s = session({ lines: [{ dir: '←', text: 'GET /' }] })
    for (const kind of Object.keys(CLIENT_CHECKS) as (keyof typeof CLIENT_CHECKS)[])
      expect(CLIENT_CHECKS[kind](check('http-get-client', 'request-line'), s).transcript, kind).toBe(s.lines)
  })
})
