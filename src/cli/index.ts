/** Entry point: `npm run --silent cli -- <command> [options]`, or the `socket-lab` bin. */
import { parseCli, USAGE, UsageError } from './args'
import { runCheck } from './check'
import { run } from './run'
import { runSockets } from './sockets'
import { runNeighbors } from './neighbors'
import { runCapture } from './capture'
import { runDns, runDnsServer } from './dns'
import { runRoute } from './route'
import { terminalLang } from './options'

async function main(argv: string[]): Promise<number> {
  if (argv[0] === 'check') {
    process.stdout.on('error', () => undefined)
    const interrupted = new Promise<void>((resolve) => {
      process.once('SIGINT', resolve)
      process.once('SIGTERM', resolve)
    })
    const lang = terminalLang()
    const code = await runCheck(argv.slice(1), { stdout: process.stdout, stderr: process.stderr, lang, interrupted })
    process.removeAllListeners('SIGINT')
    process.removeAllListeners('SIGTERM')
    return code
  }
  if (argv[0] === 'capture') {
    process.stdout.on('error', () => undefined)
    return runCapture(argv.slice(1), { stdout: process.stdout, stderr: process.stderr })
  }
  if (argv[0] === 'dns') {
    process.stdout.on('error', () => undefined)
    return runDns(argv.slice(1), process.stdout, process.stderr)
  }
  if (argv[0] === 'route') {
    process.stdout.on('error', () => undefined)
    return runRoute(argv.slice(1), process.stdout, process.stderr, process.stdin)
  }
  if (argv[0] === 'dns-server') {
    process.stdout.on('error', () => undefined)
    const stop = new AbortController()
    process.once('SIGINT', () => stop.abort())
    process.once('SIGTERM', () => stop.abort())
    return runDnsServer(argv.slice(1), process.stdout, process.stderr, stop.signal)
  }
  if (argv[0] === 'neighbors') {
    process.stdout.on('error', () => undefined)
    const stop = new AbortController()
    process.once('SIGINT', () => stop.abort())
    process.once('SIGTERM', () => stop.abort())
    return runNeighbors(argv.slice(1), process.stdout, process.stderr, stop.signal)
  }
  let parsed
  try {
    parsed = parseCli(argv)
  } catch (e) {
    if (!(e instanceof UsageError)) throw e
    process.stderr.write(`socket-lab: ${e.message}\n\n${USAGE}\n`)
    return 2
  }
  if (parsed.command === 'help') {
    process.stdout.write(USAGE + '\n')
    return 0
  }
  process.stdout.on('error', () => undefined) // a closed pipe must not crash the engine
  if (parsed.command === 'sockets') {
    const stop = new AbortController()
    const abort = (): void => stop.abort()
    process.once('SIGINT', abort)
    process.once('SIGTERM', abort)
    const code = await runSockets(parsed, process.stdout, stop.signal)
    process.off('SIGINT', abort)
    process.off('SIGTERM', abort)
    return code
  }
  return run(parsed, {
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    onSignal(cb) {
      process.on('SIGINT', cb)
      process.on('SIGTERM', cb)
      return () => {
        process.off('SIGINT', cb)
        process.off('SIGTERM', cb)
      }
    },
  })
}

void main(process.argv.slice(2)).then((code) => {
  process.stdin.destroy()
  process.exitCode = code
})
