import { describe, expect, it } from 'vitest'
import { sequenceOf, type Observed } from '../../../src/renderer/src/lib/sequence'

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
