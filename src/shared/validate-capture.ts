/** The capture's request, checked: an interface name, never one that reads as an option. */
import { fail } from './validate-core'

/** An interface name as the OS spells it (eth0, en0, any, Windows' \\Device\\NPF_{GUID}). */
export function checkIface(v: unknown): string {
  if (typeof v !== 'string' || !/^[A-Za-z0-9_.:{}\\-]{1,100}$/.test(v) || v.startsWith('-'))
    fail('iface', 'iface', 'iface must be an interface name')
  return v
}
