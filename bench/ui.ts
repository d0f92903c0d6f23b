/**
 * `npm run bench:ui`: the UI under load, in Chromium on the browser preview (real sockets).
 * Backlog demo: 1,000 app-spawned clients against listen(128), each served briefly, tracked in
 * the UI; UDP: 100,000 datagrams/s for 10 s into a socket bound from the UI (with the OS's
 * default receive buffer, then 4 MiB); the Classroom: 30 students' servers checked at once
 * (bench/ui-classroom.ts). Frame durations are recorded in the page by
 * requestAnimationFrame.
 * Needs a built renderer (npm run build) and Chromium.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { gzipSync } from 'node:zlib'
import type { Browser, Page } from 'playwright-core'
import { findChromium, launchChromium, setUpBacklog, startBuiltPreview } from '../test/support/browser'
import type { SocketEngine } from '../src/main/engine/engine'
import { runUdpSender } from './udp'
import { classroomBench } from './ui-classroom'
import { packetsBench } from './ui-packets'

const quick = process.argv.includes('--quick')
/** What makes the run exit non-zero: counts that disagree (not speeds, which only print). */
const failures: string[] = []
const CLIENTS = quick ? 200 : 1000

// Page scripts are strings: tsx's name-keeping helpers do not exist inside the page.
const RECORD_FRAMES = `(() => {
  window.__frames = []
  let last = performance.now()
  window.__t0 = performance.now()
  window.__slow = []
  window.__long = []
  new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__long.push([Math.round(e.startTime - window.__t0), Math.round(e.duration)]) }).observe({ type: 'longtask' })
  const loop = (t) => { const d = t - last; window.__frames.push(d); if (d > 100) window.__slow.push(Math.round(last - window.__t0)); last = t; requestAnimationFrame(loop) }
  requestAnimationFrame(loop)
})()`
const FRAME_STATS = `(() => {
  const f = [...window.__frames].slice(1).sort((a, b) => a - b)
  const mem = performance.memory
  return {
    frames: f.length,
    p95: f[Math.floor(f.length * 0.95)] ?? 0,
    max: f.at(-1) ?? 0,
    over100: f.filter((x) => x > 100).length,
    heapMB: mem ? mem.usedJSHeapSize / 1024 / 1024 : NaN,
    slowAt: window.__slow,
    long: window.__long,
  }
})()`
const COUNT_DONE = `Number(document.querySelector('[data-testid="client-dots"]')?.dataset.done ?? 0)`

type Stats = {
  frames: number
  p95: number
  max: number
  over100: number
  heapMB: number
  slowAt: number[]
  /** Long tasks on the renderer's main thread: [start ms after the click, duration ms]. */
  long: [number, number][]
}
const startFrameRecorder = (page: Page): Promise<void> => page.evaluate(RECORD_FRAMES)
const frameStats = (page: Page): Promise<Stats> => page.evaluate(FRAME_STATS)

async function backlogBench(page: Page): Promise<void> {
  await setUpBacklog(page, { backlog: 128, serveMs: 2, clients: CLIENTS, timeoutMs: 60_000 })
  await startFrameRecorder(page)
  const t0 = Date.now()
  await page.getByTestId('backlog-add').click()
  const cards = page.getByTestId('backlog-client')
  let done = 0
  while (Date.now() - t0 < 90_000) {
    done = await page.evaluate<number>(COUNT_DONE)
    if (done >= CLIENTS) break
    await page.waitForTimeout(250)
  }
  const secs = (Date.now() - t0) / 1000
  const s = await frameStats(page)
  console.log(`Backlog demo in the preview: ${CLIENTS} clients against listen(128), served 2 ms each`)
  console.log(
    `  ${done}/${CLIENTS} done in ${secs.toFixed(1)} s (${await cards.count()} full cards, every client in the grid)`,
  )
  console.log(
    `  frames ${s.frames}: p95 ${s.p95.toFixed(1)} ms, max ${s.max.toFixed(1)} ms, ${s.over100} over 100 ms (target: none)`,
  )
  console.log(`  renderer JS heap ${s.heapMB.toFixed(0)} MiB`)
  if (s.slowAt.length) console.log(`  slow frames began at (ms after the click): ${s.slowAt.join(', ')}`)
  reportLongTasks(s)
}

/**
 * The backlog demo's floor, side by side: the same server and 1,000 clients in the same engine,
 * with no page showing them (a blank page records its frames). Slow frames here are the
 * machine's (engine, accept helper, Chromium sharing the cores), not the panel's.
 */
