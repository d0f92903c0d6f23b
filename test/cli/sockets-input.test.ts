/** `socket-lab sockets --input`: a table captured on another machine, as a student saves it. */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { runCli } from '../support/cli'

const cli = (args: string[], stdin?: Buffer) => runCli(['sockets', ...args], stdin ? { stdin } : {})
const lines = (out: string) =>
  out
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>)
const STATES = new Set([
  'LISTEN',
  'ESTABLISHED',
  'SYN_SENT',
  'SYN_RECV',
  'FIN_WAIT1',
  'FIN_WAIT2',
  'TIME_WAIT',
  'CLOSE',
  'CLOSE_WAIT',
  'LAST_ACK',
  'CLOSING',
  'UNCONN',
  'CONNECTED',
])

describe('socket-lab sockets --input', () => {
  it('a German Windows netstat saved in its code page: JSON rows with the course’s state names', async () => {
    const r = await cli(['--input', 'test/fixtures/netstat-samples/windows-de-4.cp850.txt', '--json'])
    expect(r.code, r.err).toBe(0)
    const all = lines(r.out)
    const rows = all.filter((l) => l['event'] === 'socket')
    expect(all.at(-1)).toEqual({
      event: 'parsed',
      format: 'windows',
      encoding: 'cp850',
      rows: rows.length,
      unrecognized: [],
    })
    expect(rows.every((row) => STATES.has(row['state'] as string))).toBe(true)
    expect(rows[0]).toEqual({
      event: 'socket',
      proto: 'tcp',
      local: { address: '0.0.0.0', port: 80 },
      remote: { address: '0.0.0.0', port: 0 },
      state: 'LISTEN',
      pid: 4,
    })
    expect(rows.some((row) => row['proto'] === 'tcp6')).toBe(true)
  })

  it('reads stdin (text pasted as UTF-8, a Chinese Windows table), the format recognised', async () => {
    const r = await cli(['--input', '-', '--json'], readFileSync('test/fixtures/netstat-samples/windows-zh-3.txt'))
    expect(r.code, r.err).toBe(0)
    expect(lines(r.out).at(-1)).toMatchObject({ event: 'parsed', format: 'windows', encoding: 'utf-8' })
    expect(lines(r.out).filter((l) => l['state'] === 'LAST_ACK')).toHaveLength(6)
  })

  it('a Mac’s netstat -an and a Linux /proc/net/tcp6, as a table for people', async () => {
    const mac = await cli(['--input', 'test/fixtures/netstat-samples/macos-netstat-an-1.txt', '--format', 'bsd'])
    expect(mac.code).toBe(0)
    expect(mac.out).toMatch(/^# .*bsd table \(utf-8\), \d+ rows\nproto\s+local\s+remote\s+state/)
    const proc = await cli(['--input', 'test/fixtures/proc-net-tcp6.txt', '--json'])
    expect(lines(proc.out).at(-1)).toMatchObject({ format: 'proc' })
    expect(
      lines(proc.out)
        .filter((l) => l['event'] === 'socket')
        .every((l) => l['proto'] === 'tcp6'),
    ).toBe(true)
  })

  it('bad input gets a clear message and a non-zero exit', async () => {
    const missing = await cli(['--input', 'no/such/file.txt'])
    expect(missing.code).toBe(1)
    expect(missing.err).toContain('ENOENT')
    const notATable = await cli(['--input', '-'], Buffer.from('hello\n'))
    expect(notATable.code).toBe(2)
    expect(notATable.err).toContain('give --format windows, bsd or proc')
    const badFormat = await cli(['--input', '-', '--format', 'excel'])
    expect(badFormat.code).toBe(2)
    expect(badFormat.err).toContain('--format must be one of windows, bsd, proc')
    const noInput = await cli(['--format', 'windows'])
    expect(noInput.code).toBe(2)
    expect(noInput.err).toContain('--format and --encoding go with --input')
  })
})
