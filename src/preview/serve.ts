/** `npm run preview:web`: the built renderer in your browser, on the real engine. */
import { existsSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { startPreview } from './server'

const { values } = parseArgs({
  options: { port: { type: 'string', default: '5178' }, root: { type: 'string', default: 'out/renderer' } },
})
if (!existsSync(`${values.root}/index.html`)) {
  process.stderr.write(`No built renderer in ${values.root}: run "npm run build" first.\n`)
  process.exit(1)
}
// Settings persist per user, as the app's do in its user data folder.
const configHome = process.env['XDG_CONFIG_HOME'] ?? join(homedir(), '.config')
void startPreview({
  root: values.root,
  port: Number(values.port),
  version: process.env['npm_package_version'],
  settingsDir: join(configHome, 'socket-lab-preview'),
}).then(
  (preview) => {
    process.stdout.write(
      `Socket Lab preview (real sockets, bound to 127.0.0.1 only):\n  ${preview.url}\nCtrl+C to stop.\n`,
    )
    const stop = (): void => void preview.close().then(() => process.exit(0))
    process.on('SIGINT', stop)
    process.on('SIGTERM', stop)
  },
  (err: Error) => {
    process.stderr.write(`Could not start the preview: ${err.message}\n`)
    process.exit(1)
  },
)
