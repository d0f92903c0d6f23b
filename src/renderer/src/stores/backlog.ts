/**
 * The listen-backlog demo's view: whose accept queue it shows, its server, the connections that
 * server took, the one it serves, every client with its phase, the clients still waiting; and
 * what the panel does (start, stop, add clients, answer). Derived from the lab store's views
 * of this demo's sockets, which are plain data: everything here follows the store's version.
 */
import { defineStore } from 'pinia'
import { computed, reactive, shallowRef } from 'vue'
import type { BacklogListenReq, LabError, QueueMode } from '../../../shared/contract'
import { dialable } from '../../../shared/endpoint'
import { clientPhase, connFor, connIndex } from '../lib/backlog'
import { useLabStore } from './lab'

export const BACKLOG_TAG = 'backlog'

export const useBacklogStore = defineStore('backlog', () => {
  const lab = useLabStore()
  const mode = shallowRef<QueueMode & { platform: string }>()

  /** Decided once by the engine's self-test: the kernel's queue or the labelled simulation. */
  async function loadMode(): Promise<void> {
    if (mode.value) return
    const r = await lab.backlogMode()
    if (r.ok) mode.value = r.data
  }

  const mine = computed(() => lab.rawByTag(BACKLOG_TAG))
  const server = computed(() => mine.value.filter((v) => v.info.kind === 'tcp-server').at(-1))
  const conns = computed(() =>
    mine.value.filter((v) => v.info.kind === 'tcp-conn' && v.info.parent === server.value?.info.id),
  )
  /** Listening now. The views are plain data: the store's version is what says a state changed
   * (a closed server's object is the same object, so following `server` alone never noticed). */
  const live = computed(() => (void lab.version, server.value?.info.state === 'listening'))
  const serving = computed(() =>
    live.value ? conns.value.find((c) => c.info.id === server.value?.serving) : undefined,
  )
  /** The listen(n) each server was started with (the form may have changed since). */
  const backlogOf = reactive(new Map<string, number>())
  const clients = computed(() => {
    const index = connIndex(conns.value)
    return mine.value
      .filter((v) => v.info.kind === 'tcp-client')
      .map((c) => {
        const conn = connFor(c, index)
        return { c, conn, phase: clientPhase(c, conn, server.value?.queue) }
      })
  })
  const waiting = computed(() =>
    clients.value
      .filter((x) => x.phase === 'waiting')
      .map((x) => x.c)
      .sort((a, b) => (a.times.connected ?? 0) - (b.times.connected ?? 0)),
  )
  const ids = computed(() => new Set(mine.value.map((v) => v.info.id)))

  async function start(req: BacklogListenReq) {
    const r = await lab.backlogListen(req, BACKLOG_TAG)
    if (r.ok) backlogOf.set(r.data.id, req.backlog ?? 5)
    return r
  }

  /**
   * Stops the demo: the listening socket (its queued callers are reset) and the connection it is
   * serving, which closing a listening socket alone leaves open (in CLOSE_WAIT once the caller
   * hangs up: the very bug the course teaches).
   */
  async function stop(): Promise<void> {
    const s = server.value
    if (!s) return
    const served = lab.socketList.filter((v) => v.info.parent === s.info.id && v.info.state !== 'closed')
    await Promise.all([lab.close(s.info.id), ...served.map((v) => lab.close(v.info.id))])
  }

  /** N clients dialling the server at once: one call, N sockets. */
  async function addClients(opts: {
    count: number
    timeoutMs: number
    greeting: string
  }): Promise<LabError | undefined> {
    const local = server.value?.info.local
    if (!local) return undefined
    const r = await lab.connectMany({ host: dialable(local.address), port: local.port, ...opts }, BACKLOG_TAG)
    return r.ok ? undefined : r
  }

  /** The teacher's answer to the client being served. */
  async function reply(text: string): Promise<LabError | undefined> {
    if (!serving.value) return undefined
    const r = await lab.send(serving.value.info.id, text, 'utf-8')
    return r.ok ? undefined : r
  }

  return {
    mode,
    loadMode,
    mine,
    server,
    live,
    backlogOf,
    conns,
    serving,
    clients,
    waiting,
    ids,
    start,
    stop,
    addClients,
    reply,
  }
})
