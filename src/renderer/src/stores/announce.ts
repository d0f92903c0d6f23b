/**
 * The live region's text: the lab's events told to a screen reader, throttled (lib/announce.ts).
 * The lab store notes each applied event; the LiveRegion component ticks it while it is shown.
 */
import { defineStore } from 'pinia'
import { markRaw, ref } from 'vue'
import { t } from '../i18n'
import { Announcer, SAID, type Phrases } from '../lib/announce'

const phrases: Phrases = {
  one: (s) => t(`announce.${s.kind}`, { name: s.name, addr: s.addr ?? '', code: s.code ?? '' }),
  summary(counts, reads, sends) {
    const parts = SAID.filter((k) => counts[k]).map((k) => t(`announce.count.${k}`, { n: counts[k]! }))
    if (reads) parts.push(t('announce.reads', { n: reads }))
    if (sends) parts.push(t('announce.sends', { n: sends }))
    return t('announce.summary', { parts: parts.join(', ') })
  },
}

export const useAnnounceStore = defineStore('announce', () => {
  // Not an action: the lab store calls `announcer.note` for every event, and a store action's
  // wrapper (its subscriptions) per event made a 90,000/s flood lag half a second behind.
  const announcer = markRaw(new Announcer(phrases))
  const text = ref('')
  return {
    text,
    announcer,
    /** Puts the next sentence in the live region, if one is due. */
    tick(now = performance.now()): void {
      const next = announcer.take(now)
      if (next !== undefined) text.value = next
    },
  }
})
