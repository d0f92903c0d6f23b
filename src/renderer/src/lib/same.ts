/**
 * For a `computed((prev) => ...)` that builds a new array each time: the previous array when
 * the items are the same (by identity), so nothing that reads it re-renders for nothing.
 */
export function sameItems<T>(prev: readonly T[] | undefined, next: T[]): T[] {
  return prev && prev.length === next.length && prev.every((x, i) => x === next[i]) ? (prev as T[]) : next
}
