import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import { setApi } from '../../../src/renderer/src/api'
import { locale, setLocale } from '../../../src/renderer/src/i18n'
import { useLogStore } from '../../../src/renderer/src/stores/log'
import { useSettingsStore } from '../../../src/renderer/src/stores/settings'
import { DEFAULT_SETTINGS } from '../../../src/shared/settings'
import { createFakeApi } from '../../support/fake-api'

let fake: ReturnType<typeof createFakeApi>
beforeEach(() => {
  fake = createFakeApi()
  setApi(fake.api)
  setActivePinia(createPinia())
  setLocale('en')
})

describe('settings store', () => {
  it('applies what it loads: language, theme, log size; and says when the file was bad', async () => {
    fake.answerNext('settingsGet', {
      ok: true,
      data: {
        settings: { ...DEFAULT_SETTINGS, locale: 'zh-CN', theme: 'dark', logCapacity: 500 },
        problem: 'not JSON; the old file is kept as x',
      },
    })
    const s = useSettingsStore()
    await s.load()
    expect(locale.value).toBe('zh-CN')
    expect(document.documentElement.dataset['theme']).toBe('dark')
    expect(useLogStore().logCapacity).toBe(500)
    expect(s.problem).toMatch(/kept as x/)
    expect(s.loaded).toBe(1)
  })

  it('saves a change and applies the answer; a refusal is shown, the old settings kept', async () => {
    const s = useSettingsStore()
    await s.remember('udp', { host: '0.0.0.0', port: 9000 })
    expect(fake.calls.at(-1)).toEqual({
      method: 'settingsSet',
      req: { recent: { udp: { host: '0.0.0.0', port: 9000 } } },
    })
    expect(s.settings.recent.udp).toEqual({ host: '0.0.0.0', port: 9000 })
    fake.answerNext('settingsSet', { ok: false, code: 'EINVAL', message: 'settings rejected: theme' })
    await s.update({ theme: 'light' })
    expect(s.error?.code).toBe('EINVAL')
    expect(s.settings.recent.udp.port).toBe(9000)
  })
})
