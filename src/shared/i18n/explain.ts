import type { LabError } from '../contract'
import type { Messages } from './en'

/**
 * The learner-facing explanation of an error from one catalog: a rejected request by the reason
 * it was rejected for, an OS error by its code. Undefined for a code the catalog does not explain.
 */
export function explainError(
  catalog: Messages,
  err: Pick<LabError, 'code' | 'reason' | 'detail'>,
  transport?: 'tcp' | 'udp',
): string | undefined {
  const invalid = catalog.errors.invalid as Record<string, string>
  if (err.code === 'EINVAL') return invalid[err.reason ?? 'other'] ?? invalid['other']
  // What the call, the address and the OS say this code means here (see the engine's errorDetail)
  const detail = err.detail ? (catalog.errors.detail as Record<string, string>)[err.detail] : undefined
  if (detail) return detail
  // The same code means something else on UDP (ECONNREFUSED: an ICMP reply, not a RST)
  const udp = transport === 'udp' ? (catalog.errors.udp as Record<string, string>)[err.code] : undefined
  if (udp) return udp
  const text = (catalog.errors as Record<string, unknown>)[err.code]
  return typeof text === 'string' ? text : undefined
}
