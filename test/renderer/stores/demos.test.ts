/** The demo stores: what each panel's actions ask of the API and remember of each socket. */
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import { setApi } from '../../../src/renderer/src/api'
import { BACKLOG_TAG, useBacklogStore } from '../../../src/renderer/src/stores/backlog'
import { CHAT_TAG, useChatStore } from '../../../src/renderer/src/stores/chat'
import { useLabStore } from '../../../src/renderer/src/stores/lab'
import { useUdpStore } from '../../../src/renderer/src/stores/udp'
import { createFakeApi } from '../../support/fake-api'

let fake: ReturnType<typeof createFakeApi>
beforeEach(() => {
  fake = createFakeApi()
  setApi(fake.api)
  setActivePinia(createPinia())
})

describe('the chat store', () => {
  it('remembers the program each socket was opened with, and a client’s preset', async () => {
    const chat = useChatStore()
    const req = { host: '0.0.0.0', port: 0, backlog: 5, mode: 'serial', reply: 'echo', encoding: 'gbk' } as const
    expect(await chat.startServer(req)).toBeUndefined()
    const [server] = chat.servers
    // The code view shows the port the OS gave, not the 0 asked for.
    expect(chat.code.get(server!.info.id)).toEqual({
      role: 'serial',
      params: { host: '0.0.0.0', port: 8001, backlog: 5, reply: 'echo', encoding: 'gbk' },
    })
    expect(await chat.connect({ host: '127.0.0.1', port: 8001, timeoutMs: 1000 }, 'threaded')).toBeUndefined()
    const [client] = chat.clients
    expect(chat.code.get(client!.info.id)?.role).toBe('threaded-client')
    expect(chat.presetOf.get(client!.info.id)).toBe('threaded')
    expect(useLabStore().byTag(CHAT_TAG)).toHaveLength(2)
  })

  it('answers a refused call with its error and remembers nothing', async () => {
    const chat = useChatStore()
    fake.answerNext('tcpConnect', { ok: false, code: 'ECONNREFUSED', message: 'refused' })
    expect(await chat.connect({ host: '127.0.0.1', port: 1, timeoutMs: 1000 }, 'chat')).toMatchObject({
      code: 'ECONNREFUSED',
    })
    expect(chat.code.size).toBe(0)
  })
})

describe('the UDP store', () => {
  it('a pair: the sender’s form points at the receiver’s port', async () => {
    const udp = useUdpStore()
    expect(await udp.pair()).toBeUndefined()
    const [rx, tx] = udp.sockets
    expect(udp.targets.get(tx!.info.id)).toEqual({ host: '127.0.0.1', port: rx!.info.local!.port })
    expect(udp.targets.has(rx!.info.id)).toBe(false)
  })
})

describe('the backlog store', () => {
  it('adds clients to the loopback address of a wildcard server, all in one call', async () => {
    const backlog = useBacklogStore()
    fake.answerNext('backlogListen', {
      ok: true,
      data: {
        id: 's9',
        kind: 'tcp-server',
        state: 'listening',
        bytesIn: 0,
        bytesOut: 0,
        local: { address: '0.0.0.0', port: 8002, family: 'IPv4' },
      },
    })
    expect((await backlog.start({ host: '0.0.0.0', port: 8002, backlog: 2 })).ok).toBe(true)
    expect(backlog.server?.info.id).toBe('s9')
    expect(await backlog.addClients({ count: 3, timeoutMs: 500, greeting: 'hi' })).toBeUndefined()
    expect(fake.calls.at(-1)).toEqual({
      method: 'tcpConnectMany',
      req: { host: '127.0.0.1', port: 8002, count: 3, timeoutMs: 500, greeting: 'hi' },
    })
    expect(useLabStore().rawByTag(BACKLOG_TAG)).toHaveLength(4)
  })
})
