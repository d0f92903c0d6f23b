/**
 * The request handlers behind every transport (Electron IPC, the preview bridge): validate the
 * untrusted request, call the engine for one owner, and answer with the result envelope.
 * Nothing here throws across the boundary.
 */
import type { AppInfo, Calls, Channel, LabHandlers, Result, SaveFileReq } from '../../shared/contract'
import { LIMITS } from '../../shared/contract'
import { ValidationError, validators } from '../../shared/validate'
import type { SocketEngine } from './engine'
import { LabFailure, toLabError } from './errors'
import { memorySettings, type SettingsFile } from '../settings-file'
import { listInterfaces } from './inspector/interfaces'
import { NotATable, parseCapture } from './inspector/parse-capture'
import { readNeighbors } from './inspector/neighbors'
import { routeTo } from './inspector/route-to'
import { builtInExercises } from './checker/exercises'
import { parseExercise } from '../../shared/exercise'

type Impl = { [C in Channel]: (req: Calls[C]['req']) => Calls[C]['res'] | Promise<Calls[C]['res']> }

/** What only the host (Electron main) can do, such as asking the user where to save a file. */
export interface HostHooks {
  saveFile?(req: SaveFileReq): Promise<{ path: string | null }>
  /** Where settings persist (the user data folder); in memory when not given. */
  settings?: () => Promise<SettingsFile>
}

export function createHandlers(
  engine: SocketEngine,
  owner: string,
  app: Omit<AppInfo, 'limits'>,
  hooks: HostHooks = {},
): LabHandlers {
  const fallback = memorySettings()
  const settings = hooks.settings ?? (() => Promise.resolve(fallback))
  const impl: Impl = {
    'app:info': () => ({ ...app, limits: LIMITS }),
    'net:interfaces': () => listInterfaces(),
    'socket:list': () => engine.list(owner),
    'socket:close': (r) => engine.close(owner, r.id),
    'tcp:listen': (r) => engine.tcp.listen(owner, r as Required<typeof r>),
    'tcp:connect': (r) => engine.tcp.connect(owner, r as typeof r & { timeoutMs: number }),
    'tcp:connectMany': (r) =>
      Array.from({ length: r.count }, () => engine.tcp.connect(owner, r as typeof r & { timeoutMs: number })),
    'tcp:send': (r) => engine.tcp.send(owner, r),
    'tcp:shutdown': (r) => engine.tcp.shutdown(owner, r.id),
    'tcp:reset': (r) => engine.tcp.reset(owner, r.id),
    'tcp:received': (r) => engine.tcp.received(owner, r.id),
    'udp:bind': (r) => engine.udp.bind(owner, r),
    'udp:send': (r) => engine.udp.send(owner, r),
    'udp:connect': (r) => engine.udp.connect(owner, r),
    'udp:flood': (r) => engine.udp.flood(r as Required<typeof r>),
    'backlog:mode': async () => ({ ...(await engine.backlog.mode()), platform: process.platform }),
    'backlog:listen': (r) => engine.backlog.listen(owner, r as Required<typeof r>),
    'settings:get': async () => {
      const s = await settings()
      return s.problem ? { settings: s.get(), problem: s.problem } : { settings: s.get() }
    },
    'settings:set': async (r) => (await settings()).set(r),
    'os:sockets': (r) => engine.inspector.osSockets(owner, r.all ?? false, r.fresh ?? false),
    'os:neighbors': () => readNeighbors(),
    'os:parse': (r) => {
      try {
        return parseCapture(r.text, r.format ? { format: r.format } : {})
      } catch (e) {
        if (e instanceof NotATable) throw new ValidationError('text', 'not-a-table', e.message)
        throw e
      }
    },
    'check:exercises': () => builtInExercises(),
    'check:parse': (r) => parseExercise(r.text, r.file),
    'check:servers': (r) => engine.checker.servers(owner, r),
    'check:clients': (r) => engine.checker.clients(owner, r),
    'check:stop': (r) => engine.checker.stop(owner, r.run),
    'capture:start': (r) => engine.capture.capture(owner, r),
    'capture:stop': () => engine.capture.stop(owner),
    'tls:keylog': (r) => ({ path: engine.keylog(r.on) }),
    'tls:cert': async () => {
      const c = await engine.certs.get()
      return { certPem: c.certPem, fingerprint256: c.fingerprint256, names: c.names, validTo: c.validTo.toISOString() }
    },
    'dns:query': (r) => engine.dns.query(r),
    'dns:serve': (r) => engine.dns.serve(owner, r),
    'dns:stop': () => engine.dns.stop(owner),
    'route:get': (r) => routeTo(r.host),
    'file:save': (r) => {
      if (!hooks.saveFile) throw new LabFailure('ENOTSUP', 'saving a file needs the desktop app')
      return hooks.saveFile(r)
    },
  }
  const handlers = {} as Record<Channel, (raw: unknown) => Promise<Result<unknown>>>
  for (const channel of Object.keys(impl) as Channel[]) {
    handlers[channel] = async (raw) => {
      try {
        const req = validators[channel](raw)
        const data = await (impl[channel] as (r: unknown) => unknown)(req)
        return { ok: true, data }
      } catch (err) {
        return { ok: false, ...toLabError(err) }
      }
    }
  }
  return handlers as LabHandlers
}
