/** Monotonic timestamps in ms that also read as wall-clock time (origin + monotonic offset). */
export function now(): number {
  return performance.timeOrigin + performance.now()
}
