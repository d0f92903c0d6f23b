/** Polls `pred` every 10 ms until it holds; fails after `ms`. */
export async function until(pred: () => boolean, ms = 3000): Promise<void> {
  const end = Date.now() + ms
  while (!pred()) {
    if (Date.now() > end) throw new Error('condition not reached')
    await new Promise((r) => setTimeout(r, 10))
  }
}
