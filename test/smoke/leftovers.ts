/**
 * What a quit must not leave behind: processes (the app and every helper it started) and
 * sockets (a listener or a connection still owned by someone on the lab's ports).
 * Works on Linux, macOS and Windows, so the release workflow's smoke test can use it.
 */
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { readOsSockets } from '../../src/main/engine/inspector/os-sockets'

const run = promisify(execFile)

/** pid -> parent pid of every process of the machine. */
async function processTable(): Promise<Map<number, number>> {
  const text =
    process.platform === 'win32'
      ? (
          await run('powershell', [
            '-NoProfile',
            '-Command',
            'Get-CimInstance Win32_Process | ForEach-Object { "$($_.ProcessId) $($_.ParentProcessId)" }',
          ])
        ).stdout
      : (await run('ps', ['-A', '-o', 'pid=,ppid='])).stdout
  const table = new Map<number, number>()
  for (const line of text.split(/\r?\n/)) {
    const [pid, ppid] = line.trim().split(/\s+/).map(Number)
    if (pid && ppid !== undefined && !Number.isNaN(ppid)) table.set(pid, ppid)
  }
  return table
}

/** A process and all its descendants, now. */
export async function processTree(root: number): Promise<number[]> {
  const table = await processTable()
  const tree = [root]
  for (let i = 0; i < tree.length; i++) {
    for (const [pid, ppid] of table) if (ppid === tree[i] && !tree.includes(pid)) tree.push(pid)
  }
  return tree
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** States in which a socket still belongs to a process (the rest are the kernel's to finish). */
const OWNED = new Set(['LISTEN', 'SYN_SENT', 'ESTABLISHED', 'CLOSE_WAIT', 'UNCONN', 'CONNECTED'])

/** Descriptions of what is still there: live processes of `pids`, owned sockets on `ports`. */
export async function leftovers(pids: readonly number[], ports: readonly number[]): Promise<string[]> {
  const left = pids.filter(alive).map((pid) => `process ${pid} still running`)
  const wanted = new Set(ports)
  const table = await readOsSockets(process.platform, wanted)
  for (const row of table.rows) {
    if (!OWNED.has(row.state)) continue
    if (!wanted.has(row.local.port) && !wanted.has(row.remote.port)) continue
    left.push(
      `${row.proto} ${row.local.address}:${row.local.port} -> ${row.remote.address}:${row.remote.port} ${row.state}`,
    )
  }
  return left
}

/** Polls until nothing is left or the time is up; returns what is left. */
export async function settle(pids: readonly number[], ports: readonly number[], ms = 10_000): Promise<string[]> {
  const end = Date.now() + ms
  for (;;) {
    const left = await leftovers(pids, ports)
    if (left.length === 0 || Date.now() > end) return left
    await new Promise((r) => setTimeout(r, 200))
  }
}
