import type { LabError } from '../contract'
import type { Messages } from './en'

/**
 * The learner-facing explanation of an error from one catalog: a rejected request by the reason
 * it was rejected for, an OS error by its code. Undefined for a code the catalog does not explain.
 */
export function explainError(
  catalog: Messages,
  err: Pick<LabError, 'code' | 'reason'>,
  transport?: 'tcp' | 'udp',
): string | undefined {
  const invalid = catalog.errors.invalid as Record<string, string>
  if (err.code === 'EINVAL') return invalid[err.reason ?? 'other'] ?? invalid['other']
  // The same code means something else on UDP (ECONNREFUSED: an ICMP reply, not a RST)
  const udp = transport === 'udp' ? (catalog.errors.udp as Record<string, string>)[err.code] : undefined
  if (udp) return udp
  const text = (catalog.errors as Record<string, unknown>)[err.code]
  return typeof text === 'string' ? text : undefined
}
