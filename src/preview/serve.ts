/** `npm run preview:web`: the built renderer in your browser, on the real engine. */
import { existsSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { startPreview } from './server'

const { values } = parseArgs({
  options: { port: { type: 'string', default: '5178' }, root: { type: 'string', default: 'out/renderer' } },
})
if (!existsSync(`${values.root}/index.html`)) {
  process.stderr.write(`No built renderer in ${values.root}: run "npm run build" first.\n`)
  process.exit(1)
}
void startPreview({ root: values.root, port: Number(values.port), version: process.env['npm_package_version'] }).then(
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