async function backlogFloor(page: Page, engine: SocketEngine): Promise<void> {
  const owner = 'bench-floor'
  const server = await engine.backlog.listen(owner, {
    host: '127.0.0.1',
    port: 0,
    backlog: 128,
    reply: 'echo',
    serveMs: 2,
    encoding: 'utf-8',
  })
  await page.goto('about:blank')
  await startFrameRecorder(page)
  const t0 = Date.now()
  for (let i = 0; i < CLIENTS; i++) {
    engine.tcp.connect(owner, { host: '127.0.0.1', port: server.local!.port, timeoutMs: 60_000, greeting: 'hello' })
  }
  // Served and gone: no connection left on the server's side, no client still dialling or open.
  const waiting = (): number =>
    engine
      .list(owner)
      .filter((i) => i.kind === 'tcp-conn' || (i.kind === 'tcp-client' && /^(connecting|open)$/.test(i.state))).length
  while (waiting() > 0 && Date.now() - t0 < 90_000) await page.waitForTimeout(250)
  const secs = (Date.now() - t0) / 1000
  const s = await frameStats(page)
  await engine.closeOwner(owner)
  console.log(
    `  floor (the same ${CLIENTS} clients, nothing shown, blank page): ${CLIENTS - waiting()}/${CLIENTS} done in ${secs.toFixed(1)} s, frames ${s.frames}, p95 ${s.p95.toFixed(1)} ms, max ${s.max.toFixed(1)} ms, ${s.over100} over 100 ms`,
  )
}

/** Whether slow frames were the page's own work (long tasks) or the machine's (none). */
function reportLongTasks(s: Stats): void {
  const over100 = s.long.filter(([, d]) => d > 100)
  const busy = s.long.reduce((n, [, d]) => n + d, 0)
  console.log(
    `  renderer main-thread long tasks (> 50 ms): ${s.long.length}, ${over100.length} over 100 ms, ${busy} ms in all` +
      (over100.length ? ` (longest ${Math.max(...over100.map(([, d]) => d))} ms)` : ''),
  )
}

const UDP_RATE = 100_000
const UDP_SECONDS = quick ? 3 : 10
const LOG_CAPACITY = 10_000 // the default log size (settings)
const MiB = 1024 * 1024

/**
 * 100,000 events/s for 10 s (issue 7): datagrams into a UDP socket bound from the UI, each an
 * event in the engine. Targets: frame p95 < 32 ms, no frame > 100 ms, renderer heap < 200 MB,
 * the log bounded, the counters exact.
 */
async function udpBench(page: Page, engineBytesIn: () => number, recvBufferBytes: number): Promise<void> {
  await page.getByTestId('tab-udp').click()
  await page.getByTestId('udp-recv-buffer').fill(String(recvBufferBytes))
  await page.getByTestId('udp-bind').click()
  const card = page.getByTestId('udp-socket').first()
  const port = Number((await card.getByTestId('udp-local').textContent())!.split(':').at(-1))
  await startFrameRecorder(page)
  const loop = loopDelay()
  const t0 = Date.now()
  const sent = await runUdpSender(port, UDP_SECONDS * 1000, UDP_RATE)
  const secs = (Date.now() - t0) / 1000
  const delay = loop.stop()
  await page.waitForTimeout(500)
  const s = await frameStats(page)
  const shown = await card.locator('header .muted').last().textContent()
  const bytesIn = Number(/In (\d+)/.exec(shown ?? '')?.[1] ?? NaN)
  const logText = (await page.getByTestId('log-count').textContent()) ?? ''
  const kept = Math.max(
    ...[...logText.matchAll(/\d+/g)]
      .map((m) => Number(m[0]))
      .filter((n) => n <= 1e7)
      .slice(0, 2),
  )
  const buffer = recvBufferBytes ? `a ${recvBufferBytes / MiB} MiB receive buffer` : "the OS's default receive buffer"
  console.log(
    `UDP in the preview: ${UDP_RATE} datagrams/s offered for ${UDP_SECONDS} s (${sent} sent, 64 bytes each), ${buffer}`,
  )
  const engine = engineBytesIn() / 64
  // Not a speed but a count: the card must show exactly what the engine took in (CI fails on it).
  if (engine !== bytesIn / 64) failures.push(`UDP card shows ${bytesIn / 64} datagrams, the engine received ${engine}`)
  console.log(
    `  the engine received ${engine} (${(engine / secs / 1000).toFixed(0)} k events/s), the card shows ${bytesIn / 64} (${engine === bytesIn / 64 ? 'exact' : 'MISMATCH'}); the kernel dropped the rest`,
  )
  const ok = (b: boolean): string => (b ? 'met' : 'NOT met')
  console.log(
    `  frames ${s.frames}: p95 ${s.p95.toFixed(1)} ms (target < 32: ${ok(s.p95 < 32)}), max ${s.max.toFixed(1)} ms, ${s.over100} over 100 ms (target: none, ${ok(s.over100 === 0)})`,
  )
  console.log(`  renderer JS heap ${s.heapMB.toFixed(0)} MiB (target < 200: ${ok(s.heapMB < 200)})`)
  console.log(`  log: "${logText.trim()}" (bounded at ${LOG_CAPACITY}: ${ok(kept <= LOG_CAPACITY)})`)
  reportLongTasks(s)
  console.log(
    `  the engine's event loop (its process, as Electron's main would be): delay p50 ${delay.p50.toFixed(1)} ms, p99 ${delay.p99.toFixed(1)} ms, max ${delay.max.toFixed(1)} ms (one frame: 16.7 ms)`,
  )
}

