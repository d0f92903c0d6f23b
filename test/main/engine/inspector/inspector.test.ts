import { describe, expect, it } from 'vitest'
import type { OsSocket } from '../../../../src/shared/contract'
import { Inspector } from '../../../../src/main/engine/inspector/inspector'
import { SocketRegistry } from '../../../../src/main/engine/registry'

const row = (lab: string, word: string): OsSocket => ({
  proto: 'tcp',
  family: 'IPv4',
  local: { address: '127.0.0.1', port: 5000 },
  remote: { address: '127.0.0.1', port: 49800 },
  state: 'UNKNOWN',
  word,
  sendQ: null,
  recvQ: null,
  lab,
})

describe('the inspector on a Windows in a language no table covers', () => {
  it('learns a state word from the lab’s own open connection, and names it from then on', () => {
    const reg = new SocketRegistry(() => undefined)
    const open = reg.add('o', 'a', { kind: 'tcp-conn', state: 'open' }, { stream: {} as never })
    const closing = reg.add('o', 'a', { kind: 'tcp-conn', state: 'peer-ended' }, { stream: {} as never })
    const inspector = new Inspector(reg)
    // A connection that is not plainly open teaches nothing.
    expect(inspector.learn([row(closing.info.id, 'CZEKA')])[0]!.state).toBe('UNKNOWN')
    const [learned] = inspector.learn([row(open.info.id, 'USTANOWIONO')])
    expect(learned).toMatchObject({ state: 'ESTABLISHED' })
    expect(learned).not.toHaveProperty('word')
    // Another row with the same word, not the lab's: named too.
    expect(inspector.learn([{ ...row('', 'USTANOWIONO'), lab: undefined }])[0]!.state).toBe('ESTABLISHED')
  })
})
