/**
 * A panel's host and port, prefilled from the persisted settings once they arrive, and
 * remembered when the panel uses them successfully.
 */
import { watch } from 'vue'
import type { Demo } from '../../../shared/settings'
import { useSettingsStore } from '../stores/settings'

export function useRecent(demo: Demo, target: { host: string; port: number }): () => void {
  const settings = useSettingsStore()
  watch(
    () => settings.loaded,
    () => Object.assign(target, settings.settings.recent[demo]),
    { immediate: settings.loaded > 0 },
  )
  return () => void settings.remember(demo, { host: target.host, port: target.port })
}
