import type { LabError } from '../../../shared/contract'
import { has, t, type MessageKey } from '../i18n'

/** A learner-facing explanation of an error, in the active language. */
export function explain(err: LabError): string {
  if (err.code === 'EINVAL') {
    const key = `errors.invalid.${err.reason ?? 'other'}`
    return has(key) ? t(key as MessageKey) : t('errors.invalid.other')
  }
  const key = `errors.${err.code}`
  return has(key) ? t(key as MessageKey) : t('errors.unknown')
}
