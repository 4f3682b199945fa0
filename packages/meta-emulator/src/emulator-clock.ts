/**
 * The emulator's notion of "now". Real time plus an offset that tests move forward (or set), so
 * token expiry, `created_time` and post scheduling can be exercised without waiting.
 */
export class EmulatorClock {
  private offsetMs = 0;

  /** Milliseconds since the epoch as the emulator sees them. */
  now(): number {
    return Date.now() + this.offsetMs;
  }

  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0)
      throw new RangeError(`advanceClock takes a non-negative number of ms, got ${ms}`);
    this.offsetMs += ms;
  }

  set(time: Date | number): void {
    const ms = typeof time === 'number' ? time : time.getTime();
    if (!Number.isFinite(ms)) throw new RangeError('setNow takes a valid Date or epoch milliseconds');
    this.offsetMs = ms - Date.now();
  }

  reset(): void {
    this.offsetMs = 0;
  }
}
