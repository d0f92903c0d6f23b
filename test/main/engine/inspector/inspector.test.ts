import { afterEach, describe, expect, it } from 'vitest'
import { INSPECTOR_HEARTBEAT_MS, type OsSocket } from '../../../../src/shared/contract'
import { Inspector } from '../../../../src/main/engine/inspector/inspector'
import { SocketRegistry } from '../../../../src/main/engine/registry'
import { createHarness, listenDefaults } from '../../../support/engine-harness'

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

describe.skipIf(process.platform !== 'linux')(
  'reading the table only when it can have changed (live, on Linux)',
  () => {
    let h = createHarness()
    afterEach(async () => {
      await h.engine.closeAll()
      h = createHarness()
    })

    it('the same rows while the lab is still; read again on an event, a passing state, the heartbeat, or asked', async () => {
      let clock = 1_000_000
      const inspector = new Inspector(h.engine, () => clock)
      const server = await h.engine.tcp.listen('o', { ...listenDefaults, host: '127.0.0.1', port: 0 })
      const client = h.engine.tcp.connect('o', { host: '127.0.0.1', port: server.local!.port, timeoutMs: 5000 })
      await h.waitKind(client.id, 'connect')
      const conn = (await h.waitKind(server.id, 'connection')).conn
      const first = await inspector.osSockets('o', false)
      expect(first.unchangedSince).toBeUndefined()
      expect(first.rows.map((r) => r.state).sort()).toEqual(['ESTABLISHED', 'ESTABLISHED', 'LISTEN'])
      // nothing happened: the rows of that reading, said to be
      clock += 5000
      const same = await inspector.osSockets('o', false)
      expect(same.unchangedSince).toBe(1_000_000)
      expect(same.rows).toEqual(first.rows)
      // bytes sent: an event, so the OS is read again (and another owner's reading is its own)
      h.engine.tcp.send('o', { id: client.id, data: 'hi', encoding: 'utf-8' })
      await h.waitKind(conn, 'data')
      expect((await inspector.osSockets('o', false)).unchangedSince).toBeUndefined()
      expect((await inspector.osSockets('o', false)).unchangedSince).toBe(clock)
      // the refresh button, and `all`: read whatever the lab did
      expect((await inspector.osSockets('o', false, true)).unchangedSince).toBeUndefined()
      expect((await inspector.osSockets('o', true)).unchangedSince).toBeUndefined()
      // the heartbeat
      const at = clock
      clock += INSPECTOR_HEARTBEAT_MS - 1
      expect((await inspector.osSockets('o', false)).unchangedSince).toBe(at)
      clock += 1
      expect((await inspector.osSockets('o', false)).unchangedSince).toBeUndefined()
      // the client closes first: FIN_WAIT2 then TIME_WAIT, states the kernel leaves by itself, are
      // read again at every call though no event comes
      h.engine.close('o', client.id)
      await h.waitKind(client.id, 'close')
      await h.waitKind(conn, 'end')
      h.engine.close('o', conn)
      await h.waitKind(conn, 'close')
      await expect
        .poll(async () => (await inspector.osSockets('o', false)).rows.find((r) => r.lab === client.id)?.state)
        .toBe('TIME_WAIT')
      expect((await inspector.osSockets('o', false)).unchangedSince).toBeUndefined()
    })

    it('the backlog demo’s queue is read at every call: clients wait in it with no event', async () => {
      let clock = 1_000_000
      const inspector = new Inspector(h.engine, () => clock)
      await h.engine.backlog.listen('o', {
        host: '127.0.0.1',
        port: 0,
        backlog: 2,
        reply: 'echo',
        serveMs: 60_000,
        encoding: 'utf-8',
      })
      await inspector.osSockets('o', false)
      clock += 100
      expect((await inspector.osSockets('o', false)).unchangedSince).toBeUndefined()
    })
  },
)
