/**
 * A small deterministic PRNG (mulberry32) so "drop 30% of webhooks" or "fail 10% of calls" gives
 * the same sequence for the same seed, and a test that depends on it is reproducible.
 */
export class SeededRandom {
  private state: number;

  constructor(seed: number = Date.now()) {
    this.state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** True with the given percent probability. */
  chance(percent: number): boolean {
    return percent >= 100 || (percent > 0 && this.next() * 100 < percent);
  }
}
