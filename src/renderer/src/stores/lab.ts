/**
 * The lab store: the only caller of the preload API, and the socket views the panels follow.
 * Pushed batches come in through the intake (at most one update per animation frame), are
 * applied to the views (views.ts) and written to the event log (log.ts); dismissed sockets'
 * late events are ignored.
 */
import { defineStore } from 'pinia'
import { computed, getCurrentScope, reactive, ref, shallowRef, toRaw, type ComputedRef } from 'vue'
import type {
  AppInfo,
  BacklogListenReq,
  Encoding,
  GradeEvent,
  LabError,
  LabEvent,
  NetInterface,
  Result,
  SocketInfo,
  TcpConnectManyReq,
  TcpConnectReq,
  TcpListenReq,
  UdpBindReq,
  UdpConnectReq,
  UdpFloodReq,
  UdpSendReq,
  WireEvent,
  DnsEvent,
} from '../../../shared/contract'
import { getApi } from '../api'
import { t, type MessageKey } from '../i18n'
import { sameItems } from '../lib/same'
import { createIntake, defaultScheduler, type Scheduler } from './intake'
import { useLogStore } from './log'
import { useAnnounceStore } from './announce'
import { createViews, type SocketView } from './views'

export type { Chunk, SocketView } from './views'
export { CHUNKS_PER_SOCKET } from './views'
export type { LogRow } from './log'
export { DEFAULT_LOG_CAPACITY } from './log'
export { BUSY_EVENTS, BUSY_INTERVAL_MS, CROWD, FLUSH_BUDGET_MS, MAX_WAITING_EVENTS, type Scheduler } from './intake'

