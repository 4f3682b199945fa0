/**
 * A failed call to Meta during Connect Meta or a revocation. `unavailable`: Meta answered 5xx or
 * `is_transient`, or could not be reached (the user may simply try again); `refused`: Meta answered
 * a definite Graph error (`code`, e.g. 190 for a dead token, 1/101 for a wrong app secret or id).
 * The message never carries a token: URLs and query strings are not part of it.
 */
export class MetaGraphError extends Error {
  override readonly name = 'MetaGraphError';

  constructor(
    readonly kind: 'unavailable' | 'refused',
    readonly operation: string,
    readonly code: number | null,
    readonly subcode: number | null,
    readonly httpStatus: number | null,
  ) {
    super(
      `Meta ${operation} ${kind === 'unavailable' ? 'is unavailable' : 'was refused'}${code === null ? '' : ` (Graph error ${code}${subcode ? `/${subcode}` : ''})`}`,
    );
  }
}
