import type { Endpoint, SocketEvent, SocketKind } from '../../../shared/contract'
import type { Chunk } from '../stores/lab'
import { formatEndpoint } from '../../../shared/endpoint'
import { t, type MessageKey } from '../i18n'

export function endpoint(e: Endpoint | undefined): string {
  return e ? formatEndpoint(e) : '—'
}

export function clock(t: number): string {
  const d = new Date(t)
  const pad = (n: number, w = 2): string => String(n).padStart(w, '0')
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`
}

/** A lifecycle mark on a connection or datagram socket, in the active language. */
export function markText(c: Pick<Chunk, 'mark' | 'note'>, kind?: SocketKind): string {
  if (c.mark === 'error') return t('chat.marks.error', { code: c.note ?? '' })
  if (c.mark === 'name') return t('chat.marks.name', { name: c.note ?? '' })
  if (c.mark === 'tls') return t('chat.marks.tls', { protocol: c.note ?? '' })
  if (c.mark === 'close' && c.note === 'reset') return t('chat.marks.reset')
  // connect() on UDP only sets a default peer: no handshake happened
  if (c.mark === 'connect' && kind === 'udp') return t('udp.marks.connect')
  if (c.mark === 'close' && kind === 'udp') return t('chat.marks.close')
  return t(`chat.marks.${c.mark}` as MessageKey)
}

/** One line describing an event, in the active language; `name` gives a socket's on-screen name. */
/**
 * The log's kind word for an event: a transport's own word, never one it has not. A UDP socket's
 * `listening` event is its bind (UDP has no listen()): 绑定 / bound, never 监听 / listening.
 */
export function kindKey(ev: SocketEvent): MessageKey {
  if (ev.kind === 'listening' && ev.transport === 'udp') return 'log.kindNames.bound'
  return `log.kindNames.${ev.kind}`
}

export function describeEvent(ev: SocketEvent, name: (id: string) => string = (id) => id): string {
  switch (ev.kind) {
    case 'listening':
      // UDP has no listen(): a bound socket simply receives what is sent to its address
      return t(ev.transport === 'udp' ? 'events.bound' : 'events.listening', { addr: endpoint(ev.local) })
    case 'connecting':
      return t(ev.resolving ? 'events.connectingName' : 'events.connecting', {
        host: ev.host,
        port: ev.port,
        ms: ev.timeoutMs,
      })
    case 'lookup':
      return t('events.lookup', { host: ev.host, address: ev.address })
    case 'connect':
      // connect() on a UDP socket (ids u…) sets a default peer: no handshake, nothing is sent
      return t(ev.id.startsWith('u') ? 'events.udpConnect' : 'events.connect', {
        local: endpoint(ev.local),
        remote: endpoint(ev.remote),
      })
    case 'connection':
      return t('events.connection', { conn: name(ev.conn), local: endpoint(ev.local), remote: endpoint(ev.remote) })
    // UDP's calls are recvfrom() and sendto() (what the UDP card says): a datagram has a sender
    case 'data':
      return ev.from
        ? `${t('events.dataFrom', { bytes: ev.bytes })} ${t('udp.from', { addr: endpoint(ev.from) })}`
        : t('events.data', { bytes: ev.bytes })
    case 'sent':
      return ev.to
        ? `${t('events.sentTo', { bytes: ev.bytes })} → ${endpoint(ev.to)}`
        : t('events.sent', { bytes: ev.bytes })
    case 'overflow':
      return t(ev.of === 'sent' ? 'events.overflowSent' : 'events.overflow', { reads: ev.reads, bytes: ev.bytes })
    case 'close':
      return t(ev.reset ? 'events.closeReset' : ev.hadError ? 'events.closeError' : 'events.close')
    case 'queue': {
      const figures = t('events.queue', { n: ev.kernel ?? ev.app ?? '?', slots: ev.slots })
      return ev.dropped ? `${figures}${t('common.listSep')}${t('events.queueDropped', { n: ev.dropped })}` : figures
    }
    case 'serve':
      return t(ev.phase === 'start' ? 'events.serveStart' : 'events.serveEnd', {
        conn: name(ev.conn),
        reason: ev.reason ? t(`events.serveReasons.${ev.reason}` as MessageKey) : '',
      })
    case 'error':
      return t('events.error', { code: ev.code, message: ev.message })
    case 'name':
      return t('events.name', { name: ev.name })
    case 'tls': {
      const done = t('events.tls', { protocol: ev.protocol, cipher: ev.cipher })
      const checked =
        ev.side === 'server'
          ? ev.offered
            ? t('events.tlsOffered', { versions: ev.offered.versions.join(', '), n: ev.offered.ciphers.length })
            : ''
          : ev.authorized
            ? t('events.tlsVerified')
            : t('events.tlsNotVerified', { why: [ev.authorizationError, ev.nameError].filter(Boolean).join(', ') })
      return checked ? `${done}${t('common.listSep')}${checked}` : done
    }
    default:
      return t(`events.${ev.kind}` as MessageKey)
  }
}
