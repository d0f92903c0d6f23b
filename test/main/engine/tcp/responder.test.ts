/**
 * The course's server behaviours against a recording host: what each answers, to whom, when it
 * closes, whom it serves next. (Over real sockets: engine.test.ts, python-peers.test.ts.)
 */
import iconv from 'iconv-lite'
import { describe, expect, it } from 'vitest'
import type { ListenSpec, SocketInfo } from '../../../../src/shared/contract'
import { createResponder, type ResponderHost } from '../../../../src/main/engine/tcp/responder'

/** A host that records what the responder did, as "send c1 Welcome!", "close c1"..., and the
 * bytes of each send as they are (`sent`). */
function recorder(remotes: Record<string, string> = {}) {
  const log: string[] = []
  const sent: Buffer[] = []
  const sendAuto = (id: string, bytes: Uint8Array): void => {
    sent.push(Buffer.from(bytes))
    log.push(`send ${id} ${Buffer.from(bytes).toString('utf8')}`)
  }
  const host: ResponderHost = {
    sendAuto,
    sendAutoAll: (ids, bytes) => {
      for (const id of ids) sendAuto(id, bytes)
    },
    closeConn: (id) => log.push(`close ${id}`),
    resumeConn: (id) => log.push(`resume ${id}`),
    rename: (id, name) => log.push(`rename ${id} ${name}`),
    describe: (id) => {
      const r = remotes[id]
      if (!r) return undefined
      const [address, port] = r.split(' ')
      return {
        id,
        kind: 'tcp-conn',
        state: 'open',
        remote: { address: address!, port: Number(port), family: 'IPv4' },
      } as SocketInfo
    },
  }
  return { host, log, sent, take: () => log.splice(0) }
}

const spec = (extra: Partial<ListenSpec>): ListenSpec =>
  ({ host: '127.0.0.1', port: 0, backlog: 5, mode: 'plain', reply: 'none', encoding: 'utf-8', ...extra }) as ListenSpec
const b = (s: string) => Buffer.from(s, 'utf8')

describe('every mode', () => {
  it("closes a connection when the peer's recv() loop would see b'' (its FIN); plain only when asked (the CLI)", () => {
    for (const mode of ['threaded', 'serial', 'room'] as const) {
      const { host, take } = recorder()
      createResponder(host, spec({ mode })).onEnd('c1')
      expect(take()).toEqual(['close c1'])
    }
    // the app's plain server keeps CLOSE_WAIT, to teach it; the CLI's closes, as ncat -lk does
    const { host, take } = recorder()
    createResponder(host, spec({ mode: 'plain' })).onEnd('c1')
    expect(take()).toEqual([])
    createResponder(host, spec({ mode: 'plain' }), { closeOnEnd: true }).onEnd('c1')
    expect(take()).toEqual(['close c1'])
  })

  it('plain answers nothing, whatever the reply setting', () => {
    const { host, take } = recorder()
    const r = createResponder(host, spec({ mode: 'plain', reply: 'hello' }))
    r.onConnection('c1')
    r.onData('c1', b('Michael'))
    expect(take()).toEqual([])
  })
})

describe('threaded', () => {
  it('welcomes, answers "Hello, <name>!" and names the row, closes on "exit" (with or without a line end)', () => {
    const { host, take } = recorder()
    const r = createResponder(host, spec({ mode: 'threaded', reply: 'hello' }))
    r.onConnection('c1')
    r.onData('c1', b('小文\r\n'))
    r.onData('c1', b('exit\n'))
    expect(take()).toEqual(['send c1 Welcome!', 'rename c1 小文', 'send c1 Hello, 小文!', 'close c1'])
  })

  it('names a connection by the first name it sends only: the names after it are data, not renames', () => {
    const { host, take } = recorder()
    const r = createResponder(host, spec({ mode: 'threaded', reply: 'hello' }))
    for (const n of ['Michael', 'Tracy', 'MichaelTracy']) r.onData('c1', b(n))
    r.onData('c2', b('Sarah'))
    expect(take().filter((l) => l.startsWith('rename'))).toEqual(['rename c1 Michael', 'rename c2 Sarah'])
  })

  it('names a row only by a name of 1 to 40 characters', () => {
    const { host, take } = recorder()
    const r = createResponder(host, spec({ mode: 'threaded', reply: 'hello' }))
    r.onData('c1', b('x'.repeat(40)))
    r.onData('c2', b('y'.repeat(41)))
    r.onData('c3', b('\n'))
    expect(take().filter((l) => l.startsWith('rename'))).toEqual([`rename c1 ${'x'.repeat(40)}`])
  })

  it('echoes the bytes as they came, and answers nothing with no reply set (but still welcomes)', () => {
    const echo = recorder()
    createResponder(echo.host, spec({ mode: 'threaded', reply: 'echo' })).onData('c1', b('hi\n'))
    expect(echo.take()).toEqual(['send c1 hi\n'])
    const none = recorder()
    const r = createResponder(none.host, spec({ mode: 'threaded', reply: 'none' }))
    r.onConnection('c1')
    r.onData('c1', b('hi'))
    expect(none.take()).toEqual(['send c1 Welcome!'])
  })

  it('speaks GBK on a GBK server', () => {
    const { host, sent } = recorder()
    const r = createResponder(host, spec({ mode: 'threaded', reply: 'hello', encoding: 'gbk' }))
    r.onData('c1', iconv.encode('明威', 'gbk'))
    expect(iconv.decode(sent[0]!, 'gbk')).toBe('Hello, 明威!')
    expect(sent[0]!.toString('hex')).toBe(iconv.encode('Hello, 明威!', 'gbk').toString('hex'))
  })
})

