/**
 * The classic sequence diagram of a TCP connection (SYN, SYN+ACK, ACK; FIN/ACK both ways; RST),
 * drawn only from what was observed: the OS states polled for this side (and the peer's, when it
 * is on this machine) and the lab's own events. The app does not capture packets, so every arrow
 * carries its basis: a state seen, or an event that implies it. Nothing else is drawn.
 */

export type Side = 'us' | 'peer'
export interface Arrow {
  from: Side
  label: 'SYN' | 'SYN+ACK' | 'ACK' | 'FIN' | 'RST'
  /** What it rests on: 'state:SYN_SENT', 'peer-state:CLOSE_WAIT', 'event:connect', ... */
  basis: string
}

export interface Observed {
  /** Who called connect(): this side (a client) or the peer (an accepted connection). */
  role: 'client' | 'server'
  /** OS states seen for this side's tuple, in order ('CLOSED' once its row was gone). */
  states: string[]
  /** OS states seen for the reverse tuple (the peer on this machine), if any. */
  peerStates: string[]
  /** The lab's events for this socket, in order: connect, connection, shutdown, end, close, reset, reset-by-peer. */
  events: string[]
}

const ACTIVE = ['FIN_WAIT1', 'FIN_WAIT2', 'TIME_WAIT', 'CLOSING']
const PASSIVE = ['CLOSE_WAIT', 'LAST_ACK']

function firstOf(list: string[], wanted: string[]): string | undefined {
  return list.find((s) => wanted.includes(s))
}

export function sequenceOf(o: Observed): Arrow[] {
  const out: Arrow[] = []
  const me = (s: string[]) => firstOf(o.states, s)
  const peer = (s: string[]) => firstOf(o.peerStates, s)
  const ev = (e: string) => o.events.includes(e)
  const basis = (...c: (string | false | undefined)[]): string | undefined => c.find((x): x is string => !!x)
  const add = (from: Side, label: Arrow['label'], b: string | undefined): void => {
    if (b) out.push({ from, label, basis: b })
  }
  // The handshake completed: ESTABLISHED seen, else the event that says so, else a later state.
  const later = me([...ACTIVE, ...PASSIVE])
  const established = basis(
    me(['ESTABLISHED']) && 'state:ESTABLISHED',
    ev('connect') && 'event:connect',
    ev('connection') && 'event:connection',
    later && `state:${later}`,
  )

  // Three-way handshake.
  const client: Side = o.role === 'client' ? 'us' : 'peer'
  const server: Side = client === 'us' ? 'peer' : 'us'
  const synSeen = o.role === 'client' ? me(['SYN_SENT']) : me(['SYN_RECV'])
  add(client, 'SYN', basis(synSeen && `state:${synSeen}`, established))
  add(server, 'SYN+ACK', basis(o.role === 'server' && me(['SYN_RECV']) && 'state:SYN_RECV', established))
  add(client, 'ACK', established)

  // Abort.
  if (ev('reset')) add('us', 'RST', 'event:reset')
  if (ev('reset-by-peer')) add('peer', 'RST', 'event:reset-by-peer')
  if (ev('reset') || ev('reset-by-peer')) return out

  // Four-way close: who sent the first FIN?
  const endAt = o.events.indexOf('end')
  const ourAt = Math.min(...['shutdown', 'close'].map((e) => o.events.indexOf(e)).filter((i) => i >= 0))
  const usFirst =
    !!me(ACTIVE) || !!peer(PASSIVE) || (ourAt !== Infinity && (endAt < 0 || ourAt < endAt) && !me(PASSIVE))
  const peerFirst = !usFirst && (!!me(PASSIVE) || !!peer(ACTIVE) || endAt >= 0)
  if (usFirst) {
    const a = me(ACTIVE)
    add(
      'us',
      'FIN',
      basis(
        a && `state:${a}`,
        peer(PASSIVE) && `peer-state:${peer(PASSIVE)}`,
        ourAt !== Infinity && `event:${o.events[ourAt]}`,
      ),
    )
    const acked = me(['FIN_WAIT2', 'TIME_WAIT'])
    add('peer', 'ACK', basis(acked && `state:${acked}`, peer(PASSIVE) && `peer-state:${peer(PASSIVE)}`))
    add(
      'peer',
      'FIN',
      basis(
        me(['TIME_WAIT', 'CLOSING']) && `state:${me(['TIME_WAIT', 'CLOSING'])}`,
        peer(['LAST_ACK']) && 'peer-state:LAST_ACK',
        endAt >= 0 && 'event:end',
      ),
    )
    add('us', 'ACK', basis(me(['TIME_WAIT']) && 'state:TIME_WAIT'))
  } else if (peerFirst) {
    add(
      'peer',
      'FIN',
      basis(
        me(PASSIVE) && `state:${me(PASSIVE)}`,
        peer(ACTIVE) && `peer-state:${peer(ACTIVE)}`,
        endAt >= 0 && 'event:end',
      ),
    )
    add(
      'us',
      'ACK',
      basis(
        me(PASSIVE) && `state:${me(PASSIVE)}`,
        peer(['FIN_WAIT2', 'TIME_WAIT']) && `peer-state:${peer(['FIN_WAIT2', 'TIME_WAIT'])}`,
      ),
    )
    add(
      'us',
      'FIN',
      basis(
        me(['LAST_ACK']) && 'state:LAST_ACK',
        peer(['TIME_WAIT']) && 'peer-state:TIME_WAIT',
        ourAt !== Infinity && `event:${o.events[ourAt]}`,
      ),
    )
    const closedAfterLastAck = o.states.includes('LAST_ACK') && o.states.at(-1) === 'CLOSED'
    add('peer', 'ACK', basis(peer(['TIME_WAIT']) && 'peer-state:TIME_WAIT', closedAfterLastAck && 'state:CLOSED'))
  }
  return out
}

