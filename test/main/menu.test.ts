import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { menuTemplate, registerMenu } from '../../src/main/menu'
import { app, fake, Menu } from '../support/electron-fake'

/** Every role in a menu template, submenus included. */
function roles(items: unknown[]): string[] {
  return items.flatMap((i) => {
    const item = i as { role?: string; submenu?: unknown[] }
    return [...(item.role ? [item.role] : []), ...(item.submenu ? roles(item.submenu) : [])]
  })
}

beforeEach(() => fake.reset())
afterEach(() => fake.reset())

describe('the installed app’s menu', () => {
  it('has no Reload (it would close every socket without a word) and no DevTools, on every OS', () => {
    for (const platform of ['win32', 'darwin', 'linux']) {
      const r = roles(menuTemplate(platform, 'en-US'))
      for (const bad of ['reload', 'forceReload', 'toggleDevTools', 'viewMenu']) expect(r, platform).not.toContain(bad)
      // what a user expects: copy and paste (the edit menu), zoom, full screen, window, quit
      expect(r, platform).toEqual(
        expect.arrayContaining(['editMenu', 'zoomIn', 'zoomOut', 'resetZoom', 'togglefullscreen', 'windowMenu']),
      )
      expect(r.includes('fileMenu') || r.includes('appMenu'), platform).toBe(true)
    }
    expect(roles(menuTemplate('darwin', 'en-US'))).toContain('appMenu')
    expect((menuTemplate('linux', 'zh-CN')[2] as { label?: string }).label).toBe('视图')
  })

  it('is set when installed; development keeps Electron’s default menu (with DevTools)', () => {
    app.isPackaged = false
    registerMenu()
    expect(Menu.current).toBeUndefined()
    app.isPackaged = true
    registerMenu()
    expect(roles(Menu.current!)).not.toContain('reload')
    expect(roles(Menu.current!)).toContain('editMenu')
  })
})
