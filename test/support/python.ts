import { spawn } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** `python3`, or `python` on Windows (as actions/setup-python provides); PYTHON overrides. */
export const PYTHON = process.env['PYTHON'] ?? (process.platform === 'win32' ? 'python' : 'python3')

/**
 * Python as the tests run it on every OS: UTF-8 for its pipes and files whatever the system's
 * code page (Windows writes cp1252 on the runner, cp936 on Chinese Windows, and 中文 raises).
 */
export const PYTHON_ENV: NodeJS.ProcessEnv = { ...process.env, PYTHONUTF8: '1', PYTHONIOENCODING: 'utf-8' }

/** Python's text output with Windows' "\r\n" line ends read as "\n". */
export const lf = (s: string): string => s.replace(/\r\n/g, '\n')

export interface PyResult {
  code: number | null
  stdout: string
  stderr: string
}

/** Runs a Python script (the course's `socket` style) and collects its output. */
export function runPython(script: string, args: string[] = [], timeoutMs = 15_000): Promise<PyResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(PYTHON, ['-c', script, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: PYTHON_ENV })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d))
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d))
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`python timed out; stdout=${stdout} stderr=${stderr}`))
    }, timeoutMs)
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({ code, stdout: lf(stdout), stderr: lf(stderr) })
    })
  })
}

/** Starts a long-running Python process; resolves once it printed its first line. */
export function startPython(script: string, args: string[] = []) {
  const child = spawn(PYTHON, ['-u', '-c', script, ...args], { stdio: ['pipe', 'pipe', 'pipe'], env: PYTHON_ENV })
  let stdout = ''
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += lf(d)))
  const firstLine = new Promise<string>((resolve, reject) => {
    const onData = (): void => {
      const nl = stdout.indexOf('\n')
      if (nl >= 0) {
        child.stdout.off('data', onData)
        resolve(stdout.slice(0, nl))
      }
    }
    child.stdout.on('data', onData)
    child.on('exit', (code) => reject(new Error(`python exited ${code} before printing`)))
  })
  firstLine.catch(() => undefined) // a script that never prints is fine for callers that do not wait
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  return { child, firstLine, exited, output: () => stdout, stop: () => child.kill('SIGKILL') }
}

/**
 * Python's own web server (`http.server`) serving one page as index.html from a temporary
 * folder: resolves with its port and a stop() that also removes the folder.
 */
export async function startHttpServer(page: string): Promise<{ port: number; stop(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'lab-http-'))
  await writeFile(join(dir, 'index.html'), page)
  const server = startPython(
    `import http.server, functools, sys
h = functools.partial(http.server.SimpleHTTPRequestHandler, directory=sys.argv[1])
h.log_message = lambda *a: None
s = http.server.HTTPServer(('127.0.0.1', 0), h)
print(s.server_address[1], flush=True)
s.serve_forever()`,
    [dir],
  )
  const stop = async (): Promise<void> => {
    server.stop()
    await server.exited
    await rm(dir, { recursive: true, force: true })
  }
  try {
    return { port: Number(await server.firstLine), stop }
  } catch (e) {
    await stop()
    throw e
  }
}
