/**
 * Panels stay alive under KeepAlive while hidden (their forms keep what was typed). What a panel
 * derives from the lab store should not follow the store while nobody sees it: a hidden Backlog
 * panel re-rendering 1,000 clients on every event of a UDP flood is work for no one.
 */
import { computed, onActivated, onDeactivated, ref, type ComputedRef } from 'vue'

/**
 * Returns `whileShown(getter)`: a computed that follows its sources while the panel is shown,
 * keeps its last value while hidden, and catches up when the panel is shown again.
 * Call it in a panel's setup.
 */
export function useWhileShown(): <T>(getter: () => T) => ComputedRef<T> {
  const shown = ref(true)
  onActivated(() => (shown.value = true))
  onDeactivated(() => (shown.value = false))
  return <T>(getter: () => T): ComputedRef<T> => {
    let last: { value: T } | undefined
    return computed(() => {
      if (shown.value || !last) last = { value: getter() }
      return last.value
    })
  }
}
