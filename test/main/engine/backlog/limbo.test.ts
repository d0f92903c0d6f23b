/**
 * The limbo a full accept queue causes (client ESTABLISHED, server SYN_RECV: its final ACK was
 * dropped), made to order in a network namespace of the test's own, where an nft rule drops that
 * ACK: the backlog demo's kernel reading names the client, and the server never queues it.
 * Linux, root (for the namespace and nft) and nft installed: CI is all three.
 */
import { spawnSync } from 'node:child_process'
import { createRequire } from 'node:module'
import { describe, expect, it } from 'vitest'

const can =
  process.platform === 'linux' &&
  process.getuid?.() === 0 &&
  spawnSync('nft', ['--version']).status === 0 &&
  spawnSync('unshare', ['--net', 'true']).status === 0
if (!can && process.env['CI'] && process.platform === 'linux') throw new Error('CI must run as root with nft installed')
const tsx = createRequire(import.meta.url).resolve('tsx')

describe.skipIf(!can)('the SYN_RECV limbo, in a namespace of its own', () => {
  it('a client whose final ACK the server never got: named by the queue reading, never accepted', () => {
    // The namespace (and the nft table in it) goes with the process: nothing is left behind.
    const r = spawnSync('unshare', ['--net', process.execPath, '--import', tsx, 'test/support/limbo-run.ts'], {
      encoding: 'utf8',
      timeout: 20_000,
    })
    expect(r.status, r.stderr).toBe(0)
    const out = JSON.parse(r.stdout) as {
      clientPort: number
      synRecv?: number[]
      accepted: boolean
      kernel: number | null
      pythonSaid: string
    }
    expect(out.pythonSaid).toBe('connected') // the client's connect() returned: it believes it is connected
    expect(out.synRecv).toEqual([out.clientPort])
    expect(out.accepted).toBe(false)
    expect(out.kernel).toBe(0) // not in the accept queue
  })
})
