import type { Clock } from '@flowcard/engine';

/**
 * The clock of saved-configuration work (OAuth state expiry, token lifecycle, audit times). It reads
 * the runtime's clock and adds an offset that is zero in production; tests move it forward
 * (`advance`) to cross a 10-minute state expiry or a 75-day reminder without waiting.
 */
export class ShiftableClock implements Clock {
  private offsetMs = 0;

  constructor(private readonly base: Clock) {}

  now(): Date {
    return new Date(this.base.now().getTime() + this.offsetMs);
  }

  advance(ms: number): void {
    this.offsetMs += ms;
  }

  reset(): void {
    this.offsetMs = 0;
  }
}
