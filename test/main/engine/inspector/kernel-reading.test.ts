/**
 * The kernel's figures per OS. macOS is read through its netstat: the `-s` fixtures are written
 * from network_cmds' own format strings (netstat.tproj/inet.c: "\t%u listen queue overflow%s",
 * "\t\t%u dropped due to full socket buffers"), not captured; `-Lan` is the captured fixture.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import {
  kernelReading,
  parseListenDrops,
  parseUdpFullSock,
  readingInterval,
  udpBufferDrops,
  type Run,
} from '../../../../src/main/engine/inspector/kernel-reading'

const fixture = (name: string): string => readFileSync(`test/fixtures/${name}`, 'utf8')

/** A netstat that answers from the fixtures, and remembers what it was asked. */
function fakeNetstat(lan: string) {
  const calls: string[] = []
  const exec: Run = (cmd, args) => {
    calls.push([cmd, ...args].join(' '))
    if (args.includes('-Lan')) return Promise.resolve(lan)
    if (args.join(' ') === '-s -p tcp') return Promise.resolve(fixture('netstat-s-p-tcp-macos.txt'))
    if (args.join(' ') === '-s -p udp') return Promise.resolve(fixture('netstat-s-p-udp-macos.txt'))
    return Promise.resolve(null)
  }
  return { calls, exec }
}

describe('macOS netstat -s', () => {
  it('reads the listen queue overflows and the UDP full-buffer drops, not their neighbours', () => {
    expect(parseListenDrops(fixture('netstat-s-p-tcp-macos.txt'))).toBe(17)
    expect(parseUdpFullSock(fixture('netstat-s-p-udp-macos.txt'))).toBe(4096)
    expect(parseListenDrops('\t1 listen queue overflow\n')).toBe(1)
    expect(parseListenDrops(fixture('netstat-s-p-udp-macos.txt'))).toBeNull()
    expect(parseUdpFullSock('\t\t7 dropped due to no socket\n')).toBeNull()
    expect(parseListenDrops(null)).toBeNull()
  })

  it('a label is matched whole, at the start of the line’s text', () => {
    expect(parseListenDrops('\t3 listen queue overflows   \r\n')).toBe(3) // trailing blanks
    expect(parseListenDrops('\t3 listen queue overflows of the day\n')).toBeNull()
    expect(parseListenDrops('\t3 embryonic listen queue overflows\n')).toBeNull()
    expect(parseListenDrops('x 3 listen queue overflows\n')).toBeNull()
    expect(parseUdpFullSock('\t\t5 dropped due to full socket buffers (receive)\n')).toBeNull()
    expect(parseUdpFullSock('\t\t5 packets dropped due to full socket buffers\n')).toBeNull()
  })
})

describe('kernelReading', () => {
  it('on macOS: qlen − incqlen wait for accept() (XNU counts the half-open in qlen), and the overflows', async () => {
    const { calls, exec } = fakeNetstat(
      'Current listen queue sizes (qlen/incqlen/maxqlen)\nListen         Local Address\n5/2/5          127.0.0.1.8002\n0/0/128        *.22\n',
    )
    expect(await kernelReading(8002, 'darwin', exec)).toEqual({ kernel: 3, hs: null, overflows: 17 })
    expect(calls).toEqual(['netstat -Lan -p tcp', 'netstat -s -p tcp'])
    expect((await kernelReading(9999, 'darwin', exec)).kernel).toBeNull()
  })

  it('on macOS, the -Lan fixture (written): 3 over a backlog of 2 wait; one half-open only is 0 waiting', async () => {
    const { exec } = fakeNetstat(fixture('netstat-Lan-macos.txt'))
    expect((await kernelReading(8002, 'darwin', exec)).kernel).toBe(3)
    expect((await kernelReading(22, 'darwin', exec)).kernel).toBe(0)
  })

  it('on Windows: no figure and no counter, and nothing spawned', async () => {
    const { calls, exec } = fakeNetstat('')
    expect(await kernelReading(8002, 'win32', exec)).toEqual({ kernel: null, hs: null, overflows: null })
    expect(await udpBufferDrops('win32', exec)).toBeNull()
    expect(calls).toEqual([])
  })

  it('on macOS the UDP drops come from netstat -s -p udp', async () => {
    const { calls, exec } = fakeNetstat('')
    expect(await udpBufferDrops('darwin', exec)).toBe(4096)
    expect(calls).toEqual(['netstat -s -p udp'])
  })

  it('on macOS, a netstat that fails: no figure, no counter', async () => {
    const failing: Run = () => Promise.resolve(null)
    expect(await kernelReading(8002, 'darwin', failing)).toEqual({ kernel: null, hs: null, overflows: null })
    expect(await udpBufferDrops('darwin', failing)).toBeNull()
  })

  it.skipIf(process.platform !== 'linux')(
    'on Linux the UDP drops are /proc/net/snmp’s counter, nothing spawned',
    async () => {
      const { calls, exec } = fakeNetstat('')
      expect(typeof (await udpBufferDrops('linux', exec))).toBe('number')
      expect(calls).toEqual([])
    },
  )

  it.skipIf(process.platform !== 'linux')('on Linux: the counter from /proc, and nothing spawned', async () => {
    const { calls, exec } = fakeNetstat('')
    const r = await kernelReading(1, 'linux', exec)
    expect(r.kernel).toBeNull() // nobody listens on port 1
    expect(typeof r.overflows).toBe('number')
    expect(calls).toEqual([])
  })
})

describe('readingInterval', () => {
  it('200 ms while a reading is cheap; twenty times its cost when not (netstat taking 80 ms: a second at most)', () => {
    expect(readingInterval(0.3)).toBe(200)
    expect(readingInterval(10)).toBe(200)
    expect(readingInterval(30)).toBe(600)
    expect(readingInterval(80)).toBe(1000)
  })
})
