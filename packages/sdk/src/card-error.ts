import type { FlowSignal } from './signals';

export interface CardErrorOptions {
  /** Stable error code, e.g. FLOWCARD_ERR_GRAPH_RATE_LIMITED or a connector's own. */
  code?: string;
  /** For rate_limited: milliseconds until access is regained. */
  retryAfterMs?: number;
  /** For permission: the permission that is missing. */
  permission?: string;
  /** Upstream status and error details (never secrets). */
  status?: number;
  details?: Record<string, unknown>;
  cause?: unknown;
}

/**
 * The error a card (handler or declarative request) fails with. It crosses job and process
 * boundaries, so it is recognised by `name === 'CardError'` and its `signal`, never by instanceof.
 */
export class CardError extends Error {
  override readonly name = 'CardError';
  readonly signal: FlowSignal;
  readonly code: string;
  readonly retryAfterMs?: number;
  readonly permission?: string;
  readonly status?: number;
  readonly details?: Record<string, unknown>;

  constructor(signal: FlowSignal, message: string, options: CardErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.signal = signal;
    this.code = options.code ?? defaultCode(signal);
    this.retryAfterMs = options.retryAfterMs;
    this.permission = options.permission;
    this.status = options.status;
    this.details = options.details;
  }

  /** A plain object that survives JSON (job results, API responses, logs). */
  toJSON(): SerializedCardError {
    return {
      name: this.name,
      signal: this.signal,
      code: this.code,
      message: this.message,
      ...(this.retryAfterMs === undefined ? {} : { retryAfterMs: this.retryAfterMs }),
      ...(this.permission === undefined ? {} : { permission: this.permission }),
      ...(this.status === undefined ? {} : { status: this.status }),
      ...(this.details === undefined ? {} : { details: this.details }),
    };
  }
}

export interface SerializedCardError {
  name: 'CardError';
  signal: FlowSignal;
  code: string;
  message: string;
  retryAfterMs?: number;
  permission?: string;
  status?: number;
  details?: Record<string, unknown>;
}

function defaultCode(signal: FlowSignal): string {
  return `FLOWCARD_ERR_${signal.toUpperCase()}`;
}

/** True for a CardError, including one that lost its prototype crossing a process boundary. */
export function isCardError(value: unknown): value is CardError | SerializedCardError {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { name?: unknown }).name === 'CardError' &&
    typeof (value as { signal?: unknown }).signal === 'string'
  );
}

/** Shorthands for handler authors. */
export const invalidInput = (message: string, options?: CardErrorOptions): CardError =>
  new CardError('invalid', message, { code: 'FLOWCARD_ERR_INVALID_INPUT', ...options });
export const retryLater = (message: string, options?: CardErrorOptions): CardError =>
  new CardError('retry', message, options);
