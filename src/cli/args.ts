/**
 * The CLI's commands and options. Values go through the same validators as the app's
 * requests, so the CLI rejects exactly what the UI rejects.
 */
import { parseArgs } from 'node:util'
import type { AutoReply, Encoding, ServerMode } from '../shared/contract'
import { AUTO_REPLIES, ENCODINGS, SERVER_MODES } from '../shared/contract'
import { parseRules } from '../shared/rules'
import { CAPTURE_FORMATS } from '../main/engine/inspector/parse-capture'
import type { SocketsOptions } from './sockets'
import { USAGE } from './usage'
import { isHex, outOf, type Out } from './options'
import { TLS_CLIENT_FLAGS, TLS_SERVER_FLAGS, tlsClientOf, tlsServerOf, type TlsClientFlags } from './tls-args'
import type { TlsServerFlags } from './tls-args'
import { UsageError } from './usage-error'
import { int, host, oneOf, port, target } from './flags'

export { UsageError }

export { USAGE }
export type { Out }

const common = {
  host: { type: 'string' },
  port: { type: 'string' },
  encoding: { type: 'string' },
  json: { type: 'boolean', default: false },
  output: { type: 'string' },
  quiet: { type: 'boolean', default: false },
  input: { type: 'string' },
  lines: { type: 'boolean' },
  'no-fold': { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const

const specs = {
  'tcp-server': {
    ...common,
    backlog: { type: 'string' },
    mode: { type: 'string' },
    reply: { type: 'string' },
    rule: { type: 'string', multiple: true },
    eol: { type: 'string' },
    'half-open': { type: 'boolean', default: false },
    ...TLS_SERVER_FLAGS,
  },
  'tcp-client': {
    ...common,
    eol: { type: 'string' },
    timeout: { type: 'string' },
    linger: { type: 'string' },
    send: { type: 'string' },
    'send-file': { type: 'string' },
    repeat: { type: 'string' },
    interval: { type: 'string' },
    ...TLS_CLIENT_FLAGS,
  },
  backlog: {
    ...common,
    backlog: { type: 'string' },
    reply: { type: 'string' },
    'serve-ms': { type: 'string' },
    eol: { type: 'string' },
  },
  udp: { ...common, echo: { type: 'boolean', default: false } },
  'udp-send': {
    to: { type: 'string' },
    count: { type: 'string' },
    interval: { type: 'string' },
    seq: { type: 'boolean', default: false },
    broadcast: { type: 'boolean', default: false },
    iface: { type: 'string' },
    wait: { type: 'string' },
    encoding: { type: 'string' },
    json: { type: 'boolean', default: false },
    output: { type: 'string' },
    quiet: { type: 'boolean', default: false },
    input: { type: 'string' },
    'no-fold': { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
  sockets: {
    input: { type: 'string' },
    format: { type: 'string' },
    encoding: { type: 'string' },
    port: { type: 'string', multiple: true },
    all: { type: 'boolean', default: false },
    watch: { type: 'boolean', default: false },
    interval: { type: 'string' },
    json: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
} as const

export type Command = keyof typeof specs
export const COMMANDS = Object.keys(specs) as Command[]

export type Parsed =
  | ({
      command: 'tcp-server'
      host: string
      port: number
      backlog: number
      mode: ServerMode
      reply: AutoReply
      encoding: 'utf-8' | 'gbk'
      rules: string[]
      /** Plain mode: keep a connection open (CLOSE_WAIT) after the peer's FIN. */
      halfOpen: boolean
      tls?: TlsServerFlags
    } & Out)
  | ({
      command: 'tcp-client'
      host: string
      port: number
      encoding: Encoding
      timeoutMs: number
      lingerMs: number
      send?: string
      sendFile?: string
      repeat: number
      intervalMs: number
      tls?: TlsClientFlags
    } & Out)
  | ({
      command: 'backlog'
      host: string
      port: number
      backlog: number
      reply: 'echo' | 'none'
      serveMs: number
      encoding: 'utf-8' | 'gbk'
    } & Out)
  | ({ command: 'udp'; host: string; port: number; echo: boolean; encoding: Encoding } & Out)
  | ({
      command: 'udp-send'
      host: string
      port: number
      count: number
      intervalMs: number
      seq: boolean
      broadcast: boolean
      /** The interface (its IPv4 address) multicast leaves by. */
      iface?: string
      waitMs: number
      encoding: Encoding
      message: string
    } & Out)
  | ({ command: 'sockets' } & SocketsOptions)
  | { command: 'help' }

const DEFAULT_REPLY: Record<ServerMode, AutoReply> = { plain: 'none', serial: 'echo', threaded: 'hello', room: 'none' }

export function parseCli(argv: string[]): Parsed {
  const [command, ...rest] = argv
  if (!command || command === 'help' || command === '--help' || command === '-h') return { command: 'help' }
  if (!(command in specs)) throw new UsageError(`unknown command "${command}"`)
  let values: Record<string, unknown>
  let positionals: string[]
  try {
    ;({ values, positionals } = parseArgs({
      args: rest,
      options: specs[command as Command],
      allowPositionals: command === 'udp-send',
      strict: true,
    }))
  } catch (e) {
    throw new UsageError((e as Error).message)
  }
  if (values.help) return { command: 'help' }
  const s = (k: string) => values[k] as string | undefined
  const json = values.json === true
  if (command === 'sockets') {
    if (s('input') === undefined && (s('format') !== undefined || s('encoding') !== undefined))
      throw new UsageError('--format and --encoding go with --input')
    if (s('input') !== undefined && (values.watch === true || values.all === true || values.port !== undefined))
      throw new UsageError('--input reads a saved table: --watch, --all and --port do not apply')
    return {
      command,
      input: s('input'),
      format: s('format') === undefined ? undefined : oneOf(s('format'), CAPTURE_FORMATS, 'format', 'windows'),
      encoding: s('encoding'),
      all: values.all === true,
      ports: ((values.port as string[] | undefined) ?? []).map((v) => port(v)),
      watch: values.watch === true,
      intervalMs: int(s('interval'), 'interval', 1000, 100, 60_000),
      json,
    }
  }
  const out = outOf(values, (v, allowed, name, dflt) => oneOf(v, allowed, name, dflt))
  const input = out.input
  const hexOk = (v: string | undefined, name: string): void => {
    if (v !== undefined && input === 'hex' && !isHex(v))
      throw new UsageError(`${name} is not hex: pairs of hex digits, e.g. 48 65 6c 6c 6f (got "${v}")`)
  }
  switch (command as Exclude<Command, 'sockets'>) {
    case 'tcp-server': {
      const mode = oneOf(s('mode'), SERVER_MODES, 'mode', 'threaded')
      const rules = (values.rule as string[] | undefined) ?? []
      const parsedRules = parseRules(rules)
      if ('error' in parsedRules) throw new UsageError(parsedRules.error.en)
      return {
        command: 'tcp-server',
        host: host(s('host'), '127.0.0.1'),
        port: port(s('port')),
        backlog: int(s('backlog'), 'backlog', 5, 0, 511),
        mode,
        reply: oneOf(s('reply'), AUTO_REPLIES, 'reply', DEFAULT_REPLY[mode]),
        encoding: oneOf(s('encoding'), ['utf-8', 'gbk'] as const, 'encoding', 'utf-8'),
        rules,
        halfOpen: values['half-open'] === true,
        ...tlsServerOf(values),
        ...out,
      }
    }
    case 'tcp-client': {
      if (s('send') !== undefined && s('send-file') !== undefined)
        throw new UsageError('give --send or --send-file, not both')
      hexOk(s('send'), '--send')
      const repeat = int(s('repeat'), 'repeat', 1, 1, 1_000_000)
      if (repeat > 1 && s('send') === undefined && s('send-file') === undefined)
        throw new UsageError('--repeat repeats --send or --send-file')
      return {
        command: 'tcp-client',
        host: host(s('host'), '127.0.0.1'),
        port: port(s('port')),
        encoding: oneOf(s('encoding'), ENCODINGS, 'encoding', 'utf-8'),
        timeoutMs: int(s('timeout'), 'timeout', 10_000, 1, 300_000),
        lingerMs: int(s('linger'), 'linger', 2000, 0, 600_000),
        ...(s('send') !== undefined ? { send: s('send') } : {}),
        ...(s('send-file') !== undefined ? { sendFile: s('send-file') } : {}),
        repeat,
        intervalMs: int(s('interval'), 'interval', 0, 0, 3_600_000),
        ...tlsClientOf(values),
        ...out,
      }
    }
    case 'backlog':
      return {
        command: 'backlog',
        host: host(s('host'), '127.0.0.1'),
        port: port(s('port')),
        backlog: int(s('backlog'), 'backlog', 5, 0, 128),
        reply: oneOf(s('reply'), ['echo', 'none'] as const, 'reply', 'echo'),
        serveMs: int(s('serve-ms'), 'serve-ms', 0, 0, 3_600_000),
        encoding: oneOf(s('encoding'), ['utf-8', 'gbk'] as const, 'encoding', 'utf-8'),
        ...out,
      }
    case 'udp':
      return {
        command: 'udp',
        host: host(s('host'), '127.0.0.1'),
        port: port(s('port')),
        echo: values.echo === true,
        encoding: oneOf(s('encoding'), ENCODINGS, 'encoding', 'utf-8'),
        ...out,
      }
    case 'udp-send': {
      if (positionals.length !== 1) throw new UsageError('udp-send takes exactly one <message>')
      hexOk(positionals[0], '<message>')
      return {
        command: 'udp-send',
        ...target(s('to')),
        count: int(s('count'), 'count', 1, 1, 1_000_000),
        intervalMs: int(s('interval'), 'interval', 0, 0, 3_600_000),
        seq: values.seq === true,
        broadcast: values.broadcast === true,
        ...(s('iface') !== undefined ? { iface: host(s('iface'), '', 'iface') } : {}),
        waitMs: int(s('wait'), 'wait', 500, 0, 600_000),
        encoding: oneOf(s('encoding'), ENCODINGS, 'encoding', 'utf-8'),
        message: positionals[0]!,
        ...out,
      }
    }
  }
}
