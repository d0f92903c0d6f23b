/**
 * The settings store: loads the persisted settings once, applies them (language, theme, log
 * size), and saves each change. Panels read `recent` for their first host and port.
 */
import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { LabError } from '../../../shared/contract'
import { DEFAULT_SETTINGS, type Demo, type Recent, type Settings, type SettingsPatch } from '../../../shared/settings'
import { getApi } from '../api'
import { setLocale } from '../i18n'
import { useLogStore } from './log'

export const useSettingsStore = defineStore('settings', () => {
  const api = getApi()
  const log = useLogStore()
  const settings = ref<Settings>(structuredClone(DEFAULT_SETTINGS))
  /** What was wrong with the settings file at start-up (it was kept aside). */
  const problem = ref<string>()
  const error = ref<LabError>()
  /** Bumped when settings arrive from the host: panels take their first values then. */
  const loaded = ref(0)

  function apply(): void {
    const s = settings.value
    if (s.locale) setLocale(s.locale)
    if (typeof document !== 'undefined') document.documentElement.dataset['theme'] = s.theme
    log.setLogCapacity(s.logCapacity)
  }

  async function load(): Promise<void> {
    const r = await api.settingsGet()
    if (!r.ok) {
      error.value = r
      return
    }
    settings.value = r.data.settings
    problem.value = r.data.problem
    apply()
    loaded.value++
  }

  async function update(patch: SettingsPatch): Promise<void> {
    const r = await api.settingsSet(patch)
    if (!r.ok) {
      error.value = r
      return
    }
    error.value = undefined
    settings.value = r.data
    apply()
  }

  const remember = (demo: Demo, recent: Recent): Promise<void> => update({ recent: { [demo]: recent } })

  return { settings, problem, error, loaded, load, update, remember }
})
