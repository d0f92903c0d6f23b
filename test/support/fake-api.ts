import { DEFAULT_SETTINGS } from '../../src/shared/settings'
import { parseExercise, validateExercise, type Exercise } from '../../src/shared/exercise'
import threadedHello from '../../src/main/engine/checker/exercises/threaded-hello.json'
import threadedHelloClient from '../../src/main/engine/checker/exercises/threaded-hello-client.json'

/** Two of the built-in exercises, a server one and a client one, as the engine answers them. */
export const FAKE_EXERCISES: Exercise[] = [threadedHello, threadedHelloClient].map((j) => {
  const r = validateExercise(j, 'fake')
  if (!r.ok) throw new Error(r.errors.join('\n'))
  return r.exercise
})
import { LIMITS, type LabApi, type LabEvent, type Result, type SocketInfo } from '../../src/shared/contract'

/** A typed fake of the preload API: records calls, answers with canned results, pushes events. */
export function createFakeApi() {
  const calls: { method: string; req: unknown }[] = []
  const listeners = new Set<(batch: LabEvent[]) => void>()
  const next: Partial<Record<keyof LabApi, Result<unknown>>> = {}
  let seq = 0
  const socket = (kind: SocketInfo['kind'], prefix: string, state: SocketInfo['state']): Result<SocketInfo> => ({
    ok: true,
    data: {
      id: `${prefix}${++seq}`,
      kind,
      state,
      bytesIn: 0,
      bytesOut: 0,
      local: { address: '127.0.0.1', port: 8001, family: 'IPv4' },
    },
  })
  const answer = <T>(method: keyof LabApi, req: unknown, dflt: () => Result<T>): Promise<Result<T>> => {
    calls.push({ method, req })
    const canned = next[method]
    delete next[method]
    return Promise.resolve((canned as Result<T>) ?? dflt())
  }
  const api: LabApi = {
    appInfo: () =>
      answer('appInfo', undefined, () => ({
        ok: true,
        data: {
          version: '0',
          platform: 'linux',
          host: 'preview',
          limits: { ...LIMITS, maxPayloadBytes: 1, maxTimeoutMs: 1 },
        },
      })),
    netInterfaces: () =>
      answer('netInterfaces', undefined, () => ({
        ok: true,
        data: [
          {
            name: 'eth0',
            address: '192.168.1.20',
            family: 'IPv4',
            netmask: '255.255.255.0',
            mac: 'aa:bb:cc:dd:ee:ff',
            internal: false,
            cidr: '192.168.1.20/24',
          },
        ],
      })),
    socketList: () => answer('socketList', undefined, () => ({ ok: true, data: [] })),
    socketClose: (req) => answer('socketClose', req, () => ({ ok: true, data: undefined })),
    tcpListen: (req) => answer('tcpListen', req, () => socket('tcp-server', 's', 'listening')),
    tcpConnect: (req) => answer('tcpConnect', req, () => socket('tcp-client', 'c', 'connecting')),
    tcpConnectMany: (req) =>
      answer('tcpConnectMany', req, () => {
        const made = Array.from({ length: req.count }, () => socket('tcp-client', 'c', 'connecting'))
        return { ok: true, data: made.map((r) => (r.ok ? r.data : undefined)!) }
      }),
    tcpSend: (req) => answer('tcpSend', req, () => ({ ok: true, data: { bytes: req.data.length } })),
    tcpShutdown: (req) => answer('tcpShutdown', req, () => ({ ok: true, data: undefined })),
    tcpReset: (req) => answer('tcpReset', req, () => ({ ok: true, data: undefined })),
    tcpReceived: (req) =>
      answer('tcpReceived', req, () => ({
        ok: true,
        data: { data: btoa('HTTP/1.0 200 OK\r\n\r\nhi'), bytes: 21, complete: true },
      })),
    osParse: (req) =>
      answer('osParse', req, () => ({
        ok: true,
        data: { format: 'windows', encoding: 'text', rows: [], unrecognized: [] },
      })),
    osNeighbors: () =>
      answer('osNeighbors', undefined, () => ({
        ok: true,
        data: {
          source: 'ip neigh',
          rows: [{ ip: '192.168.1.1', mac: 'a4:83:e7:00:00:01', interface: 'eth0', state: 'reachable' }],
        },
      })),
    osSockets: (req) =>
      answer('osSockets', req, () => ({ ok: true, data: { source: '/proc/net', rows: [], costMs: 0.2 } })),
    settingsGet: () =>
      answer('settingsGet', undefined, () => ({ ok: true, data: { settings: structuredClone(DEFAULT_SETTINGS) } })),
    settingsSet: (req) =>
      answer('settingsSet', req, () => ({
        ok: true,
        data: { ...structuredClone(DEFAULT_SETTINGS), ...req, recent: { ...DEFAULT_SETTINGS.recent, ...req.recent } },
      })),
    fileSave: (req) => answer('fileSave', req, () => ({ ok: true, data: { path: `/tmp/${req.name}` } })),
    udpBind: (req) => answer('udpBind', req, () => socket('udp', 'u', 'bound')),
    udpConnect: (req) =>
      answer('udpConnect', req, () => {
        const r = socket('udp', 'u', 'bound')
        if (r.ok) r.data.remote = { address: req.host, port: req.port, family: 'IPv4' }
        return r
      }),
    udpFlood: (req) =>
      answer('udpFlood', req, () => ({
        ok: true,
        data: {
          sent: req.count,
          received: req.count - 10,
          lost: 10,
          reordered: 0,
          duplicates: 0,
          missing: [[5, 14]],
          recvBufferBytes: 4608,
          rcvbufErrors: 10,
          sendErrors: 0,
          ms: 12,
        },
      })),
    udpSend: (req) => answer('udpSend', req, () => ({ ok: true, data: { bytes: req.data.length } })),
    backlogMode: () =>
      answer('backlogMode', undefined, () => ({
        ok: true,
        data: { kind: 'kernel', reason: 'self-test-passed-kernel-figures', slots: 0, platform: 'linux' },
      })),
    backlogListen: (req) =>
      answer('backlogListen', req, () => {
        const r = socket('tcp-server', 's', 'listening')
        if (r.ok)
          r.data.queue = { kind: 'kernel', reason: 'self-test-passed-kernel-figures', slots: (req.backlog ?? 5) + 1 }
        return r
      }),
    checkExercises: () =>
      answer('checkExercises', undefined, () => ({ ok: true, data: structuredClone(FAKE_EXERCISES) })),
    checkParse: (req) => answer('checkParse', req, () => ({ ok: true, data: parseExercise(req.text, req.file) })),
    checkServers: (req) => answer('checkServers', req, () => ({ ok: true, data: { run: `k${++seq}` } })),
    checkClients: (req) =>
      answer('checkClients', req, () => ({ ok: true, data: { run: `k${++seq}`, port: req.port || 40000 } })),
    checkStop: (req) => answer('checkStop', req, () => ({ ok: true, data: undefined })),
    captureStart: (req) =>
      answer('captureStart', req, () => ({
        ok: true,
        data: {
          state: 'capturing',
          tool: 'tcpdump',
          interfaces: ['any'],
          filter: 'arp or icmp or icmp6 or tcp or udp',
        },
      })),
    captureStop: () => answer('captureStop', undefined, () => ({ ok: true, data: { state: 'off' } })),
    tlsKeylog: (req) =>
      answer('tlsKeylog', req, () => ({ ok: true, data: { path: req.on ? '/tmp/sslkeylog.txt' : null } })),
    tlsCert: () =>
      answer('tlsCert', undefined, () => ({
        ok: true,
        data: {
          certPem: '-----BEGIN CERTIFICATE-----\n',
          fingerprint256: 'AB:CD',
          names: ['DNS:localhost'],
          validTo: '2027-01-05T00:00:00.000Z',
        },
      })),
    dnsQuery: (req) => answer('dnsQuery', req, () => ({ ok: true, data: { servers: ['192.168.1.1'], exchanges: [] } })),
    dnsServe: (req) =>
      answer('dnsServe', req, () => ({ ok: true, data: { address: req.host, port: req.port || 8053, records: [] } })),
    dnsStop: () => answer('dnsStop', undefined, () => ({ ok: true, data: undefined })),
    routeGet: (req) =>
      answer('routeGet', req, () => ({
        ok: true,
        data: {
          destination: req.host,
          source: '127.0.0.1',
          interface: 'lo',
          netmask: '255.0.0.0',
          prefix: 8,
          sameSubnet: true,
          loopback: true,
          gateway: null,
          nextHop: req.host,
          gatewayMac: null,
        },
      })),
    onEvent(cb) {
      listeners.add(cb)
      return () => listeners.delete(cb)
    },
  }
  return {
    api,
    calls,
    /** The next call of `method` answers with `result`. */
    answerNext(method: keyof LabApi, result: Result<unknown>) {
      next[method] = result
    },
    emit(batch: LabEvent[]) {
      for (const l of listeners) l(batch)
    },
    listenerCount: () => listeners.size,
  }
}

/** A scheduler the test advances by hand, standing in for requestAnimationFrame. */
export function manualFrames() {
  const queue: (() => void)[] = []
  return {
    // A clock that stands still: a frame's flush budget never runs out unless a test moves it,
    // so what one run() applies does not depend on how loaded the machine is.
    scheduler: { frame: (cb: () => void) => queue.push(cb), cancel: () => undefined, now: () => 0 },
    pending: () => queue.length,
    run() {
      for (const cb of queue.splice(0)) cb()
    },
  }
}