/** The hint a learner needs in a state, if any. */
export function stateHint(state: string | undefined): 'close-now' | 'time-wait' | undefined {
  if (state === 'CLOSE_WAIT') return 'close-now'
  if (state === 'TIME_WAIT') return 'time-wait'
  return undefined
}

/** Which end of the drawing: the textbook puts the client on the left, the server on the right. */
export type End = 'client' | 'server'
export interface DrawnArrow {
  /** Row on the page: 0–2 the handshake, 3–6 the close (3 the first FIN, 5 the second), 3 a reset. */
  row: number
  from: End
  label: Arrow['label']
  /** The textbook's illustrative numbers (x, y: the two initial sequence numbers). Not measured. */
  seqAck: string
  basis: string
}
export interface DrawnState {
  state: string
  /** Where on the lifeline, in row boundaries (0 the top of the handshake, 7 under the last ACK). */
  at: number
}
export interface Textbook {
  arrows: DrawnArrow[]
  client: DrawnState[]
  server: DrawnState[]
}

const HANDSHAKE_ROW = { SYN: 0, 'SYN+ACK': 1 } as const
const SEQ_ACK = ['seq=x', 'seq=y, ack=x+1', 'ack=y+1', 'seq=u', 'ack=u+1', 'seq=v', 'ack=v+1']

/**
 * The diagram as the textbook draws it, from `sequenceOf`'s arrows: client left and server right
 * whichever end was picked, each arrow on its row with the illustrative seq/ack, and the states
 * observed at each end written down its lifeline where the textbook has them.
 */
export function textbookOf(arrows: Arrow[], o: Pick<Observed, 'role' | 'states' | 'peerStates'>): Textbook {
  const endOf = (s: Side): End => ((s === 'us') === (o.role === 'client') ? 'client' : 'server')
  const drawn: DrawnArrow[] = []
  let fins = 0
  for (const a of arrows) {
    let row: number
    if (a.label === 'SYN' || a.label === 'SYN+ACK') row = HANDSHAKE_ROW[a.label]
    else if (a.label === 'RST') row = 3
    else if (a.label === 'FIN') row = fins++ === 0 ? 3 : 5
    else row = fins === 0 ? 2 : fins === 1 ? 4 : 6
    drawn.push({
      row,
      from: endOf(a.from),
      label: a.label,
      seqAck: a.label === 'RST' ? '' : SEQ_ACK[row]!,
      basis: a.basis,
    })
  }
  const firstFin = drawn.find((a) => a.row === 3 && a.label === 'FIN')?.from
  const place = (end: End, states: string[]): DrawnState[] => {
    const active = firstFin ? firstFin === end : states.some((s) => ACTIVE.includes(s))
    const at: Record<string, number> = {
      LISTEN: -0.5,
      SYN_SENT: 0,
      SYN_RECV: 1,
      ESTABLISHED: end === 'client' ? 2 : 3,
      FIN_WAIT1: 3,
      FIN_WAIT2: 5,
      CLOSING: 6,
      TIME_WAIT: 6,
      CLOSE_WAIT: 4,
      LAST_ACK: 5,
      CLOSED: active ? 7.5 : 7,
    }
    const out: DrawnState[] = []
    for (const s of states)
      if (at[s] !== undefined && !out.some((d) => d.state === s)) out.push({ state: s, at: at[s]! })
    return out
  }
  const usEnd = o.role === 'client' ? 'client' : 'server'
  const clientStates = usEnd === 'client' ? o.states : o.peerStates
  const serverStates = usEnd === 'server' ? o.states : o.peerStates
  return { arrows: drawn, client: place('client', clientStates), server: place('server', serverStates) }
}
