import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { base64ToBytes, decodeForDisplay, decodeSegments, parseHex, toHex } from '../../src/shared/codec'
import { ValidationError } from '../../src/shared/validate'

const bytes = (...b: number[]) => new Uint8Array(b)

describe('hex', () => {
  it('round-trips any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array(), (b) => {
        expect(parseHex(toHex(b))).toEqual(b)
      }),
    )
  })

  it('accepts the usual spellings and rejects odd or non-hex input', () => {
    expect(parseHex('48 65 6c 6c 6f')).toEqual(new TextEncoder().encode('Hello'))
    expect(parseHex('48656C6C6F')).toEqual(new TextEncoder().encode('Hello'))
    expect(parseHex('0x48,0x65')).toEqual(bytes(0x48, 0x65))
    for (const bad of ['4', '48 6', 'zz', '48 65 6g']) expect(() => parseHex(bad)).toThrow(ValidationError)
  })
})

describe('decoding what a peer sent', () => {
  it('keeps valid UTF-8 as text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (s) => {
        const segs = decodeSegments(new TextEncoder().encode(s), 'utf-8')
        expect(segs.map((x) => ('text' in x ? x.text : '')).join('')).toBe(s)
        expect(segs.every((x) => 'text' in x)).toBe(true)
      }),
    )
  })

  it('shows invalid bytes as hex and never loses one', () => {
    expect(decodeSegments(bytes(0x68, 0x69, 0xff, 0xfe, 0x21), 'utf-8')).toEqual([
      { text: 'hi' },
      { hex: 'ff fe' },
      { text: '!' },
    ])
    // a multi-byte character cut at a recv() boundary
    expect(decodeSegments(bytes(0xe4, 0xbd), 'utf-8')).toEqual([{ hex: 'e4 bd' }])
    expect(decodeForDisplay(bytes(0x61, 0xc0, 0x80), 'utf-8')).toBe('a\\xc0\\x80')
    fc.assert(
      fc.property(fc.uint8Array(), (b) => {
        const segs = decodeSegments(b, 'utf-8')
        const re = new TextEncoder()
        const back = segs.flatMap((x) => [...('text' in x ? re.encode(x.text) : parseHex(x.hex))])
        expect(back).toEqual([...b])
      }),
    )
  })

  it('decodes GBK from classmates on Chinese Windows', () => {
    expect(decodeSegments(bytes(0xc4, 0xe3, 0xba, 0xc3), 'gbk')).toEqual([{ text: '你好' }])
    expect(decodeSegments(bytes(0xc4, 0xe3, 0xff), 'gbk')).toEqual([{ text: '你' }, { hex: 'ff' }])
  })

  it('decodes base64 previews', () => {
    expect(base64ToBytes(Buffer.from([0, 1, 255]).toString('base64'))).toEqual(bytes(0, 1, 255))
  })
})
