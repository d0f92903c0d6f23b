/**
 * The settings store: loads the persisted settings once, applies them (language, theme, log
 * size), and saves each change. Panels read `recent` for their first host and port.
 */
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type { LabError } from '../../../shared/contract'
import {
  DEFAULT_SETTINGS,
  SCALE,
  type Demo,
  type Recent,
  type Settings,
  type SettingsPatch,
} from '../../../shared/settings'
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
    if (typeof document !== 'undefined') {
      document.documentElement.dataset['theme'] = s.theme
      // The whole page is drawn larger or smaller (CSS zoom: every px with it), see layout.css.
      document.documentElement.style.setProperty('--scale', String(s.scale))
      document.documentElement.dataset['projector'] = s.scale >= SCALE.projector ? 'on' : 'off'
    }
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

  /** A-/A+: the page one step smaller or larger. */
  function zoom(steps: number): Promise<void> {
    const next = Math.round((settings.value.scale + steps * SCALE.step) * 10) / 10
    return update({ scale: Math.min(SCALE.max, Math.max(SCALE.min, next)) })
  }

  /** Projector mode: the page large, the log folded to a ticker; off again: as it was by default. */
  function projector(on: boolean): Promise<void> {
    return update(on ? { scale: SCALE.projector, logFolded: true } : { scale: 1, logFolded: false })
  }

  const projectorOn = computed(() => settings.value.scale >= SCALE.projector)

  return { settings, problem, error, loaded, load, update, remember, zoom, projector, projectorOn }
})
