/**
 * The installed app's menu: what a user expects (edit with copy and paste, zoom, full screen,
 * window, quit) and nothing that loses work. Electron's default menu has Reload (Ctrl+R), which
 * closes every socket of the page without a word (a reload is a new page), and DevTools
 * (Ctrl+Shift+I) open to all: neither is in it. Development keeps Electron's default menu.
 */
import { app, Menu, type MenuItemConstructorOptions } from 'electron'
import { catalogFor } from '../shared/i18n/catalog'

export function menuTemplate(platform: string, locale: string): MenuItemConstructorOptions[] {
  const m = catalogFor(locale).menu
  return [
    ...(platform === 'darwin' ? [{ role: 'appMenu' } as const] : []),
    { role: 'fileMenu' },
    { role: 'editMenu' },
    {
      label: m.view,
      submenu: [
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    { role: 'windowMenu' },
  ]
}

export function registerMenu(): void {
  if (!app.isPackaged) return
  Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate(process.platform, app.getLocale())))
}
