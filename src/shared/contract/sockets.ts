/** A lab socket as every side sees it, this machine's interfaces, and what the app is. */
import type { QueueMode } from './backlog'
import type { Endpoint, Family, Limits } from './common'

/** Save bytes (base64) to a file the user picks; path null when the user cancelled. */
export interface SaveFileReq {
  name: string
  data: string
}
export type SocketKind = 'tcp-server' | 'tcp-conn' | 'tcp-client' | 'udp'
export type SocketState = 'connecting' | 'listening' | 'open' | 'half-closed' | 'peer-ended' | 'closed' | 'bound'

export interface SocketInfo {
  id: string
  kind: SocketKind
  state: SocketState
  /** For a connection accepted by a server: the server's id. */
  parent?: string
  local?: Endpoint
  remote?: Endpoint
  bytesIn: number
  bytesOut: number
  /** A backlog-demo server: which accept queue it shows. */
  queue?: QueueMode
  /** A room member's nickname. */
  name?: string
}

export interface NetInterface {
  name: string
  address: string
  family: Family
  netmask: string
  mac: string
  internal: boolean
  cidr: string | null
}

export interface AppInfo {
  version: string
  platform: string
  /** Where the API runs: the Electron main process, or the preview bridge in plain Node. */
  host: 'electron' | 'preview'
  limits: Limits
}
