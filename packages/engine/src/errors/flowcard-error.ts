import { formatErrorMessage, type ErrorCodeSpec } from './error-code';

/**
 * An error of the engine or runtime with a registered code. Recognised across process boundaries by
 * `name === 'FlowcardError'` and `code`.
 */
export class FlowcardError extends Error {
  override readonly name = 'FlowcardError';
  readonly code: string;
  readonly status: number;
  readonly category: ErrorCodeSpec['category'];
  readonly params: Record<string, unknown>;

  constructor(spec: ErrorCodeSpec, params: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super(formatErrorMessage(spec.message, params), options);
    this.code = spec.code;
    this.status = spec.status;
    this.category = spec.category;
    this.params = params;
  }
}
