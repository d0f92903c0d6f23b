/**
 * A MAC address's first three bytes name its maker (the IEEE OUI), unless the address is
 * locally administered (bit 1 of the first byte: virtual machines, containers, randomized Wi-Fi
 * addresses). A short table of makers a classroom meets; the full IEEE list is not shipped.
 */
const VENDORS: Record<string, string> = {
  '00:50:56': 'VMware',
  '00:0c:29': 'VMware',
  '08:00:27': 'Oracle VirtualBox',
  '52:54:00': 'QEMU/KVM',
  '00:15:5d': 'Microsoft Hyper-V',
  '02:42:ac': 'Docker',
  'b8:27:eb': 'Raspberry Pi',
  'dc:a6:32': 'Raspberry Pi',
  'e4:5f:01': 'Raspberry Pi',
  '00:1b:21': 'Intel',
  'f8:ff:c2': 'Apple',
  'a4:83:e7': 'Apple',
  '00:e0:4c': 'Realtek',
  '00:14:22': 'Dell',
}

export interface MacInfo {
  oui: string
  /** All zero: a loopback or virtual interface, no maker. */
  zero: boolean
  vendor?: string
  local: boolean
  multicast: boolean
}

export function macInfo(mac: string): MacInfo | undefined {
  const m = mac.toLowerCase().replace(/-/g, ':')
  if (!/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/.test(m)) return undefined
  const first = parseInt(m.slice(0, 2), 16)
  const oui = m.slice(0, 8)
  const r: MacInfo = { oui, zero: m === '00:00:00:00:00:00', local: (first & 2) !== 0, multicast: (first & 1) !== 0 }
  const v = VENDORS[oui]
  if (v) r.vendor = v
  return r
}
