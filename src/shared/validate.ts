/**
 * Request validation. The renderer is not trusted: main (and the preview bridge) run every
 * request through these before any socket call. Each failure names the field and a reason key
 * that the UI translates; `message` is a plain English fallback for the CLI and logs.
 */
import {
  checkBool,
  checkFlags,
  checkInt,
  checkOneOf,
  checkPort,
  fail,
  optional,
  record,
  ValidationError,
} from './validate-core'
import { checkTlsClient, checkTlsServer } from './validate-tls'
import { checkIface } from './validate-capture'
import { checkDnsQuery, checkDnsServe, checkRouteReq } from './validate-dns'
import { checkOsParse } from './validate-inspector'
import {
  AUTO_REPLIES,
  CHECKER_LIMITS,
  ENCODINGS,
  LIMITS,
  SERVER_MODES,
  type Calls,
  type Channel,
  type TcpConnectReq,
} from './contract'
import { validateExercise, type Exercise } from './exercise'
import { parseRules } from './rules'
import { isIPv4, isIPv6 } from './ip'

export { isIPv4, isIPv6, checkPort, ValidationError }

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/i

export function isHostname(s: string): boolean {
  if (s.length === 0 || s.length > 253) return false
  const labels = (s.endsWith('.') ? s.slice(0, -1) : s).split('.')
  return labels.every((l) => LABEL.test(l)) && !/^\d+$/.test(labels[labels.length - 1]!)
}

/** An IPv4 or IPv6 literal (brackets allowed around IPv6) or a DNS name. */
export function checkHost(v: unknown, field = 'host'): string {
  if (typeof v !== 'string') fail(field, 'host-syntax', `${field} must be a string`)
  let h = v.trim()
  if (h.startsWith('[') && h.endsWith(']')) h = h.slice(1, -1)
  if (!(isIPv4(h) || isIPv6(h) || isHostname(h))) {
    fail(field, 'host-syntax', `${field} "${v}" is not an IP address or host name`)
  }
  return h
}

function checkId(v: unknown): string {
  if (typeof v !== 'string' || !/^[a-z]+\d+$/.test(v)) fail('id', 'id-syntax', 'unknown socket id')
  return v
}

function checkPayload(v: unknown): string {
  if (typeof v !== 'string') fail('data', 'payload-type', 'data must be a string')
  // A JS string's length bounds its UTF-8 size by 3x; check the precise size only when near.
  if (v.length * 3 > LIMITS.maxPayloadBytes && byteLengthUtf8(v) > LIMITS.maxPayloadBytes) {
    fail('data', 'payload-size', `data is larger than ${LIMITS.maxPayloadBytes} bytes`)
  }
  return v
}

function byteLengthUtf8(s: string): number {
  return new TextEncoder().encode(s).length
}

/** An IPv4 multicast group, 224.0.0.0 to 239.255.255.255. */
function checkMulticast(v: unknown): string {
  const h = checkHost(v, 'multicast')
  const first = Number(h.split('.')[0])
  if (!isIPv4(h) || first < 224 || first > 239)
    fail('multicast', 'multicast', 'not an IPv4 multicast group (224.0.0.0/4)')
  return h
}

function checkFileName(v: unknown): string {
  if (typeof v !== 'string' || v.length === 0 || v.length > 200 || /[\\/\0]/.test(v)) {
    fail('name', 'file-name', 'name must be a plain file name')
  }
  return v
}

function checkBase64(v: unknown, field: string, maxBytes: number): string {
  if (typeof v !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(v) || v.length % 4 !== 0) {
    fail(field, 'base64', `${field} must be base64`)
  }
  if ((v.length / 4) * 3 > maxBytes + 2) fail(field, 'payload-size', `${field} is larger than ${maxBytes} bytes`)
  return v
}

function checkConnect(r: Record<string, unknown>): TcpConnectReq & { timeoutMs: number } {
  return {
    host: checkHost(r.host),
    port: checkPort(r.port),
    timeoutMs: optional(r.timeoutMs, (v) => checkInt(v, 'timeoutMs', 1, LIMITS.maxTimeoutMs), 10_000),
    greeting: optional(r.greeting, checkPayload, ''),
    capture: optional(r.capture, (v) => checkBool(v, 'capture'), false),
    ...(r.tls === undefined ? {} : { tls: checkTlsClient(r.tls) }),
  }
}

