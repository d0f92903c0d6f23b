/** The inspector's requests, checked. */
import { CAPTURE_FORMATS, LIMITS, type OsParseReq } from './contract'
import { checkOneOf, fail } from './validate-core'

/** A table pasted from another machine: text up to the payload limit, a known format or none. */
export function checkOsParse(r: Record<string, unknown>): OsParseReq {
  if (typeof r.text !== 'string') fail('text', 'payload-type', 'text must be a string')
  if (r.text.length > LIMITS.maxPayloadBytes)
    fail('text', 'payload-size', `text is longer than ${LIMITS.maxPayloadBytes}`)
  if (r.format === undefined) return { text: r.text }
  return { text: r.text, format: checkOneOf(r.format, CAPTURE_FORMATS, 'format') }
}