describe('serial', () => {
  it('serves one conversation at a time: the next waits unread until "bye" ends the first', () => {
    const { host, take } = recorder()
    const r = createResponder(host, spec({ mode: 'serial', reply: 'echo' }))
    r.onConnection('c1')
    r.onConnection('c2')
    expect(take()).toEqual(['resume c1']) // c2 is accepted but not read
    r.onData('c2', b('me too'))
    r.onData('c1', b('你好'))
    expect(take()).toEqual(['send c1 你好'])
    r.onData('c1', b('bye'))
    expect(take()).toEqual(['close c1'])
    r.onClose('c1')
    expect(take()).toEqual(['resume c2'])
    r.onData('c2', b('now'))
    expect(take()).toEqual(['send c2 now'])
  })

  it('a "bye" the user sends on the current conversation ends it too; on a waiting one it does not', () => {
    const { host, take } = recorder()
    const r = createResponder(host, spec({ mode: 'serial' }))
    r.onConnection('c1')
    r.onConnection('c2')
    take()
    r.onManualSend('c2', b('bye'))
    r.onManualSend('c1', b('hello'))
    expect(take()).toEqual([])
    r.onManualSend('c1', b('bye\n'))
    expect(take()).toEqual(['close c1'])
  })

  it('a waiting client that leaves is not served later', () => {
    const { host, take } = recorder()
    const r = createResponder(host, spec({ mode: 'serial' }))
    r.onConnection('c1')
    r.onConnection('c2')
    r.onConnection('c3')
    take()
    r.onClose('c2') // left while waiting
    expect(take()).toEqual([])
    r.onClose('c1')
    expect(take()).toEqual(['resume c3'])
    r.onClose('c3')
    expect(take()).toEqual([])
  })
})

describe('room', () => {
  it('welcomes by address, tells the others, relays each message to everyone else, by name', () => {
    const { host, take } = recorder({ c1: '10.0.0.5 5001', c2: '10.0.0.6 5002' })
    const r = createResponder(host, spec({ mode: 'room' }))
    r.onConnection('c1')
    expect(take()).toEqual([
      'send c1 Welcome to the room, 10.0.0.5:5001! 0 other(s) here. Send /nick <name> to choose a name.\n',
    ])
    r.onConnection('c2')
    expect(take()).toEqual([
      'send c2 Welcome to the room, 10.0.0.6:5002! 1 other(s) here. Send /nick <name> to choose a name.\n',
      'send c1 * 10.0.0.6:5002 joined\n',
    ])
    r.onData('c1', b('hi all\n'))
    expect(take()).toEqual(['send c2 10.0.0.5:5001: hi all\n'])
  })

  it('/nick renames (trimmed, at most 32 characters) and says so to all; an empty /nick does nothing', () => {
    const { host, take } = recorder({ c1: '10.0.0.5 5001', c2: '10.0.0.6 5002' })
    const r = createResponder(host, spec({ mode: 'room' }))
    r.onConnection('c1')
    r.onConnection('c2')
    take()
    r.onData('c1', b('/nick   小文  '))
    expect(take()).toEqual([
      'rename c1 小文',
      'send c1 * 10.0.0.5:5001 is now 小文\n',
      'send c2 * 10.0.0.5:5001 is now 小文\n',
    ])
    r.onData('c1', b('/nick    '))
    expect(take()).toEqual([])
    r.onData('c2', b(`/nick ${'z'.repeat(40)}`))
    expect(take()[0]).toBe(`rename c2 ${'z'.repeat(32)}`)
    r.onData('c1', b('/nickname is not a command'))
    expect(take()).toEqual([`send c2 小文: /nickname is not a command\n`])
  })

  it('tells the others who left, once, and names a member with no address by its id', () => {
    const { host, take } = recorder({ c1: '10.0.0.5 5001' })
    const r = createResponder(host, spec({ mode: 'room' }))
    r.onConnection('c1')
    r.onConnection('c2') // describe() knows nothing of it
    take()
    r.onClose('c2')
    expect(take()).toEqual(['send c1 * c2 left\n'])
    r.onClose('c2')
    expect(take()).toEqual([])
  })
})

describe('rules', () => {
  it('answer what they match, counting, before the mode; what no rule matches goes to the mode', () => {
    const { host, take } = recorder()
    const r = createResponder(host, spec({ mode: 'threaded', reply: 'hello', rules: ['ping=>pong #{{counter}}'] }))
    r.onData('c1', b('ping\n'))
    r.onData('c1', b('ping'))
    r.onData('c1', b('Tracy'))
    expect(take()).toEqual(['send c1 pong #1', 'send c1 pong #2', 'rename c1 Tracy', 'send c1 Hello, Tracy!'])
  })

  it('answer in plain mode too, and leave the rest unanswered', () => {
    const { host, take } = recorder()
    const r = createResponder(host, spec({ mode: 'plain', rules: ['ping=>pong'] }))
    r.onData('c1', b('ping'))
    r.onData('c1', b('other'))
    expect(take()).toEqual(['send c1 pong'])
  })

  it('send text in the server encoding and {{hex:…}} bytes as they are', () => {
    const { host, sent } = recorder()
    const r = createResponder(host, spec({ encoding: 'gbk', rules: ['你好=>好{{hex:0d 0a}}'] }))
    r.onData('c1', iconv.encode('你好', 'gbk'))
    expect(sent.map((s) => s.toString('hex'))).toEqual([`${iconv.encode('好', 'gbk').toString('hex')}0d0a`])
  })
})
