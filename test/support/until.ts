/**
 * Polls `pred` every 10 ms until it gives a truthy value, and resolves with that value (so a
 * test can wait for an event and use it); fails after `ms`.
 */
export async function until<T>(pred: () => T | undefined | null | false, ms = 3000): Promise<T> {
  const end = Date.now() + ms
  for (;;) {
    const v = pred()
    if (v) return v
    if (Date.now() > end) throw new Error('condition not reached')
    await new Promise((r) => setTimeout(r, 10))
  }
}
