/**
 * Paces the full cards of a demo with hundreds of clients. A thousand clients dialling at once
 * change every card every frame, and 24 cards mounted or re-rendered in one frame made that
 * frame slow. Here each step (one per store version, about one per frame) mounts or re-renders
 * at most `perStep` cards, those waiting longest first; the others keep their last rendering
 * (through `v-memo` over `memo(id)`) and catch up within a few frames.
 */
export interface CardPaceOptions {
  /** Cards shown at most. */
  limit: number
  /** Cards mounted or re-rendered per step. */
  perStep: number
  /** How often the featured clients are chosen again (ms). */
  repickMs: number
}

export class CardPace {
  private shown: string[] = []
  private target: string[] = []
  private targetAt = -Infinity
  /** What each shown card last rendered (its state key), and since when it is stale (step). */
  private rendered = new Map<string, string>()
  private staleSince = new Map<string, number>()
  private steps = 0
  /** Whether the last step left cards to mount, remove or re-render. */
  behind = false

  constructor(private readonly opts: CardPaceOptions) {}

  /**
   * One step: `pick` chooses the featured ids (called at most every repickMs), `key` gives an
   * id's current state (undefined: the client is gone). Returns the ids with cards, in order.
   */
  step(now: number, pick: () => string[], key: (id: string) => string | undefined): string[] {
    this.steps++
    if (now - this.targetAt >= this.opts.repickMs) {
      this.target = pick().slice(0, this.opts.limit)
      this.targetAt = now
    }
    let budget = this.opts.perStep
    const wanted = new Set(this.target)
    const shown = this.shown.filter((id) => key(id) !== undefined)
    const onScreen = new Set(shown)
    const newcomers = this.target.filter((id) => !onScreen.has(id) && key(id) !== undefined)
    // Newcomers take the places of cards no longer featured, in place, so the others stay put.
    for (let i = 0; i < shown.length && newcomers.length && budget > 0; i++) {
      if (!wanted.has(shown[i]!)) {
        shown[i] = newcomers.shift()!
        this.mounted(shown[i]!, key)
        budget--
      }
    }
    while (shown.length < this.opts.limit && newcomers.length && budget > 0) {
      const id = newcomers.shift()!
      shown.push(id)
      this.mounted(id, key)
      budget--
    }
    // With no newcomer left to take its place, a card no longer featured goes (cheap).
    this.shown = newcomers.length ? shown : shown.filter((id) => wanted.has(id))
    const stale = this.shown
      .filter((id) => this.rendered.get(id) !== key(id))
      .sort((a, b) => this.since(a) - this.since(b))
    for (const id of stale.slice(0, budget)) {
      this.rendered.set(id, key(id)!)
      this.staleSince.delete(id)
    }
    for (const id of stale.slice(budget)) if (!this.staleSince.has(id)) this.staleSince.set(id, this.steps)
    for (const id of [...this.rendered.keys()]) {
      if (!this.shown.includes(id)) {
        this.rendered.delete(id)
        this.staleSince.delete(id)
      }
    }
    this.behind = stale.length > budget || newcomers.length > 0
    return this.shown
  }

  /** The state a card last rendered: what its `v-memo` compares. */
  memo(id: string): string | undefined {
    return this.rendered.get(id)
  }

  private mounted(id: string, key: (id: string) => string | undefined): void {
    this.rendered.set(id, key(id)!)
    this.staleSince.delete(id)
  }

  private since(id: string): number {
    return this.staleSince.get(id) ?? this.steps
  }
}