/**
 * How late the engine's process runs its callbacks under the flood: in the desktop app the engine
 * shares Electron's main thread with window moves, input routing and dialogs, so a delay p99 over
 * one frame (16.7 ms) would be felt there (docs/architecture.md: where the engine runs).
 */
function loopDelay(): { stop(): { p50: number; p99: number; max: number } } {
  const h = monitorEventLoopDelay({ resolution: 5 })
  h.enable()
  return {
    stop() {
      h.disable()
      return { p50: h.percentile(50) / 1e6, p99: h.percentile(99) / 1e6, max: h.max / 1e6 }
    },
  }
}

/**
 * The floor, side by side: the same flood into an engine socket (4 MiB buffer) that no page shows, while the
 * page is blank. Frames here are what the machine allows (sender, engine, Chromium share it).
 */
async function udpFloor(page: Page, engine: SocketEngine): Promise<void> {
  const sock = await engine.udp.bind('bench-floor', { host: '127.0.0.1', port: 0, recvBufferBytes: 4 * MiB })
  await page.goto('about:blank')
  await startFrameRecorder(page)
  const loop = loopDelay()
  await runUdpSender(sock.local!.port, UDP_SECONDS * 1000, UDP_RATE)
  const delay = loop.stop()
  const s = await frameStats(page)
  engine.close('bench-floor', sock.id)
  console.log(
    `  floor (same flood, nothing shown, blank page): frames ${s.frames}, p95 ${s.p95.toFixed(1)} ms, ${s.over100} over 100 ms; engine loop delay p99 ${delay.p99.toFixed(1)} ms`,
  )
}

/**
 * Start-up: the renderer bundle as shipped (raw and gzip), and the time to first contentful
 * paint and to a ready app in the preview, side by side with a blank page's first paint (the
 * browser's own floor), alternating, medians of five.
 */