export const useLabStore = defineStore('lab', () => {
  const api = getApi()
  const log = useLogStore()
  const { announcer } = useAnnounceStore()
  const sockets = reactive(new Map<string, SocketView>())
  const dismissed = new Set<string>()
  /** Bumped whenever any socket view changes (once per flush at most, on creation, on dismiss). */
  const version = ref(0)
  const appInfo = shallowRef<AppInfo>()
  const interfaces = shallowRef<NetInterface[]>([])
  /** The OS the engine runs on, as the per-OS texts know it ('linux' for any other Unix). */
  const os = computed<'win32' | 'darwin' | 'linux'>(() => {
    const p = appInfo.value?.platform
    return p === 'win32' || p === 'darwin' ? p : 'linux'
  })
  let unsubscribe: (() => void) | undefined

  /** The Classroom store hears the checker's events; they are no socket's and not logged. */
  const graders = new Set<(ev: GradeEvent) => void>()
  const onGrade = (cb: (ev: GradeEvent) => void): (() => void) => (graders.add(cb), () => graders.delete(cb))
  /** The Packets store hears the capture's events; they are no socket's either. */
  const wires = new Set<(ev: WireEvent) => void>()
  const onWire = (cb: (ev: WireEvent) => void): (() => void) => (wires.add(cb), () => wires.delete(cb))
  /** The journey store hears the classroom DNS server's answers. */
  const dnsAnswers = new Set<(ev: DnsEvent) => void>()
  const onDns = (cb: (ev: DnsEvent) => void): (() => void) => (dnsAnswers.add(cb), () => dnsAnswers.delete(cb))
  const intake = createIntake({
    apply(ev: LabEvent) {
      if (ev.kind === 'grade' || ev.kind === 'grade-end') {
        for (const g of graders) g(ev)
        return
      }
      if (ev.kind === 'packet' || ev.kind === 'packet-fold' || ev.kind === 'capture') {
        for (const w of wires) w(ev)
        return
      }
      if (ev.kind === 'dns-served') {
        for (const d of dnsAnswers) d(ev)
        return
      }
      const v = views.apply(ev)
      if (v) {
        log.push(ev, v.tag)
        announcer.note(ev, v)
      }
    },
    flushed(n, dirty) {
      views.commitDeltas()
      if (n || dirty) version.value++
      log.flushed(n)
    },
    views: () => sockets.size,
  })
  const touch = (): void => intake.touch()
  const views = createViews(sockets as Map<string, SocketView>, dismissed, touch)
  const upsert = views.upsert

  function start(s: Scheduler = defaultScheduler): void {
    intake.setScheduler(s)
    unsubscribe ??= api.onEvent((batch) => intake.receive(batch))
  }

  function stop(): void {
    unsubscribe?.()
    unsubscribe = undefined
    intake.stop()
  }

  // --- calls -------------------------------------------------------------------------------

  async function created(p: Promise<Result<SocketInfo>>, tag: string): Promise<Result<SocketInfo>> {
    const r = await p
    if (r.ok) upsert(r.data, tag)
    return r
  }

  const listen = (req: TcpListenReq, tag = '') => created(api.tcpListen(req), tag)
  const backlogListen = (req: BacklogListenReq, tag = '') => created(api.backlogListen(req), tag)
  const backlogMode = () => api.backlogMode()
  const connect = (req: TcpConnectReq, tag = '') => created(api.tcpConnect(req), tag)
  async function connectMany(req: TcpConnectManyReq, tag = ''): Promise<Result<SocketInfo[]>> {
    const r = await api.tcpConnectMany(req)
    if (r.ok) for (const info of r.data) upsert(info, tag)
    return r
  }
  const udpBind = (req: UdpBindReq, tag = '') => created(api.udpBind(req), tag)
  const send = (id: string, data: string, encoding: Encoding, repeat = 1) =>
    api.tcpSend(repeat > 1 ? { id, data, encoding, repeat } : { id, data, encoding })
  const received = (id: string) => api.tcpReceived({ id })
  const saveFile = (name: string, data: string) => api.fileSave({ name, data })
  const udpSend = (req: UdpSendReq) => api.udpSend(req)
  const udpConnect = (req: UdpConnectReq) => api.udpConnect(req)
  const udpFlood = (req: UdpFloodReq) => api.udpFlood(req)
  const shutdown = (id: string) => api.tcpShutdown({ id })
  const reset = (id: string) => api.tcpReset({ id })
  const close = (id: string) => api.socketClose({ id })

  /** Closes a socket if it is open and forgets it; its late events are ignored. */
  async function dismiss(id: string): Promise<void> {
    const v = sockets.get(id)
    if (v && v.info.state !== 'closed') await api.socketClose({ id })
    dismissed.add(id)
    sockets.delete(id)
    clientIds.delete(id)
    touch()
  }

  async function loadInfo(): Promise<LabError | undefined> {
    const [info, ifs] = await Promise.all([api.appInfo(), api.netInterfaces()])
    if (info.ok) appInfo.value = info.data
    if (ifs.ok) interfaces.value = ifs.data
    return !info.ok ? info : !ifs.ok ? ifs : undefined
  }

  const socketList = computed(() => [...sockets.values()])
  /**
   * One panel's sockets. The same array comes back while that panel's sockets are the same, so a
   * panel does not re-render when another panel's sockets come and go (1,000 backlog clients).
   */
  const scope = getCurrentScope()
  const tagged = new Map<string, ComputedRef<SocketView[]>>()
  const byTag = (tag: string): SocketView[] => {
    let list = tagged.get(tag)
    if (!list) {
      const make = (): ComputedRef<SocketView[]> =>
        computed<SocketView[]>((prev) => {
          return sameItems(
            prev,
            socketList.value.filter((v) => v.tag === tag),
          )
        })
      list = scope ? scope.run(make)! : make()
      tagged.set(tag, list)
    }
    return list.value
  }
  /**
   * The same as plain data that tracks one dependency (version) instead of every field of every
   * view: for panels that follow hundreds of sockets. Readers re-render on each version.
   */
  const rawByTag = (tag: string): SocketView[] => {
    void version.value
    return [...toRaw(sockets).values()].filter((v) => v.tag === tag)
  }

  /**
   * The lab's own client at the other end of a server-side connection (both ends on this
   * machine): the connection is named after it, "a6 ← c2", instead of being linked by port only.
   */
  const clientIds = new Map<string, string>()
  function clientOf(conn: SocketView): SocketView | undefined {
    const r = conn.info.remote
    if (conn.info.kind !== 'tcp-conn' || !r) return undefined
    const raw = toRaw(sockets)
    const known = clientIds.get(conn.info.id)
    if (known && raw.has(known)) return raw.get(known)
    for (const v of raw.values()) {
      const l = v.info.local
      if (v.info.kind === 'tcp-client' && l && l.port === r.port && l.address === r.address) {
        clientIds.set(conn.info.id, v.info.id)
        return v
      }
    }
    return undefined
  }

  /** Names (S1, U1) that sockets of two tabs both have: numbering is per tab. */
  const sharedNames = computed(() => {
    const tagsOf = new Map<string, Set<string | undefined>>()
    for (const v of socketList.value) {
      if (!v.name) continue
      const tags = tagsOf.get(v.name) ?? new Set()
      tags.add(v.tag)
      tagsOf.set(v.name, tags)
    }
    return new Set([...tagsOf].filter(([, tags]) => tags.size > 1).map(([name]) => name))
  })
  /** A name, and the tab it belongs to where another tab has a socket of the same name. */
  const nameOf = (v: SocketView): string => {
    const name = v.name ?? v.info.id
    return v.tag && v.name && sharedNames.value.has(v.name) ? `${t(`tags.${v.tag}` as MessageKey)} ${name}` : name
  }

  /** A socket's name on screen: numbered per panel (S1, C2), a connection after its client
   * ("A1 ← C2"), with its tab ("聊天 S1", "队列 S1") where two tabs' sockets would share a name;
   * the engine's id for a socket the page no longer shows. */
  function displayName(id: string): string {
    const v = toRaw(sockets).get(id)
    if (!v) return id
    const c = clientOf(v)
    const name = nameOf(v)
    return c ? `${name} ← ${nameOf(c)}` : name
  }

  return {
    sockets,
    clientOf,
    displayName,
    socketList,
    byTag,
    rawByTag,
    version,
    appInfo,
    os,
    interfaces,
    start,
    stop,
    flush: intake.flush,
    listen,
    backlogListen,
    backlogMode,
    connect,
    connectMany,
    udpBind,
    send,
    received,
    saveFile,
    udpSend,
    udpConnect,
    udpFlood,
    shutdown,
    reset,
    close,
    dismiss,
    loadInfo,
    touch,
    onGrade,
    onWire,
    onDns,
  }
})
