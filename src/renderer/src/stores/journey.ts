/**
 * Seed 000's journey for real: DNS (a query the engine sends, with getaddrinfo beside it), the
 * route, the next hop's MAC, the TCP connect (a lab socket: the inspector and the capture see it),
 * TLS for https, the HTTP GET and its answer, the close. Each step keeps its evidence; a step that
 * fails stops the journey there. Also the classroom DNS server, and what it answered.
 */
import { defineStore } from 'pinia'
import { ref, shallowRef, watch } from 'vue'
import type { DnsEvent, DnsQueryRes, DnsServeRes, LabError, NeighborRow, RouteDecision } from '../../../shared/contract'
import { base64ToBytes } from '../../../shared/codec'
import { httpGetRequest, splitHttp, type HttpResponse } from '../../../shared/http'
import { getApi } from '../api'
import { parseTarget, type JourneyStepName, type Target } from '../lib/journey'
import { useLabStore } from './lab'

export interface JourneyStep {
  step: JourneyStepName
  /** undefined while it runs */
  ok?: boolean
  error?: LabError
  dns?: DnsQueryRes & { address?: string; skipped?: boolean; problem?: 'noA' | 'rcode' }
  route?: RouteDecision
  arp?: { ip: string; loopback: boolean; before: string | null; after?: string | null }
  tcp?: { socket: string; ms: number }
  http?: { res: HttpResponse; bytes: number }
}

const WAIT_MS = 15_000
const TAG = 'journey'

