import type { LabError } from '../../shared/contract'
import { ValidationError } from '../../shared/validate'

/** An error that already carries a lab error code (e.g. our own connect timeout). */
export class LabFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message)
  }
}

/** Turns whatever a socket call threw into data, keeping the OS error code. */
export function toLabError(err: unknown): LabError {
  if (err instanceof ValidationError) return err.toLabError()
  if (err instanceof Error) {
    const code = (err as NodeJS.ErrnoException).code
    return { code: typeof code === 'string' ? code : 'EUNKNOWN', message: err.message }
  }
  return { code: 'EUNKNOWN', message: String(err) }
}
