/** The inspector's requests, checked. */
import { CAPTURE_FORMATS, LIMITS, type CaptureFormat, type OsParseReq } from './contract'

type Fail = (field: string, reason: string, message: string) => never

/** Yes/no fields, each false when left out. */
export function checkFlags<K extends string>(r: Record<string, unknown>, keys: K[], fail: Fail): Record<K, boolean> {
  const out = {} as Record<K, boolean>
  for (const k of keys) {
    const v = r[k] === undefined ? false : r[k]
    out[k] = typeof v === 'boolean' ? v : fail(k, 'boolean', `${k} must be true or false`)
  }
  return out
}

/** A table pasted from another machine: text up to the payload limit, a known format or none. */
export function checkOsParse(r: Record<string, unknown>, fail: Fail): OsParseReq {
  if (typeof r.text !== 'string') fail('text', 'payload-type', 'text must be a string')
  if (r.text.length > LIMITS.maxPayloadBytes)
    fail('text', 'payload-size', `text is longer than ${LIMITS.maxPayloadBytes}`)
  if (r.format === undefined) return { text: r.text }
  if (typeof r.format !== 'string' || !(CAPTURE_FORMATS as readonly string[]).includes(r.format))
    fail('format', 'one-of', `format must be one of ${CAPTURE_FORMATS.join(', ')}`)
  return { text: r.text, format: r.format as CaptureFormat }
}
