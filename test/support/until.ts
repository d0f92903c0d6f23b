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

/**
 * Resolves as `p` does, or fails after `ms` naming `what`: a test with several waits then says
 * which one never ended, where the test's own timeout would not. `what` may be a function, read
 * when the time is up (what a process printed so far).
 */
export async function within<T>(p: Promise<T>, ms: number, what: string | (() => string)): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${typeof what === 'string' ? what : what()}: not within ${ms} ms`)), ms)
  })
  try {
    return await Promise.race([p, late])
  } finally {
    clearTimeout(timer)
  }
}

/** True once process `pid` is gone (signal 0 finds no such process): for `until(() => processGone(pid))`. */
export function processGone(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return false
  } catch {
    return true
  }
}
