import { app, session } from 'electron'
import { isAppUrl } from './window'

/** Navigation, new windows, webviews and permissions are all denied. */
export function registerSecurity(): void {
  app.on('web-contents-created', (_e, contents) => {
    // `e.url`: the positional url argument is deprecated since Electron 35.
    contents.on('will-navigate', (e) => {
      if (!isAppUrl(e.url)) e.preventDefault()
    })
    contents.on('will-redirect', (e) => {
      if (!isAppUrl(e.url)) e.preventDefault()
    })
    contents.on('will-attach-webview', (e) => e.preventDefault())
    contents.setWindowOpenHandler(() => ({ action: 'deny' }))
  })
  void app.whenReady().then(() => {
    session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false))
    session.defaultSession.setPermissionCheckHandler(() => false)
  })
}
