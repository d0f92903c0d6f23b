/**
 * Run inside a network namespace of its own (test/main/engine/backlog/limbo.test.ts starts it
 * with `unshare --net`): the backlog demo's server, and a Python client whose final handshake
 * ACK an nft rule drops on the way in. The client is ESTABLISHED; the server keeps the
 * connection in SYN_RECV and never queues it: the limbo a full accept queue causes, made to
 * order. Prints one JSON line: the client's port and what the engine's queue readings said.
 */
import { spawnSync } from 'node:child_process'
import type { LabEvent } from '../../src/shared/contract'
import { SocketEngine } from '../../src/main/engine/engine'
import { startPython } from './python'

async function main(): Promise<void> {
  spawnSync('ip', ['link', 'set', 'lo', 'up'])
  const events: LabEvent[] = []
  const engine = new SocketEngine((_o, ev) => events.push(ev))
  const s = await engine.backlog.listen('o', {
    host: '127.0.0.1',
    port: 0,
    backlog: 2,
    reply: 'echo',
    serveMs: 0,
    encoding: 'utf-8',
  })
  const port = s.local!.port
  const clientPort = 40000 + (process.pid % 20000)
  const nft = (rules: string): void => {
    const r = spawnSync('nft', ['-f', '-'], { input: rules, encoding: 'utf8' })
    if (r.status !== 0) throw new Error(`nft: ${r.stderr}`)
  }
  nft(`table inet limbo {
  chain input { type filter hook input priority 0; tcp sport ${clientPort} tcp dport ${port} tcp flags == ack drop; }
}`)
  const py = startPython(
    `import socket, time\ns = socket.socket()\ns.bind(('127.0.0.1', ${clientPort}))\ns.connect(('127.0.0.1', ${port}))\nprint('connected', flush=True)\ntime.sleep(5)\n`,
  )
  const deadline = Date.now() + 4000
  let synRecv: number[] | undefined
  while (Date.now() < deadline) {
    const q = events.filter((e): e is Extract<LabEvent, { kind: 'queue' }> => e.kind === 'queue').at(-1)
    if (q?.synRecv?.includes(clientPort)) {
      synRecv = q.synRecv
      break
    }
    await new Promise((r) => setTimeout(r, 50))
  }
  const accepted = events.some((e) => e.kind === 'connection')
  const kernel = events.filter((e): e is Extract<LabEvent, { kind: 'queue' }> => e.kind === 'queue').at(-1)?.kernel
  py.stop()
  await py.exited
  await engine.closeAll()
  process.stdout.write(JSON.stringify({ clientPort, synRecv, accepted, kernel, pythonSaid: py.output().trim() }) + '\n')
}

void main().catch((e: unknown) => {
  process.stderr.write(`${String(e)}\n`)
  process.exit(1)
})
