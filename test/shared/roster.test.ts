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
    ).toBe('name,host,port,a,b,c,passed,max,checked_at\nAnn,h,1,pass,fail,,1,3,\n')
    // for Excel on a Chinese Windows: a BOM first, the time of the check in local time, a check
    // that could not run for want of a connection marked as not checked
    const at = new Date(2026, 11, 6, 9, 5, 7).getTime()
    const skipped = { ...result('c', false), skipped: true as const }
    expect(
      resultsCsv(
        ex,
        [{ name: '王芳', host: 'h', port: 1, at, results: [result('a', false), result('b', false), skipped] }],
        {
          bom: true,
        },
      ),
    ).toBe('\uFEFFname,host,port,a,b,c,passed,max,checked_at\n王芳,h,1,fail,fail,not checked,0,3,2026-12-06 09:05:07\n')
  })
})
