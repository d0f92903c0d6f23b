/**
 * The journey store over a fake preload API: a name whose DNS fails (offline) or does not exist
 * stops the journey at DNS, nothing connected; an address skips the question; what the classroom
 * DNS server answered is kept, newest first.
 */
import { beforeEach, describe, expect, it } from 'vitest'
import { useJourneyStore } from '../../../src/renderer/src/stores/journey'
import { useLabStore } from '../../../src/renderer/src/stores/lab'
import { freshRenderer } from '../fresh'
import type { createFakeApi } from '../../support/fake-api'
import { manualFrames } from '../../support/fake-api'

let fake: ReturnType<typeof createFakeApi>
beforeEach(() => {
  ;({ fake } = freshRenderer())
})

const nx = {
  ok: true,
  data: {
    servers: ['10.0.0.53'],
    exchanges: [
      {
        server: '10.0.0.53',
        port: 53,
        transport: 'udp',
        id: 1,
        query: '',
        answer: '',
        ms: 1,
        message: {
          id: 1,
          response: true,
          opcode: 0,
          authoritative: true,
          truncated: false,
          recursionDesired: true,
          recursionAvailable: false,
          rcode: 'NXDOMAIN',
          questions: [],
          answers: [],
          authority: [],
          additional: [],
          fields: [],
        },
      },
    ],
  },
} as const

describe('the journey store', () => {
  it('offline: the DNS step fails with the engine’s error, and the journey stops there', async () => {
    const j = useJourneyStore()
    fake.answerNext('dnsQuery', { ok: false, code: 'EDNSTIMEOUT', message: 'no answer' })
    await j.run('http://www.jd.com/')
    expect(j.steps.map((s) => [s.step, s.ok])).toEqual([['dns', false]])
    expect(j.steps[0]!.error?.code).toBe('EDNSTIMEOUT')
    expect(fake.calls.some((c) => c.method === 'tcpConnect')).toBe(false)
  })

  it('NXDOMAIN: the DNS step keeps the answer and why; nothing connected', async () => {
    const j = useJourneyStore()
    fake.answerNext('dnsQuery', nx as never)
    await j.run('nobody.lab', { dnsServer: '127.0.0.1:8053' })
    expect(j.steps.map((s) => [s.step, s.ok])).toEqual([['dns', false]])
    expect(j.steps[0]!.dns?.problem).toBe('rcode')
    expect(fake.calls.find((c) => c.method === 'dnsQuery')?.req).toEqual({
      name: 'nobody.lab',
      type: 'A',
      lookup: true,
      server: '127.0.0.1:8053',
    })
  })

  it('an address: no DNS question; the route asked for the address; a bad URL only flagged', async () => {
    const j = useJourneyStore()
    fake.answerNext('tcpConnect', { ok: false, code: 'ECONNREFUSED', message: 'refused' })
    await j.run('http://127.0.0.1:9/')
    expect(j.steps.map((s) => [s.step, s.ok])).toEqual([
      ['dns', true],
      ['route', true],
      ['arp', true],
      ['tcp', false],
    ])
    expect(fake.calls.some((c) => c.method === 'dnsQuery')).toBe(false)
    expect(fake.calls.find((c) => c.method === 'routeGet')?.req).toEqual({ host: '127.0.0.1' })
    await j.run('ftp://x/')
    expect(j.badUrl).toBe(true)
  })

  it('the classroom DNS server: started with the records typed; what it answered, newest first', async () => {
    const lab = useLabStore()
    const frames = manualFrames()
    lab.start(frames.scheduler)
    const j = useJourneyStore()
    await j.serve('0.0.0.0', 8053, ['server.lab=10.0.0.3'])
    expect(j.server).toEqual({ address: '0.0.0.0', port: 8053, records: [] })
    const ev = (name: string) => ({
      kind: 'dns-served' as const,
      id: '',
      t: 1,
      from: '10.0.0.12:5353',
      transport: 'udp' as const,
      name,
      type: 'A',
      rcode: 'NOERROR',
      answers: ['10.0.0.3'],
    })
    fake.emit([ev('a.lab'), ev('b.lab')])
    frames.run()
    expect(j.served.map((s) => s.name)).toEqual(['b.lab', 'a.lab'])
    // not a socket's event: nothing in the log
    expect(lab.sockets.size).toBe(0)
    await j.stopServing()
    expect(j.server).toBeUndefined()
  })
})
