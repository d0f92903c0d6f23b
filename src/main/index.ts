import { app, BrowserWindow } from 'electron'
import { registerLab } from './lab-ipc'
import { registerSecurity } from './security'
import { registerMenu } from './menu'
import { createMainWindow, focusMainWindow } from './window'
import { cliArgs, cliBlocked, cliBlockedMessage, runCli } from './cli-switch'

const cli = cliArgs(process.argv)
if (cli) {
  // The fallback `--cli` (the launcher in resources/bin is the CLI): no window, no single-instance
  // lock (a server can run beside the app), no Dock icon; without a display, stop before Chromium does.
  if (cliBlocked(process.platform, process.env)) {
    process.stderr.write(cliBlockedMessage(process.resourcesPath))
    app.exit(2)
  } else {
    app.dock?.hide()
    runCli(app.getAppPath(), cli, (code) => app.exit(code))
  }
} else if (!app.requestSingleInstanceLock()) {
  app.quit()
} else {
  registerSecurity()
  const lab = registerLab()
  app.on('second-instance', focusMainWindow)
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit()
  })
  let closed = false
  app.on('will-quit', (e) => {
    if (closed) return
    // Close every socket before the process goes; never leave one behind.
    e.preventDefault()
    void lab.shutdown().finally(() => {
      closed = true
      app.quit()
    })
  })
  void app.whenReady().then(() => {
    registerMenu()
    createMainWindow()
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) createMainWindow()
    })
  })
}
