import { describe, expect, it } from 'vitest'
import { sequenceOf, textbookOf, type Observed } from '../../../src/renderer/src/lib/sequence'

const seq = (o: Partial<Observed>) =>
  sequenceOf({ role: 'client', states: [], peerStates: [], events: [], ...o }).map(
    (a) => `${a.from === 'us' ? '→' : '←'} ${a.label} [${a.basis}]`,
  )

describe('the sequence diagram draws only what was observed or implied', () => {
  it('nothing observed, nothing drawn', () => {
    expect(seq({})).toEqual([])
  })

  it('a client that saw SYN_SENT then ESTABLISHED; the handshake rests on the states', () => {
    expect(seq({ states: ['SYN_SENT', 'ESTABLISHED'] })).toEqual([
      '→ SYN [state:SYN_SENT]',
      '← SYN+ACK [state:ESTABLISHED]',
      '→ ACK [state:ESTABLISHED]',
    ])
  })

  it('the client closed first: FIN_WAIT2 then TIME_WAIT give all four close segments', () => {
    expect(seq({ states: ['FIN_WAIT2', 'TIME_WAIT'], events: ['connect', 'close', 'end'] })).toEqual([
      '→ SYN [event:connect]',
      '← SYN+ACK [event:connect]',
      '→ ACK [event:connect]',
      '→ FIN [state:FIN_WAIT2]',
      '← ACK [state:FIN_WAIT2]',
      '← FIN [state:TIME_WAIT]',
      '→ ACK [state:TIME_WAIT]',
    ])
  })

  it('an accepted connection whose peer closed first and that has not closed: CLOSE_WAIT, no FIN of ours', () => {
    expect(seq({ role: 'server', states: ['ESTABLISHED', 'CLOSE_WAIT'], events: ['connection', 'end'] })).toEqual([
      '← SYN [state:ESTABLISHED]',
      '→ SYN+ACK [state:ESTABLISHED]',
      '← ACK [state:ESTABLISHED]',
      '← FIN [state:CLOSE_WAIT]',
      '→ ACK [state:CLOSE_WAIT]',
    ])
  })

  it('a later state alone still implies the handshake', () => {
    expect(seq({ states: ['TIME_WAIT'] })[0]).toBe('→ SYN [state:TIME_WAIT]')
  })

  it('a reset replaces the close', () => {
    expect(seq({ states: ['ESTABLISHED'], events: ['connect', 'reset'] }).slice(3)).toEqual(['→ RST [event:reset]'])
  })

  it('the peer’s row on this machine counts as evidence', () => {
    expect(
      seq({ states: ['ESTABLISHED'], peerStates: ['ESTABLISHED', 'CLOSE_WAIT'], events: ['connect'] }).slice(3),
    ).toEqual(['→ FIN [peer-state:CLOSE_WAIT]', '← ACK [peer-state:CLOSE_WAIT]'])
  })
})

describe('the textbook drawing', () => {
  const draw = (o: Partial<Observed>) => {
    const full: Observed = { role: 'client', states: [], peerStates: [], events: [], ...o }
    return textbookOf(sequenceOf(full), full)
  }

  it('puts the client left whichever end was picked: an accepted connection draws the same as its client', () => {
    const fromClient = draw({ states: ['ESTABLISHED', 'FIN_WAIT2', 'TIME_WAIT'], events: ['connect', 'close', 'end'] })
    const fromServer = draw({
      role: 'server',
      states: ['ESTABLISHED', 'CLOSE_WAIT', 'LAST_ACK', 'CLOSED'],
      peerStates: ['FIN_WAIT2', 'TIME_WAIT'],
      events: ['connection', 'end', 'close'],
    })
    const shape = (d: ReturnType<typeof draw>) => d.arrows.map((a) => `${a.row} ${a.from} ${a.label} ${a.seqAck}`)
    expect(shape(fromClient)).toEqual([
      '0 client SYN seq=x',
      '1 server SYN+ACK seq=y, ack=x+1',
      '2 client ACK ack=y+1',
      '3 client FIN seq=u',
      '4 server ACK ack=u+1',
      '5 server FIN seq=v',
      '6 client ACK ack=v+1',
    ])
    expect(shape(fromServer)).toEqual(shape(fromClient))
  })

  it('writes the states seen down the lifeline of the end that was in them, where the textbook has them', () => {
    const d = draw({
      role: 'server',
      states: ['ESTABLISHED', 'CLOSE_WAIT', 'LAST_ACK', 'CLOSED'],
      peerStates: ['FIN_WAIT2', 'TIME_WAIT'],
      events: ['connection', 'end', 'close'],
    })
    expect(d.server).toEqual([
      { state: 'ESTABLISHED', at: 3 },
      { state: 'CLOSE_WAIT', at: 4 },
      { state: 'LAST_ACK', at: 5 },
      { state: 'CLOSED', at: 7 },
    ])
    expect(d.client).toEqual([
      { state: 'FIN_WAIT2', at: 5 },
      { state: 'TIME_WAIT', at: 6 },
    ])
  })

  it('a reset is drawn on the first close row, without seq/ack', () => {
    const d = draw({ states: ['ESTABLISHED'], events: ['connect', 'reset'] })
    expect(d.arrows.at(-1)).toMatchObject({ row: 3, from: 'client', label: 'RST', seqAck: '' })
  })
})
