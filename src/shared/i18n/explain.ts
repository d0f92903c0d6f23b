import type { LabError } from '../contract'
import type { Messages } from './en'

/**
 * The learner-facing explanation of an error from one catalog: a rejected request by the reason
 * it was rejected for, an OS error by its code. Undefined for a code the catalog does not explain.
 */
export function explainError(catalog: Messages, err: Pick<LabError, 'code' | 'reason'>): string | undefined {
  const invalid = catalog.errors.invalid as Record<string, string>
  if (err.code === 'EINVAL') return invalid[err.reason ?? 'other'] ?? invalid['other']
  const text = (catalog.errors as Record<string, unknown>)[err.code]
  return typeof text === 'string' ? text : undefined
}
