/**
 * The TCP chat demo's view: its servers, their connections, its clients, and the course
 * program each socket was opened with (the code view shows that program, the line of the
 * latest step highlighted); and what the panel does (start a server, connect a client).
 */
import { defineStore } from 'pinia'
import { computed, reactive } from 'vue'
import type { LabError, ListenSpec, TcpConnectReq } from '../../../shared/contract'
import { stepsOf, type CodeParams, type CodeRole } from '../lib/python-code'
import { useLabStore, type SocketView } from './lab'

export const CHAT_TAG = 'chat'

/** The course's message sequences (seeds: the 小文/明威 chat; the threaded server's client). */
export const PRESETS = {
  none: [],
  chat: ['你好，明威', '今天的作业写完了吗？', 'bye'],
  threaded: ['Michael', 'Tracy', 'Sarah', 'exit'],
  http: [],
} as const
export type Preset = keyof typeof PRESETS

export const useChatStore = defineStore('chat', () => {
  const lab = useLabStore()
  /** What each socket was opened with: the code view shows the same program. */
  const code = reactive(new Map<string, { role: CodeRole; params: CodeParams }>())
  const presetOf = reactive(new Map<string, Preset>())

  const mine = computed(() => lab.byTag(CHAT_TAG))
  const servers = computed(() => mine.value.filter((v) => v.info.kind === 'tcp-server'))
  const clients = computed(() =>
    mine.value.filter((v) => v.info.kind === 'tcp-client' && code.get(v.info.id)?.role !== 'http'),
  )
  const connsOf = (id: string): SocketView[] => mine.value.filter((v) => v.info.parent === id)

  /**
   * A client connected to one of the panel's serial servers that has not accept()ed it yet: it
   * waits in the kernel's accept queue, and the server cannot talk to it (there is no
   * connection on the server's side).
   */
  function queued(client: SocketView): boolean {
    const remote = client.info.remote
    const local = client.info.local
    if (client.info.state !== 'open' || !remote || !local) return false
    const server = servers.value.find(
      (s) => s.info.state === 'listening' && s.info.queue && s.info.local?.port === remote.port,
    )
    if (!server) return false
    return !connsOf(server.info.id).some((c) => c.info.remote?.port === local.port)
  }

  /**
   * The code of one side (a tab of the code view: it stays on the side chosen, instead of jumping
   * to whichever socket moved last), the line of that side's newest step highlighted. A
   * connection shows its server's code.
   */
  function focusOn(side: 'server' | 'client') {
    let best: SocketView | undefined
    for (const v of mine.value) {
      if ((v.info.kind === 'tcp-client') !== (side === 'client')) continue
      if (!code.get(v.info.parent ?? v.info.id)) continue
      if (v.last && (!best || v.last.t > best.last!.t)) best = v
    }
    if (!best) return undefined
    const c = code.get(best.info.parent ?? best.info.id)!
    return { ...c, steps: stepsOf(best.last?.kind) }
  }
  const focus = computed(() => ({ server: focusOn('server'), client: focusOn('client') }))

  /**
   * The conversations the dialogue view can show, newest first: each of the panel's clients, and
   * each server-side connection whose client is not one of the panel's (a student's program).
   */
  const dialogues = computed(() =>
    mine.value
      .filter((v) => v.info.kind === 'tcp-client' || (v.info.kind === 'tcp-conn' && !lab.clientOf(v)))
      .reverse(),
  )

  async function startServer(req: ListenSpec): Promise<LabError | undefined> {
    const r = await lab.listen({ ...req }, CHAT_TAG)
    if (!r.ok) return r
    const { mode, tls, ...params } = req
    code.set(r.data.id, {
      role: mode,
      params: { ...params, port: r.data.local?.port ?? req.port, ...(tls ? { tls: true } : {}) },
    })
    return undefined
  }

  async function connect(req: TcpConnectReq, preset: Preset): Promise<LabError | undefined> {
    const r = await lab.connect({ ...req }, CHAT_TAG)
    if (!r.ok) return r
    const role = preset === 'threaded' ? 'threaded-client' : 'client'
    code.set(r.data.id, { role, params: { host: req.host, port: req.port, ...(req.tls ? { tls: true } : {}) } })
    presetOf.set(r.data.id, preset)
    return undefined
  }

  /** The HTTP GET preset opened client `id` (HttpFetch): its code is the raw-TCP GET it sent. */
  function httpStarted(id: string, host: string, port: number, request?: string): void {
    code.set(id, { role: 'http', params: { host, port, ...(request ? { request } : {}) } })
  }

  return {
    code,
    presetOf,
    mine,
    servers,
    clients,
    connsOf,
    queued,
    focus,
    dialogues,
    startServer,
    connect,
    httpStarted,
  }
})