async function startupBench(browser: Browser, url: string): Promise<void> {
  const dir = 'out/renderer'
  const files = [
    `${dir}/index.html`,
    ...readdirSync(`${dir}/assets`)
      .filter((f) => /\.(js|css)$/.test(f))
      .map((f) => `${dir}/assets/${f}`),
  ]
  let raw = 0
  let gz = 0
  for (const f of files) {
    const b = readFileSync(f)
    raw += b.length
    gz += gzipSync(b, { level: 9 }).length
  }
  const FCP = `performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN`
  // the JavaScript fetched before the app's first render (the entry, its preloads, the language
  // shown); the first paint itself is the page's shell, before any script
  const beforeReady = (t: number): string =>
    `performance.getEntriesByType('resource').filter((e) => e.name.endsWith('.js') && e.responseEnd <= ${t}).reduce((n, e) => n + e.encodedBodySize, 0)`
  const beforePaint: number[] = []
  const app: number[] = []
  const ready: number[] = []
  const blank: number[] = []
  for (let i = 0; i < 5; i++) {
    const p = await browser.newPage({ viewport: { width: 1280, height: 900 } })
    await p.goto('data:text/html,<!doctype html><title>blank</title><p>Socket Lab</p>')
    await p.waitForFunction(`!Number.isNaN(${FCP})`)
    blank.push(await p.evaluate<number>(FCP))
    await p.close()
    const q = await browser.newPage({ viewport: { width: 1280, height: 900 } })
    await q.goto(url)
    await q.locator('.app[data-ready="true"]').waitFor()
    ready.push(await q.evaluate<number>('performance.now()'))
    // fetched before the app marked itself ready (the idle prefetch starts after that mark)
    const readyAt = await q.evaluate<number>(
      `performance.getEntriesByName('socket-lab:ready')[0]?.startTime ?? performance.now()`,
    )
    beforePaint.push(await q.evaluate<number>(beforeReady(readyAt)))
    await q.waitForFunction(`!Number.isNaN(${FCP})`)
    app.push(await q.evaluate<number>(FCP))
    await q.close()
  }
  // the first switch to each tab, once the page has been idle a moment (its chunks prefetched)
  const tabs = ['backlog', 'udp', 'inspector', 'addresses', 'classroom', 'packets']
  const firstSwitch: Record<string, number> = {}
  const s = await browser.newPage({ viewport: { width: 1280, height: 900 } })
  await s.goto(url)
  await s.locator('.app[data-ready="true"]').waitFor()
  await s.waitForTimeout(2000)
  for (const tab of tabs) {
    const t0 = await s.evaluate<number>('performance.now()')
    await s.getByTestId(`tab-${tab}`).click()
    await s.getByTestId(`${tab}-panel`).waitFor()
    firstSwitch[tab] = (await s.evaluate<number>('performance.now()')) - t0
  }
  await s.close()
  const med = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
  console.log(`Start-up in the preview (median of 5, alternating with a blank page):`)
  console.log(
    `  renderer bundle ${(raw / 1024).toFixed(0)} KiB, ${(gz / 1024).toFixed(0)} KiB gzip (${files.length} files)`,
  )
  console.log(
    `  first contentful paint ${med(app).toFixed(0)} ms (blank page ${med(blank).toFixed(0)} ms), ready ${med(ready).toFixed(0)} ms`,
  )
  console.log(`  ratio app/blank first paint ${(med(app) / med(blank)).toFixed(2)} (target ≤ 2.0)`)
  console.log(
    `  JavaScript before the app's first render ${(med(beforePaint) / 1024).toFixed(0)} KiB (target ≤ 250; the first paint is the shell's, before any script)`,
  )
  console.log(
    `  first switch to each tab (after 2 s idle): ${Object.entries(firstSwitch)
      .map(([k, v]) => `${k} ${v.toFixed(0)} ms`)
      .join(', ')}`,
  )
}

async function main(): Promise<void> {
  const chromiumPath = findChromium()
  if (!chromiumPath) throw new Error('no Chromium found (set CHROMIUM_PATH)')
  const preview = await startBuiltPreview()
  const browser = await launchChromium(chromiumPath)
  try {
    await startupBench(browser, preview.url)
    if (process.argv.includes('--startup-only')) return
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
    await page.goto(preview.url)
    await page.locator('.app[data-ready="true"]').waitFor()
    if (!['--udp-only', '--backlog-only', '--packets-only'].some((a) => process.argv.includes(a))) {
      await classroomBench(page, { start: startFrameRecorder, stats: frameStats })
      if (process.argv.includes('--classroom-only')) return
      await page.goto(preview.url)
      await page.locator('.app[data-ready="true"]').waitFor()
    }
    if (process.argv.includes('--packets-only') || !process.argv.some((a) => a.endsWith('-only'))) {
      await page.goto(preview.url)
      await page.locator('.app[data-ready="true"]').waitFor()
      failures.push(...(await packetsBench(page, { start: startFrameRecorder, stats: frameStats }, quick)))
      if (process.argv.includes('--packets-only')) return
      await page.goto(preview.url)
      await page.locator('.app[data-ready="true"]').waitFor()
    }
    if (!process.argv.includes('--udp-only')) {
      await backlogBench(page)
      await backlogFloor(page, preview.engine)
    }
    if (process.argv.includes('--backlog-only')) return
    // As a user binds it (the OS's default buffer), then with 4 MiB: a short pause of the
    // engine's process then costs the kernel fewer drops, so the page is offered more.
    for (const recvBufferBytes of [0, 4 * MiB]) {
      await page.goto(preview.url)
      await page.locator('.app[data-ready="true"]').waitFor()
      const bytesIn = (): number => preview.engine.list().reduce((n, i) => n + (i.kind === 'udp' ? i.bytesIn : 0), 0)
      const before = bytesIn()
      await udpBench(page, () => bytesIn() - before, recvBufferBytes)
    }
    await udpFloor(page, preview.engine)
  } finally {
    await browser.close()
    await preview.close()
  }
}

main().then(
  () => {
    for (const f of failures) console.log(`FAILED: ${f}`)
    if (failures.length) process.exitCode = 1
  },
  (e: unknown) => {
    console.error(e)
    process.exit(1)
  },
)
