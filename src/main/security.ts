import { app, session, type WebContents } from 'electron'
import { isAppUrl } from './window'

/**
 * The permissions the app's own page may have, and nothing else: writing the clipboard ("Copy
 * address": `navigator.clipboard.writeText`, the supported way since Electron 44 removed the
 * renderer's clipboard module; Chromium asks for `clipboard-sanitized-write` first). Every other
 * permission, and this one from any other page or a subframe, is denied.
 */
export const ALLOWED_PERMISSIONS: readonly string[] = ['clipboard-sanitized-write']

/** Whether `permission` is granted to a request from `url` (main frame or not). */
export function permissionAllowed(permission: string, url: string | undefined, isMainFrame: boolean): boolean {
  return ALLOWED_PERMISSIONS.includes(permission) && isMainFrame && !!url && isAppUrl(url)
}

/** Navigation, new windows and webviews are denied; permissions as permissionAllowed says. */
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
    session.defaultSession.setPermissionRequestHandler((_wc, permission, callback, details) =>
      callback(permissionAllowed(permission, details.requestingUrl, details.isMainFrame)),
    )
    session.defaultSession.setPermissionCheckHandler((wc: WebContents | null, permission, _origin, details) =>
      permissionAllowed(permission, details.requestingUrl ?? wc?.getURL(), details.isMainFrame),
    )
  })
}
