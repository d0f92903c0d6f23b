import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { parseRoster, RosterError, resultsCsv, rosterCsv } from '../../src/shared/roster'
import type { Exercise, Student } from '../../src/shared/exercise'

describe('roster CSV', () => {
  it('reads the CLI’s format: header, a BOM, CRLF, quoted names with commas and quotes, an empty port', () => {
    const text = '\uFEFFname,host,port\r\nAnn,10.0.0.5,9999\r\n"Li, ""Wei""",10.0.0.6,\r\n\r\n'
    expect(parseRoster(text, 'r.csv')).toEqual([
      { name: 'Ann', host: '10.0.0.5', port: 9999 },
      { name: 'Li, "Wei"', host: '10.0.0.6' },
    ])
  })

  it('names the file and line of what is wrong, in both languages', () => {
    const err = (text: string): RosterError => {
      try {
        parseRoster(text, 'r.csv')
      } catch (e) {
        return e as RosterError
      }
      throw new Error('no error')
    }
    expect(err('who,where\n').text.en).toBe('r.csv: the first line must be name,host,port')
    expect(err('name,host,port\nAnn,,1').text['zh-CN']).toBe('r.csv：第 2 行：需要姓名和主机')
    expect(err('name,host,port\nAnn,h,1\nBo,h,0').text.en).toMatch(/line 3: port "0" is not a number from 1 to 65535/)
  })

  it('property: what rosterCsv writes, parseRoster reads back', () => {
    const student = fc.record(
      {
        name: fc.string({ minLength: 1, maxLength: 12 }).filter((s) => s.trim() === s && !/[\r\n]/.test(s) && s !== ''),
        host: fc.constantFrom('10.0.0.5', 'pc-12.lab', '::1'),
        port: fc.integer({ min: 1, max: 65535 }),
      },
      { requiredKeys: ['name', 'host'] },
    )
    fc.assert(
      fc.property(fc.array(student, { maxLength: 8 }), (students: Student[]) => {
        expect(parseRoster(rosterCsv(students), 'x')).toEqual(students)
      }),
    )
  })

  it('results: one column per check in the exercise’s order, pass/fail/blank, and the count passed', () => {
    const ex = { checks: [{ id: 'a' }, { id: 'b' }, { id: 'c' }] } as Exercise
    const result = (check: string, ok: boolean) => ({
      check,
      ok,
      detail: { en: '', 'zh-CN': '' },
      hint: { en: '', 'zh-CN': '' },
      transcript: [],
    })
    expect(
      resultsCsv(ex, [{ name: 'Ann', host: 'h', port: 1, results: [result('b', false), result('a', true)] }]),
    ).toBe('name,host,port,a,b,c,passed\nAnn,h,1,pass,fail,,1\n')
  })
})
