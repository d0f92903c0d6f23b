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
