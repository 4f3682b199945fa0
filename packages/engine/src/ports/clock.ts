/**
 * Where "now" comes from. Everything that compares against the time (expiry, reminders, audit
 * timestamps) takes a Clock so tests can move time instead of waiting for it.
 */
export interface Clock {
  now(): Date;
}
