/**
 * "capture, live": the engine under the UI bench's UDP flood (100,000 datagrams/s offered on
 * loopback) while it captures that socket's packets, side by side with the same flood and no
 * capture, alternating. Printed: the datagrams the engine took in with capture on against off
 * (it keeps up: ratio near 1), and the packets the capture counted (listed one by one, or folded
 * into counts) against the datagrams received (every packet counted: ratio ≥ 1 less what tcpdump
 * itself drops, which it says).
 * Needs Linux, root and tcpdump; says why when it cannot run.
 */
import { spawnSync } from 'node:child_process'
import { benchEngine, OWNER } from './engine'
import { runUdpSender } from './udp'

const RATE = 100_000

async function round(
  capture: boolean,
  ms: number,
): Promise<{ sent: number; received: number; packets: number; listed: number; dropped: number }> {
  let received = 0
  let packets = 0
  let listed = 0
  let dropped = 0
  const b = benchEngine((ev) => {
    if (ev.kind === 'data') received++
    else if (ev.kind === 'packet') {
      packets++
      listed++
    } else if (ev.kind === 'packet-fold') {
      packets += ev.packets
      dropped += ev.dropped ?? 0
    }
  })
  try {
    const u = await b.engine.udp.bind(OWNER, { host: '127.0.0.1', port: 0, recvBufferBytes: 4 * 1024 * 1024 })
    if (capture) {
      const status = await b.engine.capture.capture(OWNER, { iface: 'lo' })
      if (status.state !== 'capturing') throw new Error(`capture ${status.state}`)
    }
    const sent = await runUdpSender(u.local!.port, ms, RATE)
    await new Promise((r) => setTimeout(r, 1200)) // the capturer's last block (1 s timeout)
    await b.engine.capture.stop(OWNER)
    return { sent, received, packets, listed, dropped }
  } finally {
    await b.close()
  }
}

/** The two ratios (received with capture / without; packets counted / datagrams received), or undefined. */
export async function liveCaptureBench(quick: boolean): Promise<{ keepUp: number; counted: number } | undefined> {
  const tcpdump = spawnSync('sh', ['-c', 'command -v tcpdump']).status === 0
  if (process.platform !== 'linux' || process.getuid?.() !== 0 || !tcpdump) {
    console.log('capture, live: not measured (needs Linux, root and tcpdump)')
    return undefined
  }
  const ms = quick ? 3000 : 10_000
  const off = await round(false, ms)
  const on = await round(true, ms)
  const keepUp = on.received / on.sent / (off.received / off.sent)
  const counted = on.packets / on.received
  console.log(
    `Capture, live: ${RATE.toLocaleString('en')} datagrams/s offered for ${ms / 1000} s into an engine socket:`,
  )
  console.log(
    `  received ${off.received.toLocaleString('en')} of ${off.sent.toLocaleString('en')} without capture, ` +
      `${on.received.toLocaleString('en')} of ${on.sent.toLocaleString('en')} while capturing: ratio ${keepUp.toFixed(2)} (keeps up: ≥ 0.8)`,
  )
  console.log(
    `  packets counted ${on.packets.toLocaleString('en')} (${on.listed.toLocaleString('en')} listed, the rest folded) ` +
      `for ${on.received.toLocaleString('en')} datagrams received: ratio ${counted.toFixed(2)} (every packet counted: ≥ 0.95); ` +
      `tcpdump says the kernel dropped ${on.dropped.toLocaleString('en')}`,
  )
  return { keepUp, counted }
}

if (process.argv[1]?.endsWith('capture-live.ts')) {
  liveCaptureBench(process.argv.includes('--quick')).then(
    (r) => {
      if (r && (r.keepUp < 0.8 || r.counted < 0.95)) process.exitCode = 1
    },
    (e: unknown) => {
      console.error(e)
      process.exit(1)
    },
  )
}
