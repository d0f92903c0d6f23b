/**
 * A card's actions: run a store call, keep its error for the card to explain (cleared by the
 * next success), and say whether it worked.
 */
import { ref } from 'vue'
import type { LabError } from '../../../shared/contract'

export function useAction() {
  const error = ref<LabError>()
  async function act(p: Promise<{ ok: boolean } & Partial<LabError>>): Promise<boolean> {
    const r = await p
    error.value = r.ok ? undefined : (r as LabError)
    return r.ok
  }
  return { error, act }
}
