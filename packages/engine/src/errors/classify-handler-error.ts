import { CardError, isCardError } from '@flowcard/sdk';
import { executionCodes as codes } from './codes/execution-codes';
import { cardErrorFor } from './classify-http-error';

// These mean the handler's code is wrong: running it again gives the same result, so fail at once.
const PROGRAMMING_ERRORS = new Set(['TypeError', 'ReferenceError', 'SyntaxError', 'RangeError']);

/**
 * What a handler's failure means. A CardError (also one that lost its prototype) is kept as the
 * handler decided. A programming error (TypeError, ReferenceError…) is `invalid`
 * (FLOWCARD_ERR_HANDLER_BUG); any other plain error is `retry` (FLOWCARD_ERR_HANDLER_FAILED),
 * because handlers mostly fail on I/O, and the runner bounds the attempts.
 */
export function classifyHandlerError(
  error: unknown,
  card: string,
  secrets: readonly string[] = [],
): CardError {
  if (isCardError(error)) {
    if (error instanceof CardError) return error;
    const { signal, message, ...rest } = error;
    return new CardError(signal, message, rest);
  }
  const name = error instanceof Error ? error.name : 'Error';
  const message = error instanceof Error ? error.message : String(error);
  if (PROGRAMMING_ERRORS.has(name)) {
    return cardErrorFor(codes.FLOWCARD_ERR_HANDLER_BUG, { card, name, message }, { cause: error }, secrets);
  }
  return cardErrorFor(codes.FLOWCARD_ERR_HANDLER_FAILED, { card, message }, { cause: error }, secrets);
}