export const useJourneyStore = defineStore('journey', () => {
  const api = getApi()
  const lab = useLabStore()
  const steps = ref<JourneyStep[]>([])
  const running = ref(false)
  const target = shallowRef<Target>()
  const badUrl = ref(false)
  const socket = ref<string>()

  /** Resolves once `pred` holds for the journey's socket view (or `ms` passes: false). */
  function until(id: string, pred: () => boolean, ms = WAIT_MS): Promise<boolean> {
    if (pred()) return Promise.resolve(true)
    return new Promise((resolve) => {
      const timer = setTimeout(() => (stop(), resolve(false)), ms)
      const stop = watch(
        () => [lab.version, lab.sockets.get(id)?.info.state],
        () => {
          if (!pred()) return
          clearTimeout(timer)
          stop()
          resolve(true)
        },
      )
    })
  }

  function begin(step: JourneyStepName): JourneyStep {
    steps.value.push({ step })
    return steps.value[steps.value.length - 1]!
  }

  async function neighbor(ip: string): Promise<NeighborRow | undefined> {
    const r = await api.osNeighbors()
    return r.ok ? r.data.rows.find((x) => x.ip === ip && x.mac) : undefined
  }

  async function run(typed: string, opts: { dnsServer?: string; insecure?: boolean } = {}): Promise<void> {
    const t = parseTarget(typed)
    badUrl.value = !t
    if (!t || running.value) return
    target.value = t
    steps.value = []
    socket.value = undefined
    running.value = true
    try {
      await journey(t, opts)
    } finally {
      running.value = false
    }
  }

  async function journey(t: Target, opts: { dnsServer?: string; insecure?: boolean }): Promise<void> {
    // 1. DNS
    const dns = begin('dns')
    let address = t.host
    if (t.isAddress) {
      dns.dns = { servers: [], exchanges: [], skipped: true, address }
      dns.ok = true
    } else {
      const server = opts.dnsServer?.trim()
      const r = await api.dnsQuery({ name: t.host, type: 'A', lookup: true, ...(server ? { server } : {}) })
      if (!r.ok) return void Object.assign(dns, { ok: false, error: r })
      const last = r.data.exchanges.at(-1)?.message
      const a = last?.answers.find((x) => x.type === 'A')
      dns.dns = { ...r.data, ...(a ? { address: a.data } : { problem: last?.rcode === 'NOERROR' ? 'noA' : 'rcode' }) }
      if (!a) return void (dns.ok = false)
      address = a.data
      dns.ok = true
    }
    // 2. the route
    const route = begin('route')
    const rr = await api.routeGet({ host: address })
    if (!rr.ok) return void Object.assign(route, { ok: false, error: rr })
    route.route = rr.data
    route.ok = true
    // 3. ARP: the next hop's MAC now (and again after the connect: the first packet makes ARP ask)
    const arp = begin('arp')
    const loopback = rr.data.loopback
    arp.arp = {
      ip: rr.data.nextHop,
      loopback,
      before: loopback ? null : ((await neighbor(rr.data.nextHop))?.mac ?? null),
    }
    if (loopback || arp.arp.before) arp.ok = true
    // 4. TCP (with the GET as its greeting: sent once connected, after TLS for https)
    const tcp = begin('tcp')
    const host = t.port === (t.https ? 443 : 80) ? t.host : `${t.host}:${t.port}`
    const greeting = httpGetRequest(host, t.path).replace(/\r?\n/g, '\r\n')
    const tls = t.https
      ? {
          tls: {
            trust: opts.insecure ? ('insecure' as const) : ('verify' as const),
            alpn: ['http/1.1'],
            ...(t.isAddress ? {} : { servername: t.host }),
          },
        }
      : {}
    const c = await lab.connect({ host: address, port: t.port, greeting, capture: true, ...tls }, TAG)
    if (!c.ok) return void Object.assign(tcp, { ok: false, error: c })
    const id = (socket.value = c.data.id)
    const view = () => lab.sockets.get(id)
    const t0 = performance.now()
    await until(id, () => !!view()?.times.connected || !!view()?.error || view()?.info.state === 'closed')
    const failed = (s: JourneyStep): void => {
      const e = view()?.error
      Object.assign(s, { ok: false, ...(e ? { error: { code: e.code, message: e.message } } : {}) })
    }
    if (!view()?.times.connected) return failed(tcp)
    tcp.tcp = {
      socket: id,
      ms: Math.max(0, Math.round(view()!.times.connected! - view()!.times.created || performance.now() - t0)),
    }
    tcp.ok = true
    if (!loopback && !arp.ok) {
      arp.arp = { ...arp.arp, after: (await neighbor(rr.data.nextHop))?.mac ?? null }
      arp.ok = !!arp.arp.after
    }
    // 5. TLS
    if (t.https) {
      const s = begin('tls')
      await until(id, () => !!view()?.tls || !!view()?.error || view()?.info.state === 'closed')
      if (!view()?.tls) return failed(s)
      s.ok = view()!.tls!.authorized || opts.insecure === true
    }
    // 6. HTTP: recv() until b''
    const http = begin('http')
    await until(id, () => ['peer-ended', 'closed'].includes(view()?.info.state ?? ''), 30_000)
    const got = await lab.received(id)
    if (!got.ok) return void Object.assign(http, { ok: false, error: got })
    const res = splitHttp(base64ToBytes(got.data.data))
    http.http = { res, bytes: got.data.bytes }
    http.ok = !!res.status
    if (!http.ok) return
    // 7. close
    const close = begin('close')
    if (view()?.info.state !== 'closed') await lab.close(id)
    close.ok = await until(id, () => view()?.info.state === 'closed', 5000)
  }

  // The classroom DNS server
  const server = shallowRef<DnsServeRes>()
  const serverError = ref<LabError>()
  const served = ref<DnsEvent[]>([])
  lab.onDns((ev) => {
    served.value = [ev, ...served.value].slice(0, 50)
  })
  async function serve(host: string, port: number, records: string[]): Promise<void> {
    const r = await api.dnsServe({ host, port, records })
    serverError.value = r.ok ? undefined : r
    server.value = r.ok ? r.data : undefined
  }
  async function stopServing(): Promise<void> {
    await api.dnsStop()
    server.value = undefined
  }

  return { steps, running, target, badUrl, socket, run, server, serverError, served, serve, stopServing }
})
