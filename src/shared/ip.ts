/** IP address syntax, with no imports: settings and validation both use it. */
const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/

export function isIPv4(s: string): boolean {
  return IPV4.test(s)
}

export function isIPv6(s: string): boolean {
  let rest = s
  const zone = rest.indexOf('%')
  if (zone >= 0) {
    if (!/^[\w.-]+$/.test(rest.slice(zone + 1))) return false
    rest = rest.slice(0, zone)
  }
  let groupsAllowed = 8
  const lastColon = rest.lastIndexOf(':')
  if (lastColon >= 0 && rest.includes('.', lastColon)) {
    if (!isIPv4(rest.slice(lastColon + 1))) return false
    rest = rest.slice(0, lastColon + 1) + '0'
    groupsAllowed = 7
  }
  const halves = rest.split('::')
  if (halves.length > 2) return false
  const group = /^[0-9a-f]{1,4}$/i
  const parts = halves.map((h) => (h === '' ? [] : h.split(':')))
  if (!parts.every((p) => p.every((g) => group.test(g)))) return false
  const count = parts.reduce((n, p) => n + p.length, 0)
  return halves.length === 2 ? count < groupsAllowed : count === groupsAllowed
}

/**
 * An address on the local network as macOS's Local Network privacy (macOS 15+) counts it: private
 * (RFC 1918), link-local, carrier-grade NAT, broadcast and multicast IPv4; link-local, unique-local
 * and multicast IPv6. Loopback is not: it is exempt. A public address on the same link is local
 * too, but that needs the interfaces' subnets: this is the classroom's case, by the address alone.
 */
export function isLocalNetworkAddress(address: string): boolean {
  const a = address.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '')
  if (isIPv4(a)) {
    const [p, q] = a.split('.').map(Number) as [number, number]
    return (
      p === 10 ||
      (p === 172 && q >= 16 && q <= 31) ||
      (p === 192 && q === 168) ||
      (p === 169 && q === 254) ||
      (p === 100 && q >= 64 && q <= 127) ||
      p >= 224
    )
  }
  if (!isIPv6(a)) return false
  const first = parseInt(a.split(':')[0] || '0', 16)
  return (first & 0xffc0) === 0xfe80 || (first & 0xfe00) === 0xfc00 || (first & 0xff00) === 0xff00
}

/** Eight IPv6 groups (hex, no leading zeros) as written: the longest run of two or more zero
 * groups as "::" (RFC 5952). */
export function compressIPv6(groups: string[]): string {
  let best = { at: -1, len: 0 }
  for (let i = 0; i < 8;) {
    if (groups[i] !== '0') {
      i++
      continue
    }
    let j = i
    while (j < 8 && groups[j] === '0') j++
    if (j - i > best.len && j - i > 1) best = { at: i, len: j - i }
    i = j
  }
  if (best.at < 0) return groups.join(':')
  return `${groups.slice(0, best.at).join(':')}::${groups.slice(best.at + best.len).join(':')}`
}
