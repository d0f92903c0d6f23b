/**
 * The code view must show Python that really runs and really does what the panel does: every
 * template compiles, and the servers with an automatic reply are run and talked to.
 */
import net from 'node:net'
import { describe, expect, it } from 'vitest'
import { setLocale } from '../../../src/renderer/src/i18n'
import { pythonCode, pyBytes, stepsOf, type CodeRole } from '../../../src/renderer/src/lib/python-code'
import { runPython, startPython } from '../../support/python'
import { freePort } from '../../support/ports'

const source = (role: CodeRole, port: number, extra = {}): string =>
  pythonCode(role, { host: '127.0.0.1', port, backlog: 5, ...extra })
    .map((l) => l.text)
    .join('\n')

/** Connects, optionally reads a greeting, sends each message and reads one answer each. */
async function talk(port: number, messages: string[], greeting: boolean): Promise<string[]> {
  for (let i = 0; ; i++) {
    try {
      return await new Promise<string[]>((resolve, reject) => {
        const got: string[] = []
        const sock = net.connect(port, '127.0.0.1')
        const pending = [...messages]
        const next = (): void => {
          const m = pending.shift()
          if (m === undefined) return void sock.end()
          sock.write(m)
        }
        sock.on('connect', () => (greeting ? undefined : next()))
        sock.on('data', (d) => {
          got.push(d.toString())
          next()
        })
        sock.on('end', () => resolve(got))
        sock.on('error', reject)
      })
    } catch (err) {
      if (i > 50) throw err
      await new Promise((r) => setTimeout(r, 50)) // the Python server is still starting
    }
  }
}

describe('the Python code view', () => {
  it('every template is valid Python, in both encodings and every reply, with its comments in either language', async () => {
    const roles: CodeRole[] = [
      'plain',
      'serial',
      'threaded',
      'room',
      'client',
      'threaded-client',
      'http',
      'udp',
      'backlog',
    ]
    const sources = (['en', 'zh-CN'] as const).flatMap((lang) => {
      setLocale(lang)
      return roles.flatMap((role) =>
        (['utf-8', 'gbk'] as const).flatMap((encoding) =>
          (['none', 'echo', 'hello'] as const).map((reply) => source(role, 8001, { encoding, reply })),
        ),
      )
    })
    setLocale('en')
    const r = await runPython(
      'import sys, json\nfor s in json.loads(sys.argv[1]): compile(s, "<lab>", "exec")\nprint("ok")',
      [JSON.stringify(sources)],
    )
    expect(r.stderr).toBe('')
    expect(r.stdout.trim()).toBe('ok')
  })

  it('the threaded server it shows welcomes and answers Hello, <name>! when run', async () => {
    const port = await freePort()
    const py = startPython(source('threaded', port, { reply: 'hello' }))
    try {
      const got = await talk(port, ['Michael', 'exit'], true)
      expect(got.join('|')).toBe('Welcome!|Hello, Michael!')
    } finally {
      py.stop()
      await py.exited
    }
  })

  it('the serial server it shows echoes and ends the conversation on bye', async () => {
    const port = await freePort()
    const py = startPython(source('serial', port, { reply: 'echo' }))
    try {
      expect(await talk(port, ['你好', 'bye'], false)).toEqual(['你好'])
    } finally {
      py.stop()
      await py.exited
    }
  })

  it('its comments follow the UI language', () => {
    setLocale('zh-CN')
    const zh = source('client', 8001).split('\n')
    setLocale('en')
    const en = source('client', 8001).split('\n')
    expect(zh.find((l) => l.includes('if not from_server_data'))).toContain('服务器已关闭')
    expect(en.find((l) => l.includes('if not from_server_data'))).toContain('the server closed')
    // Only the comments differ: the code a student copies is the same.
    expect(zh.map((l) => l.replace(/#.*$/, ''))).toEqual(en.map((l) => l.replace(/#.*$/, '')))
  })

  it('is the program the app runs: the seed’s bye checks; the HTTP request as it was sent, Host line and path', () => {
    const server = pythonCode('serial', { host: '0.0.0.0', port: 8000, reply: 'none' }).map((l) => l.text)
    expect(server.join('\n')).toMatch(
      /server_input = input\('明威说>>>>:'\)\n.*\n\s+if server_input == 'bye':.*\n\s+break/,
    )
    const client = pythonCode('client', { host: 'h', port: 1 }).map((l) => l.text)
    expect(client.join('\n')).toMatch(/if from_server_data\.decode\('utf-8'\) == 'bye':.*\n\s+break/)
    const request = 'GET /news/新闻.html HTTP/1.1\r\nHost: localhost:8080\r\nConnection: close\r\n\r\n'
    const http = pythonCode('http', { host: 'localhost', port: 8080, request }).map((l) => l.text)
    const send = http.find((l) => l.startsWith('s.send('))!
    expect(send).toBe(
      "s.send(b'GET /news/\\xe6\\x96\\xb0\\xe9\\x97\\xbb.html HTTP/1.1\\r\\nHost: localhost:8080\\r\\nConnection: close\\r\\n\\r\\n')",
    )
    expect(pyBytes("it's \\ a\t")).toBe("b'it\\'s \\\\ a\\t'")
  })

  it('maps each event to the lines it corresponds to', () => {
    expect(stepsOf('listening')).toEqual(['bind', 'listen'])
    expect(stepsOf('connection')).toEqual(['accept'])
    expect(stepsOf('end')).toEqual(['eof'])
    const client = pythonCode('client', { host: 'h', port: 1 })
    for (const s of ['connect', 'send', 'recv', 'eof', 'close'] as const) {
      expect(
        client.filter((l) => l.step === s),
        s,
      ).toHaveLength(1)
    }
  })
})
