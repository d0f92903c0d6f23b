/**
 * The course's address lesson: an IPv4 address is a 32-bit number; a mask marks its network
 * part; two addresses are in the same subnet when (a AND mask) == (b AND mask).
 */

export function parseIPv4(s: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s.trim())
  if (!m) return undefined
  const parts = m.slice(1).map(Number)
  if (parts.some((p, i) => p > 255 || (m[i + 1]!.length > 1 && m[i + 1]!.startsWith('0')))) return undefined
  return ((parts[0]! << 24) | (parts[1]! << 16) | (parts[2]! << 8) | parts[3]!) >>> 0
}

export function formatIPv4(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.')
}

/** "11000000.10101000.00000001.00010100" */
export function toBinary(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].map((b) => b.toString(2).padStart(8, '0')).join('.')
}

/** "255.255.255.0" or "/24" or "24" -> the mask as a number; undefined for a non-contiguous mask. */
export function parseMask(s: string): number | undefined {
  const t = s.trim().replace(/^\//, '')
  if (/^\d{1,2}$/.test(t)) {
    const p = Number(t)
    if (p > 32) return undefined
    return p === 0 ? 0 : (0xffffffff << (32 - p)) >>> 0
  }
  const n = parseIPv4(t)
  if (n === undefined) return undefined
  const inv = ~n >>> 0
  return (inv & (inv + 1)) === 0 ? n : undefined // ones then zeros only
}

export function prefixOf(mask: number): number {
  let p = 0
  for (let m = mask; m & 0x80000000; m = (m << 1) >>> 0) p++
  return p
}

export interface SubnetCheck {
  a: number
  b: number
  mask: number
  netA: number
  netB: number
  same: boolean
}

export function sameSubnet(a: string, b: string, mask: string): SubnetCheck | undefined {
  const x = parseIPv4(a)
  const y = parseIPv4(b)
  const m = parseMask(mask)
  if (x === undefined || y === undefined || m === undefined) return undefined
  const netA = (x & m) >>> 0
  const netB = (y & m) >>> 0
  return { a: x, b: y, mask: m, netA, netB, same: netA === netB }
}

/** The subnet broadcast address of an interface: address OR NOT mask ("192.168.1.255"). */
export function broadcastOf(address: string, netmask: string): string | undefined {
  const a = parseIPv4(address)
  const m = parseMask(netmask)
  return a === undefined || m === undefined ? undefined : formatIPv4((a | ~m) >>> 0)
}
