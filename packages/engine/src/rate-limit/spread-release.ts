/**
 * The wait before a blocked call is tried again, spread: everything that waited on one block
 * would otherwise be released in the same instant and refused again together (Graph 80001 right
 * after a back-off). Adds 0–25 % of the wait (at least up to one second) at random, so the queued
 * calls come back spread over a window instead of as one burst.
 */
export function spreadRelease(waitMs: number, random: () => number = Math.random): number {
  const base = Math.max(1, Math.ceil(waitMs));
  return base + Math.floor(random() * Math.max(1_000, base * 0.25));
}
