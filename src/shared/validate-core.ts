/**
 * What every request check is made of: a failure that names the field and a reason key the UI
 * translates (with a plain English message for the CLI and logs), and the checks of the kinds
 * of value every channel has (an object, a port, a whole number in a range, one of a list, yes
 * or no, a field left out). validate.ts and each validate-*.ts build on these.
 */
import type { LabError } from './contract'

export class ValidationError extends Error {
  constructor(
    readonly field: string,
    readonly reason: string,
    message: string,
  ) {
    super(message)
  }
  toLabError(): LabError {
    return { code: 'EINVAL', field: this.field, reason: this.reason, message: this.message }
  }
}

export function fail(field: string, reason: string, message: string): never {
  throw new ValidationError(field, reason, message)
}

/** An object (not null, not a list): the request itself, or one of its parts when `field` is given. */
export function record(v: unknown, field?: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    fail(field ?? 'request', 'not-object', field ? `${field} must be an object` : 'the request must be an object')
  }
  return v as Record<string, unknown>
}

export function checkPort(v: unknown, field = 'port'): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 65535) {
    fail(field, 'port-range', `${field} must be a whole number from 0 to 65535`)
  }
  return v
}

export function checkInt(v: unknown, field: string, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    fail(field, 'int-range', `${field} must be a whole number from ${min} to ${max}`)
  }
  return v
}

export function checkOneOf<T extends string>(v: unknown, allowed: readonly T[], field: string): T {
  if (!allowed.includes(v as T)) fail(field, 'one-of', `${field} must be one of ${allowed.join(', ')}`)
  return v as T
}

export function checkBool(v: unknown, field: string): boolean {
  return typeof v === 'boolean' ? v : fail(field, 'boolean', `${field} must be true or false`)
}

/** `dflt` for a field left out, else the field checked. */
export function optional<T>(v: unknown, check: (v: unknown) => T, dflt: T): T {
  return v === undefined ? dflt : check(v)
}

/** Yes/no fields, each false when left out. */
export function checkFlags<K extends string>(r: Record<string, unknown>, keys: readonly K[]): Record<K, boolean> {
  const out = {} as Record<K, boolean>
  for (const k of keys) out[k] = optional(r[k], (v) => checkBool(v, k), false)
  return out
}
