import { describe, expect, it } from 'vitest'
import { parseTarget } from '../../../src/renderer/src/lib/journey'

describe('parseTarget', () => {
  it('reads what a teacher types: a URL, a bare host, an address with a port; https on 443', () => {
    expect(parseTarget('https://www.jd.com')).toEqual({
      https: true,
      host: 'www.jd.com',
      port: 443,
      path: '/',
      isAddress: false,
    })
    expect(parseTarget('www.jd.com')).toEqual({
      https: false,
      host: 'www.jd.com',
      port: 80,
      path: '/',
      isAddress: false,
    })
    expect(parseTarget(' http://127.0.0.1:8000/a?b=1 ')).toEqual({
      https: false,
      host: '127.0.0.1',
      port: 8000,
      path: '/a?b=1',
      isAddress: true,
    })
    expect(parseTarget('http://[::1]:8080/')).toMatchObject({ host: '::1', port: 8080, isAddress: true })
  })

  it('refuses what is no web address: another scheme, nothing, a name DNS cannot carry', () => {
    expect(parseTarget('')).toBeUndefined()
    expect(parseTarget('ftp://x.lab/')).toBeUndefined()
    expect(parseTarget('http://a..b/')).toBeUndefined()
    expect(parseTarget('http://')).toBeUndefined()
  })
})
