/** The calls: channel -> request and response types, the runtime channel list, the API shapes. */
import type { Settings, SettingsPatch } from '../settings'
import type { BacklogListenReq, QueueMode } from './backlog'
import type { CaptureStartReq, CaptureStatus } from './capture'
import type { DnsQueryReq, DnsQueryRes, DnsServeReq, DnsServeRes, RouteDecision, RouteReq } from './dns'
import type { CheckClientsReq, CheckParseReq, CheckRun, CheckServersReq, Exercise, ExerciseResult } from './checker'
import type { IdReq, Result, SendReq } from './common'
import type { LabEvent } from './events'
import type { NeighborTable, OsParseReq, OsSocketsReq, ParsedTable, SocketTable } from './inspector'
import type { AppInfo, NetInterface, SaveFileReq, SocketInfo } from './sockets'
import type { LabCertInfo, Received, TcpConnectManyReq, TcpConnectReq, TcpListenReq } from './tcp'
import type { FloodResult, UdpBindReq, UdpConnectReq, UdpFloodReq, UdpSendReq } from './udp'

/** The persisted settings, and what was wrong with the file at start-up (if anything). */
export interface SettingsState {
  settings: Settings
  problem?: string
}

/** Every call: channel -> request and response types. */
export interface Calls {
  'app:info': { req: void; res: AppInfo }
  'net:interfaces': { req: void; res: NetInterface[] }
  'socket:list': { req: void; res: SocketInfo[] }
  'socket:close': { req: IdReq; res: void }
  'tcp:listen': { req: TcpListenReq; res: SocketInfo }
  'tcp:connect': { req: TcpConnectReq; res: SocketInfo }
  'tcp:connectMany': { req: TcpConnectManyReq; res: SocketInfo[] }
  'tcp:send': { req: SendReq; res: { bytes: number } }
  'tcp:shutdown': { req: IdReq; res: void }
  'tcp:reset': { req: IdReq; res: void }
  'tcp:received': { req: IdReq; res: Received }
  'udp:bind': { req: UdpBindReq; res: SocketInfo }
  'udp:send': { req: UdpSendReq; res: { bytes: number } }
  'udp:connect': { req: UdpConnectReq; res: SocketInfo }
  'udp:flood': { req: UdpFloodReq; res: FloodResult }
  'backlog:mode': { req: void; res: QueueMode & { platform: string } }
  'backlog:listen': { req: BacklogListenReq; res: SocketInfo }
  'file:save': { req: SaveFileReq; res: { path: string | null } }
  'os:sockets': { req: OsSocketsReq; res: SocketTable }
  'os:parse': { req: OsParseReq; res: ParsedTable }
  'os:neighbors': { req: void; res: NeighborTable }
  'settings:get': { req: void; res: SettingsState }
  'settings:set': { req: SettingsPatch; res: Settings }
  'check:exercises': { req: void; res: Exercise[] }
  'check:parse': { req: CheckParseReq; res: ExerciseResult }
  'check:servers': { req: CheckServersReq; res: CheckRun }
  'check:clients': { req: CheckClientsReq; res: CheckRun }
  'check:stop': { req: { run: string }; res: void }
  'capture:start': { req: CaptureStartReq; res: CaptureStatus }
  'capture:stop': { req: void; res: CaptureStatus }
  'tls:cert': { req: void; res: LabCertInfo }
  'tls:keylog': { req: { on: boolean }; res: { path: string | null } }
  'dns:query': { req: DnsQueryReq; res: DnsQueryRes }
  'dns:serve': { req: DnsServeReq; res: DnsServeRes }
  'dns:stop': { req: void; res: void }
  'route:get': { req: RouteReq; res: RouteDecision }
}
export type Channel = keyof Calls

/** The runtime list of channels; the type check below keeps it equal to `Calls`. */
export const CHANNELS = [
  'app:info',
  'net:interfaces',
  'socket:list',
  'socket:close',
  'tcp:listen',
  'tcp:connect',
  'tcp:connectMany',
  'tcp:send',
  'tcp:shutdown',
  'tcp:reset',
  'tcp:received',
  'udp:bind',
  'udp:send',
  'udp:connect',
  'udp:flood',
  'backlog:mode',
  'backlog:listen',
  'file:save',
  'os:sockets',
  'os:parse',
  'os:neighbors',
  'settings:get',
  'settings:set',
  'check:exercises',
  'check:parse',
  'check:servers',
  'check:clients',
  'check:stop',
  'capture:start',
  'capture:stop',
  'tls:cert',
  'tls:keylog',
  'dns:query',
  'dns:serve',
  'dns:stop',
  'route:get',
] as const satisfies readonly Channel[]
type Missing = Exclude<Channel, (typeof CHANNELS)[number]>
const allChannelsListed: Missing extends never ? true : Missing = true
void allChannelsListed
/** The channel on which batches of events are pushed to a window. */
export const EVENT_CHANNEL = 'lab:events'

/** `tcp:listen` -> `tcpListen`. */
export type MethodName<C extends string> = C extends `${infer A}:${infer B}` ? `${A}${Capitalize<B>}` : never

export function methodName<C extends Channel>(channel: C): MethodName<C> {
  const [a, b] = channel.split(':') as [string, string]
  return `${a}${b[0]!.toUpperCase()}${b.slice(1)}` as MethodName<C>
}

type Call<C extends Channel> = Calls[C]['req'] extends void
  ? () => Promise<Result<Calls[C]['res']>>
  : (req: Calls[C]['req']) => Promise<Result<Calls[C]['res']>>

/** The API as the renderer sees it: one named method per operation, plus the event stream. */
export type LabApi = { [C in Channel as MethodName<C>]: Call<C> } & {
  onEvent(cb: (batch: LabEvent[]) => void): () => void
}

/** The same operations with the owner made explicit: what main and the bridge implement. */
export type LabHandlers = { [C in Channel]: (req: Calls[C]['req']) => Promise<Result<Calls[C]['res']>> }
