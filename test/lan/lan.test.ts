/** The LAN tier's own rules: nothing in the machine's namespace, everything gone after, crashed runs swept. */
import { spawnSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { createLan, LAN_PREFIX, lanTier, sweepStale } from '../support/lan'
import { PYTHON } from '../support/python'

const why = lanTier()
const ip = (...args: string[]): string => spawnSync('ip', args, { encoding: 'utf8' }).stdout
const namespaces = (): string[] =>
  ip('netns', 'list')
    .split('\n')
    .map((l) => l.split(' ')[0]!)
    .filter(Boolean)

describe.skipIf(!!why)('the LAN tier', () => {
  it('adds no link, address or route to the machine’s own namespace, and leaves no namespace behind', () => {
    const before = [ip('-o', 'link'), ip('-o', 'addr'), ip('route'), ip('-6', 'route')]
    sweepStale()
    const had = namespaces()
    const lan = createLan(3)
    try {
      expect(namespaces().filter((n) => !had.includes(n))).toHaveLength(5) // switch, teacher, 3 students
      expect([ip('-o', 'link'), ip('-o', 'addr'), ip('route'), ip('-6', 'route')]).toEqual(before)
      // a host reaches a classmate, and nothing outside the /24 (there is no route out)
      const knock = `import socket\ntry:\n    socket.create_connection(('${lan.teacher.ip}', 9), 2)\nexcept ConnectionRefusedError:\n    print('refused: reached')\n`
      expect(lan.run(lan.students[0]!, PYTHON, ['-c', knock]).stdout).toBe('refused: reached\n')
      const out = lan.run(lan.students[0]!, 'ip', ['route', 'get', '192.0.2.2'])
      expect(out.status).not.toBe(0)
      expect(out.stderr).toMatch(/unreachable/i)
    } finally {
      lan.close()
    }
    expect(namespaces()).toEqual(had)
  })

  it('sweeps the namespaces a crashed run left (its process gone), and only those', () => {
    const dead = spawnSync('true').pid!
    const stale = `${LAN_PREFIX}${dead}-1-teacher`
    const live = `${LAN_PREFIX}${process.pid}-9-teacher`
    spawnSync('ip', ['netns', 'add', stale])
    spawnSync('ip', ['netns', 'add', live])
    try {
      expect(sweepStale()).toEqual([stale])
      expect(namespaces()).not.toContain(stale)
      expect(namespaces()).toContain(live)
    } finally {
      spawnSync('ip', ['netns', 'del', live])
      spawnSync('ip', ['netns', 'del', stale])
    }
  })
})
