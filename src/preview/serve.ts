/**
 * `npm run preview:web`: the built renderer in your browser, on the real engine. `npm start`
 * falls back to the same when the Electron binary cannot be had (scripts/launch.ts).
 */
import { existsSync } from 'node:fs'
import { homedir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { startPreview, type PreviewServer } from './server'

export interface ServeOptions {
  root: string
  port: number
  /** When `port` is taken (another preview running), take any free one instead of failing. */
  anyPortIfBusy?: boolean
  out?: NodeJS.WritableStream
}

/** Starts the preview, prints its URL, and closes every socket on SIGINT or SIGTERM. */
export async function servePreview(opts: ServeOptions): Promise<PreviewServer> {
  const out = opts.out ?? process.stdout
  if (!existsSync(`${opts.root}/index.html`))
    throw new Error(`no built renderer in ${opts.root}: run "npm run build" first`)
  // Settings persist per user, as the app's do in its user data folder.
  const configHome = process.env['XDG_CONFIG_HOME'] ?? join(homedir(), '.config')
  const start = (port: number): Promise<PreviewServer> =>
    startPreview({
      root: opts.root,
      port,
      version: process.env['npm_package_version'],
      settingsDir: join(configHome, 'socket-lab-preview'),
    })
  let preview: PreviewServer
  try {
    preview = await start(opts.port)
  } catch (e) {
    if (!opts.anyPortIfBusy || (e as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw e
    out.write(`Port ${opts.port} is taken (another preview?): using a free port instead.\n`)
    preview = await start(0)
  }
  out.write(`Socket Lab preview (real sockets, bound to 127.0.0.1 only):\n  ${preview.url}\nCtrl+C to stop.\n`)
  const stop = (): void => void preview.close().then(() => process.exit(0))
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
  return preview
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({
    options: { port: { type: 'string', default: '5178' }, root: { type: 'string', default: 'out/renderer' } },
  })
  servePreview({ root: values.root, port: Number(values.port) }).catch((err: Error) => {
    process.stderr.write(`Could not start the preview: ${err.message}\n`)
    process.exit(1)
  })
}
