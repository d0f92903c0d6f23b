/**
 * `socket-lab route HOST [--json]`: where a packet for HOST goes from this machine (the source
 * address, the interface, same subnet or the gateway, the next hop's MAC); and
 * `socket-lab route --input FILE|- [--format windows|bsd|linux] [--json]`: a route table printed on
 * another machine, in any display language and code page, read into one entry a route.
 */
import { parseArgs } from 'node:util'
import type { Writable } from 'node:stream'
import { routeTo } from '../main/engine/inspector/route-to'
import { defaultGateway, guessRouteFormat, parseRoutes, type RouteFormat } from '../main/engine/inspector/routes'
import { decodeConsole } from '../main/engine/inspector/netstat-windows'
import { readInput } from './input'
import { ipconfigSummary, looksLikeIpconfig, parseIpconfig } from '../main/engine/inspector/ipconfig'

export const ROUTE_USAGE = `Usage: socket-lab route HOST [--json]
  Where a packet for HOST goes from this machine: the source address the OS picks, its interface
  and subnet; on the same subnet ARP asks for HOST itself, otherwise the packet goes to the
  gateway and ARP asks for the gateway's MAC. No packet is sent.
       socket-lab route --input FILE|- [--format windows|bsd|linux] [--json]
  Reads a route table printed elsewhere: Windows route print / netstat -rn (any language, its
  code page), macOS netstat -rn / route -n get, Linux ip route / ip -j route get / route -n /
  /proc/net/route. One entry a route, then the default gateway. Windows ipconfig /all (English,
  Chinese, German, French): each adapter's gateway and DNS servers.`

const FORMATS = ['windows', 'bsd', 'linux'] as const

export async function runRoute(
  argv: string[],
  out: Writable,
  err: Writable,
  stdin: NodeJS.ReadableStream,
): Promise<number> {
  let o: { values: Record<string, string | boolean | undefined>; positionals: string[] }
  try {
    o = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: true,
      options: {
        input: { type: 'string' },
        format: { type: 'string' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    })
  } catch (e) {
    return usage(err, (e as Error).message)
  }
  const v = o.values
  if (v['help']) return (out.write(ROUTE_USAGE + '\n'), 0)
  const json = v['json'] === true
  const format = v['format'] as string | undefined
  if (format !== undefined && !FORMATS.includes(format as RouteFormat))
    return usage(err, `--format must be one of ${FORMATS.join(', ')} (got "${format}")`)
  if (typeof v['input'] === 'string') {
    if (o.positionals.length) return usage(err, '--input reads a saved table: give no HOST with it')
    let text: string
    try {
      text = decodeConsole(await readInput(v['input'], stdin)).text
    } catch (e) {
      err.write(`socket-lab route: ${v['input']}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}\n`)
      return 2
    }
    if (!format && looksLikeIpconfig(text)) return ipconfig(text, json, out, err, v['input'])
    const f = (format as RouteFormat | undefined) ?? guessRouteFormat(text)
    let routes
    try {
      routes = f ? parseRoutes(text, f) : []
    } catch (e) {
      routes = []
      err.write(`socket-lab route: ${v['input']}: ${(e as Error).message}\n`)
    }
    if (!f || !routes.length) {
      err.write(`socket-lab route: ${v['input']}: no route table found in it: give --format windows, bsd or linux\n`)
      return 2
    }
    const gw = defaultGateway(routes)
    for (const r of routes)
      out.write(
        json
          ? JSON.stringify({ event: 'route-entry', ...r }) + '\n'
          : `${`${r.destination}/${r.prefix}`.padEnd(43)} ${(r.gateway ?? r.via ?? '(on the link)').padEnd(24)} ${r.interface.padEnd(16)} ${r.metric ?? ''}\n`,
      )
    out.write(
      json
        ? JSON.stringify({ event: 'parsed', format: f, routes: routes.length, defaultGateway: gw }) + '\n'
        : `# ${routes.length} routes (${f}); default gateway: ${gw ?? 'none'}\n`,
    )
    return 0
  }
  if (o.positionals.length !== 1) return usage(err, 'give one HOST (an address or a name), or --input FILE')
  try {
    const r = await routeTo(o.positionals[0]!)
    if (json) out.write(JSON.stringify({ event: 'route', ...r }) + '\n')
    else {
      out.write(
        `${r.name ? `${r.name} is ${r.destination}; ` : ''}from ${r.source}${r.interface ? ` on ${r.interface} (${r.source}/${r.prefix}, netmask ${r.netmask})` : ''}\n`,
      )
      out.write(
        r.loopback
          ? 'loopback: the packet never leaves this machine (no ARP, no wire)\n'
          : r.sameSubnet
            ? `same subnet: ARP asks for ${r.destination} itself` +
              (r.gatewayMac ? ` (now in the neighbour table: ${r.gatewayMac})\n` : '\n')
            : r.gateway
              ? `another subnet: the packet goes to the gateway ${r.gateway}; ARP asks for ${r.gateway}'s MAC` +
                (r.gatewayMac ? ` (${r.gatewayMac})\n` : ' (not in the neighbour table yet)\n')
              : 'another subnet, and no gateway known (a point-to-point link, or the OS would not say)\n',
      )
    }
    return 0
  } catch (e) {
    const code = (e as { code?: string }).code ?? 'ERROR'
    if (json) out.write(JSON.stringify({ event: 'error', code, message: (e as Error).message }) + '\n')
    else err.write(`socket-lab route: ${(e as Error).message}\n`)
    return 1
  }
}

/** ipconfig /all where no route table is at hand: each adapter's gateway and DNS servers. */
function ipconfig(text: string, json: boolean, out: Writable, err: Writable, input: string): number {
  const adapters = parseIpconfig(text).filter((a) => a.gateways.length || a.dnsServers.length)
  if (!adapters.length) {
    err.write(
      `socket-lab route: ${input}: an ipconfig /all without a gateway or DNS server this reader knows (its labels are read in English, Chinese, German and French)\n`,
    )
    return 2
  }
  const sum = ipconfigSummary(adapters)
  for (const a of adapters)
    out.write(
      json
        ? JSON.stringify({ event: 'adapter', ...a }) + '\n'
        : `${a.name}: gateway ${a.gateways.join(', ') || 'none'}; DNS ${a.dnsServers.join(', ') || 'none'}\n`,
    )
  out.write(
    json
      ? JSON.stringify({ event: 'parsed', format: 'ipconfig', routes: 0, ...sum }) + '\n'
      : `# ipconfig /all: default gateway ${sum.defaultGateway ?? 'none'}; DNS servers ${sum.dnsServers.join(', ') || 'none'}\n`,
  )
  return 0
}

function usage(err: Writable, msg: string): number {
  err.write(`socket-lab route: ${msg}\n\n${ROUTE_USAGE}\n`)
  return 2
}
