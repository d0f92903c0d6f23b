/**
 * The zh-CN pages speak Chinese: every Latin word in the zh-CN catalog and in the built-in
 * exercises' Chinese prose (titles, tasks, hints, check names, list labels, the starter code's
 * comments) is a name a student types or reads in code: a call, a protocol, an error code, an OS
 * or tool. A new English word ("names", "done", "echo") fails here until it is translated, or,
 * when it really is such a name, added below.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { zhCN } from '../../src/shared/i18n/zh-CN'
import type { Exercise } from '../../src/shared/exercise'

const ALLOWED = new Set(
  `accept ack ACK allow an AND ano Address already ARP backlog base bind BSD bye chunked close CLOSE_WAIT connect
  Content cookie CSV Defender DNS Docker EADDRINUSE ECONNREFUSED ECONNRESET EOF ETIMEDOUT excludedportrange exit FIN
  firewalld GET hex Hello HTTP Hyper ICMP in incqlen inet int ip IP ipc iptables ipv IPv JSON kern KiB Lab Lan
  Length libuv Lines Linux listen ListenOverflows MAC macOS MATCH maxdgram maxqlen MiB nc net netsh netstat nft nick
  Node OUI overflows proc protocol Python qlen queue RcvbufErrors recv recvfrom REPLY root RST send sendto seq setsockopt
  show shutdown SHUT_WR SO_BROADCAST SOL_SOCKET SO_REUSEADDR SO_REUSEPORT Socket socket somaxconn stale sudo SYN
  SYN_RECV SYN_SENT sysctl tcp TCP TIME_WAIT udp UDP ufw UNKNOWN use Welcome Windows WinError WSAECONNABORTED
  WSAECONNREFUSED WSAECONNRESET WSL XNU ConnectionResetError
  AF_INET OSError SOCK_DGRAM SOCK_STREAM Michael Sarah Tracy Host UTF Thread threading utf addr data b Accept
  conn sock target tcplink args while True break Connection
  systemd resolved resolvectl status ipconfig all reachable delay probe failed incomplete permanent noarp dynamic static
  SYN_SEND
  Administrators ChmodBPF Debian Install Npcap Restrict Support USER Ubuntu Wireshark aG access access_bpf apt bpf brew
  capture cask chmodbpf common dev dpkg driver dumpcap install lab loopback only reconfigure tcpdump to traffic usermod
  wireshark
  ICMPv MSS MTU TTL any cooked eth lo pcapng ping
  TLS PEM pem ssl create_default_context cafile tls ca CA SHA insecure subjectAltName wrap_socket system https HTTPS http Protocols Pre Master Secret log filename openssl req
  ID URL com dig getaddrinfo hosts jd server www lab DNS TCP UDP IPv MAC ARP HTTP
  Electron BoringSSL`.split(/\s+/),
)

/** Every Latin word of `text`, placeholders ({name}) left out. */
const latin = (text: string): string[] =>
  [
    ...text
      .replace(/\{[a-zA-Z]+\}/g, '')
      .replace(/\\[nrt]/g, ' ')
      .matchAll(/[A-Za-z][A-Za-z_]+/g),
  ].map((m) => m[0])

function catalogStrings(o: unknown, path: string, out: [string, string][]): [string, string][] {
  if (typeof o === 'string') out.push([path, o])
  else if (o && typeof o === 'object') for (const [k, v] of Object.entries(o)) catalogStrings(v, `${path}.${k}`, out)
  return out
}

function exerciseProse(ex: Exercise): [string, string][] {
  const out: [string, string][] = [
    [`${ex.id}.title`, ex.title['zh-CN']],
    [`${ex.id}.task`, ex.task['zh-CN']],
  ]
  for (const c of ex.checks) {
    out.push([`${ex.id}.${c.id}.hint`, c.hint['zh-CN']])
    if (c.title) out.push([`${ex.id}.${c.id}.title`, c.title['zh-CN']])
  }
  for (const [k, l] of Object.entries(ex.params.lists)) if (l.label) out.push([`${ex.id}.lists.${k}`, l.label['zh-CN']])
  const skeleton = ex.skeleton && !Array.isArray(ex.skeleton) ? ex.skeleton['zh-CN'] : []
  // the starter code is code; its comments are prose
  skeleton.forEach((l, i) => {
    const comment = /#(.*)$/.exec(l)?.[1]
    if (comment) out.push([`${ex.id}.skeleton[${i}]`, comment])
  })
  return out
}

const dir = 'src/main/engine/checker/exercises'
const exercises = readdirSync(dir).map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as Exercise)

describe('zh-CN text', () => {
  it('has no English word outside code, protocol and product names', () => {
    const texts = [...catalogStrings(zhCN, 'zh-CN', []), ...exercises.flatMap(exerciseProse)]
    const leaks = texts.flatMap(([path, text]) =>
      latin(text)
        .filter((w) => !ALLOWED.has(w))
        .map((w) => `${path}: ${w}`),
    )
    expect(leaks).toEqual([])
  })

  it('uses full-width punctuation around Chinese words: no "半关闭 (FIN)", no ASCII "; " or ": " after Chinese', () => {
    const mixed = catalogStrings(zhCN, 'zh-CN', []).filter(([, text]) =>
      /[\u4e00-\u9fff] ?\([^)]*\)(?![\w.])|[\u4e00-\u9fff]; |[\u4e00-\u9fff]: /.test(text.replace(/\w+\([^)]*\)/g, '')),
    )
    expect(mixed.map(([path]) => path)).toEqual([])
  })

  it('finds a leak where there is one', () => {
    const leaks = latin('本次发送的 names：{name}').filter((w) => !ALLOWED.has(w))
    expect(leaks).toEqual(['names'])
  })

  it('names every built-in check and list, and gives the starter code Chinese comments', () => {
    for (const ex of exercises) {
      for (const c of ex.checks) expect(c.title?.['zh-CN'], `${ex.id}.${c.id}`).toMatch(/[\u4e00-\u9fff]/)
      for (const [k, l] of Object.entries(ex.params.lists)) expect(l.label?.['zh-CN'], `${ex.id}.${k}`).toBeTruthy()
      if (ex.skeleton) expect(Array.isArray(ex.skeleton), ex.id).toBe(false)
      expect(ex.task['zh-CN']).not.toMatch(/教程 ?\d{3}/)
    }
  })
})
