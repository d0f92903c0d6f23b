/**
 * The values of the CLI's flags, checked as the app's requests are: each wrong value is a usage
 * error (printed with the command's usage, exit code 2) that names the flag and what it takes.
 * Every command's numbers have a ceiling: a timer past 2^31 - 1 ms fires at once in Node.
 */
import { checkHost, checkPort, ValidationError } from '../shared/validate'
import { UsageError } from './usage-error'

/** The longest a Node timer waits (2^31 - 1 ms, 24.8 days): a longer one fires at once. */
export const MAX_TIMER_MS = 2 ** 31 - 1

export function int(v: string | undefined, name: string, dflt: number, min: number, max: number): number {
  if (v === undefined) return dflt
  const n = Number(v)
  if (!/^-?\d+$/.test(v.trim()) || n < min || n > max)
    throw new UsageError(`--${name} must be a whole number from ${min} to ${max}`)
  return n
}

export function oneOf<T extends string>(v: string | undefined, allowed: readonly T[], name: string, dflt: T): T {
  if (v === undefined) return dflt
  if (!allowed.includes(v as T)) throw new UsageError(`--${name} must be one of ${allowed.join(', ')}`)
  return v as T
}

export function host(v: string | undefined, dflt: string, name = 'host'): string {
  try {
    return checkHost(v ?? dflt, name)
  } catch (e) {
    throw new UsageError(e instanceof ValidationError ? `--${e.message}` : String(e))
  }
}

export function port(v: string | undefined, name = 'port'): number {
  if (v === undefined) throw new UsageError(`--${name} is required`)
  const n = Number(v)
  try {
    return checkPort(/^\d+$/.test(v) ? n : NaN, name)
  } catch {
    throw new UsageError(`--${name} must be a whole number from 0 to 65535 (got "${v}")`)
  }
}

/** "H:P" or "[v6]:P". */
export function target(v: string | undefined): { host: string; port: number } {
  if (!v) throw new UsageError('--to H:P is required')
  const m = /^\[([^\]]+)\]:(\d+)$/.exec(v) ?? /^([^:]+):(\d+)$/.exec(v)
  if (!m) throw new UsageError(`--to must look like 127.0.0.1:9999 or [::1]:9999 (got "${v}")`)
  return { host: host(m[1], '', 'to'), port: port(m[2], 'to port') }
}
