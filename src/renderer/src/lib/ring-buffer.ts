/** A fixed-capacity FIFO: pushing past capacity drops the oldest item. */
export class RingBuffer<T> {
  private items: (T | undefined)[]
  private start = 0
  private count = 0

  constructor(private cap: number) {
    if (!Number.isInteger(cap) || cap < 1) throw new RangeError('capacity must be a positive integer')
    this.items = new Array<T | undefined>(cap)
  }

  get length(): number {
    return this.count
  }

  get capacity(): number {
    return this.cap
  }

  push(item: T): void {
    const end = (this.start + this.count) % this.cap
    this.items[end] = item
    if (this.count < this.cap) this.count++
    else this.start = (this.start + 1) % this.cap
  }

  at(i: number): T | undefined {
    if (i < 0 || i >= this.count) return undefined
    return this.items[(this.start + i) % this.cap]
  }

  toArray(): T[] {
    const out: T[] = new Array<T>(this.count)
    for (let i = 0; i < this.count; i++) out[i] = this.items[(this.start + i) % this.cap] as T
    return out
  }

  clear(): void {
    this.items = new Array<T | undefined>(this.cap)
    this.start = 0
    this.count = 0
  }

  /** A new capacity keeps the newest items that fit. */
  resize(cap: number): void {
    const keep = this.toArray().slice(-cap)
    this.cap = cap
    this.clear()
    for (const item of keep) this.push(item)
  }
}
