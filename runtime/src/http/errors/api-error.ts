import { FlowcardError } from '@flowcard/engine';
import { runtimeErrorCodes } from './runtime-error-codes';

type RuntimeErrorCode = keyof typeof runtimeErrorCodes;

/** Creates a FlowcardError with one of the runtime's HTTP codes; the error handler renders it. */
export function apiError(
  code: RuntimeErrorCode,
  params: Record<string, unknown> = {},
  details?: unknown,
): FlowcardError {
  const error = new FlowcardError(runtimeErrorCodes[code], params);
  if (details !== undefined) Object.assign(error, { details });
  return error;
}