type Validators = { [C in Channel]: (raw: unknown) => Calls[C]['req'] }

export const validators: Validators = {
  'app:info': () => undefined,
  'net:interfaces': () => undefined,
  'socket:list': () => undefined,
  'socket:close': (raw) => ({ id: checkId(record(raw).id) }),
  'tcp:shutdown': (raw) => ({ id: checkId(record(raw).id) }),
  'tcp:reset': (raw) => ({ id: checkId(record(raw).id) }),
  'tcp:received': (raw) => ({ id: checkId(record(raw).id) }),
  'tcp:listen': (raw) => {
    const r = record(raw)
    return {
      host: checkHost(r.host),
      port: checkPort(r.port),
      backlog: optional(r.backlog, (v) => checkInt(v, 'backlog', 0, LIMITS.maxBacklog), 5),
      mode: optional(r.mode, (v) => checkOneOf(v, SERVER_MODES, 'mode'), 'plain'),
      reply: optional(r.reply, (v) => checkOneOf(v, AUTO_REPLIES, 'reply'), 'none'),
      encoding: optional(r.encoding, (v) => checkOneOf(v, ['utf-8', 'gbk'] as const, 'encoding'), 'utf-8'),
      rules: optional(r.rules, checkRules, []),
      ...(r.tls === undefined ? {} : { tls: checkTlsServer(r.tls) }),
    }
  },
  'tcp:connect': (raw) => checkConnect(record(raw)),
  'tcp:connectMany': (raw) => {
    const r = record(raw)
    return { ...checkConnect(r), count: checkInt(r.count, 'count', 1, LIMITS.maxClientsPerCall) }
  },
  'tcp:send': (raw) => {
    const r = record(raw)
    return {
      id: checkId(r.id),
      data: checkPayload(r.data),
      encoding: checkOneOf(r.encoding, ENCODINGS, 'encoding'),
      repeat: optional(r.repeat, (v) => checkInt(v, 'repeat', 1, LIMITS.maxRepeat), 1),
    }
  },
  'backlog:mode': () => undefined,
  'settings:get': () => undefined,
  // Checked field by field where they are merged (shared/settings.ts).
  'settings:set': (raw) => record(raw) as Calls['settings:set']['req'],
  'os:sockets': (raw) => checkFlags(record(raw ?? {}), ['all', 'fresh']),
  'os:neighbors': () => undefined,
  'os:parse': (raw) => checkOsParse(record(raw)),
  'file:save': (raw) => {
    const r = record(raw)
    return { name: checkFileName(r.name), data: checkBase64(r.data, 'data', LIMITS.maxCaptureBytes) }
  },
  'backlog:listen': (raw) => {
    const r = record(raw)
    return {
      host: checkHost(r.host),
      port: checkPort(r.port),
      backlog: optional(r.backlog, (v) => checkInt(v, 'backlog', 0, LIMITS.maxDemoBacklog), 5),
      reply: optional(r.reply, (v) => checkOneOf(v, ['echo', 'none'] as const, 'reply'), 'echo'),
      serveMs: optional(r.serveMs, (v) => checkInt(v, 'serveMs', 0, 3_600_000), 0),
      encoding: optional(r.encoding, (v) => checkOneOf(v, ['utf-8', 'gbk'] as const, 'encoding'), 'utf-8'),
    }
  },
  'udp:bind': (raw) => {
    const r = record(raw)
    return {
      host: checkHost(r.host),
      port: checkPort(r.port),
      broadcast: optional(r.broadcast, (v) => checkBool(v, 'broadcast'), false),
      echo: optional(r.echo, (v) => checkBool(v, 'echo'), false),
      multicast: optional(r.multicast, (v) => (v === '' ? '' : checkMulticast(v)), ''),
      multicastIface: optional(r.multicastIface, (v) => (v === '' ? '' : checkHost(v, 'multicastIface')), ''),
      recvBufferBytes: optional(r.recvBufferBytes, (v) => checkInt(v, 'recvBufferBytes', 0, 64 * 1024 * 1024), 0),
    }
  },
  'udp:send': (raw) => {
    const r = record(raw)
    if ((r.host === undefined) !== (r.port === undefined)) fail('port', 'port-range', 'host and port go together')
    const to = r.host === undefined ? {} : { host: checkHost(r.host), port: checkPort(r.port) }
    return {
      id: checkId(r.id),
      ...to,
      data: checkPayload(r.data),
      encoding: checkOneOf(r.encoding, ENCODINGS, 'encoding'),
      repeat: optional(r.repeat, (v) => checkInt(v, 'repeat', 1, LIMITS.maxUdpRepeat), 1),
      intervalMs: optional(r.intervalMs, (v) => checkInt(v, 'intervalMs', 0, 60_000), 0),
      seq: optional(r.seq, (v) => checkBool(v, 'seq'), false),
    }
  },
  'udp:connect': (raw) => {
    const r = record(raw)
    return { id: checkId(r.id), host: checkHost(r.host), port: checkPort(r.port) }
  },
  'udp:flood': (raw) => {
    const r = record(raw)
    return {
      count: optional(r.count, (v) => checkInt(v, 'count', 1, 1_000_000), 10_000),
      size: optional(r.size, (v) => checkInt(v, 'size', 8, 65_507), 1000),
      burst: optional(r.burst, (v) => checkInt(v, 'burst', 1, 1_000_000), 1000),
      recvBufferBytes: optional(r.recvBufferBytes, (v) => checkInt(v, 'recvBufferBytes', 0, 64 * 1024 * 1024), 16384),
    }
  },
  'check:exercises': () => undefined,
  'check:parse': (raw) => {
    const r = record(raw)
    if (typeof r.text !== 'string' || r.text.length > LIMITS.maxPayloadBytes)
      fail('text', 'payload-size', `text must be a string of at most ${LIMITS.maxPayloadBytes}`)
    return { text: r.text, file: checkFileName(r.file) }
  },
  'check:servers': (raw) => {
    const r = record(raw)
    const exercise = checkExercise(r.exercise)
    if (!Array.isArray(r.students) || r.students.length < 1 || r.students.length > CHECKER_LIMITS.maxStudents)
      fail('students', 'int-range', `students must be a list of 1 to ${CHECKER_LIMITS.maxStudents}`)
    const students = r.students.map((raw, i) => {
      const s = record(raw)
      return {
        key: checkText(s.key, 'key'),
        name: checkText(s.name, 'name'),
        host: checkHost(s.host),
        port: checkPort(s.port, `students[${i}].port`),
      }
    })
    const lists = record(r.lists ?? {})
    for (const [k, v] of Object.entries(lists))
      if (!Array.isArray(v) || v.length > CHECKER_LIMITS.maxListValues || !v.every((x) => typeof x === 'string' && x))
        fail(`lists.${k}`, 'one-of', `lists.${k} must be a list of non-empty strings`)
    return { exercise, students, lists: lists as Record<string, string[]> }
  },
  'check:clients': (raw) => {
    const r = record(raw)
    const exercise = checkExercise(r.exercise)
    if (exercise.side !== 'client') fail('exercise', 'one-of', 'a client exercise is needed')
    return { exercise, host: checkHost(r.host), port: checkPort(r.port) }
  },
  'check:stop': (raw) => ({ run: checkId(record(raw).run) }),
  'capture:start': (raw) => {
    const iface = raw === undefined ? undefined : record(raw).iface
    return iface === undefined ? {} : { iface: checkIface(iface) }
  },
  'capture:stop': () => undefined,
  'tls:cert': () => undefined,
  'tls:keylog': (raw) => ({ on: checkBool(record(raw).on, 'on') }),
  'dns:query': (raw) => checkDnsQuery(raw),
  'dns:serve': (raw) => checkDnsServe(raw),
  'dns:stop': () => undefined,
  'route:get': (raw) => checkRouteReq(raw),
}

function checkRules(v: unknown): string[] {
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string' && x.length <= 500))
    fail('rules', 'rule', 'rules must be a list of MATCH=>REPLY strings')
  const r = parseRules(v as string[])
  if ('error' in r) fail('rules', 'rule', r.error.en)
  return v as string[]
}

function checkText(v: unknown, field: string): string {
  if (typeof v !== 'string' || !v || v.length > 200) fail(field, 'payload-type', `${field} must be 1 to 200 characters`)
  return v
}

function checkExercise(v: unknown): Exercise {
  const r = validateExercise(v, 'exercise')
  if (!r.ok) fail('exercise', 'exercise', r.errors.join('; '))
  return r.exercise
}
