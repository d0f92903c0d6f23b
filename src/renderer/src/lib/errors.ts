import type { LabError } from '../../../shared/contract'
import { explainError } from '../../../shared/i18n/explain'
import { catalog, t } from '../i18n'

/** A learner-facing explanation of an error, in the active language. */
export function explain(err: LabError, transport?: 'tcp' | 'udp'): string {
  return explainError(catalog(), err, transport) ?? t('errors.unknown')
}
