/** One problem of a validation answer: `path` is a JSON pointer such as `/email`. */
export interface Problem {
  readonly where?: string;
  readonly path: string;
  readonly message: string;
}

/**
 * An error answer of the API (`{ error: { code, message, details? } }`), or a network failure
 * (code `STUDIO_NETWORK`). The message is the API's own words; the Studio never shows a stack.
 */
export class ApiError extends Error {
  override readonly name = 'ApiError';

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }

  /** Field problems from `details.problems` (or `details` itself when it is the list). */
  get problems(): readonly Problem[] {
    const details = this.details as { problems?: unknown } | unknown[] | undefined;
    const list = Array.isArray(details) ? details : (details as { problems?: unknown })?.problems;
    if (!Array.isArray(list)) return [];
    return list.filter(
      (item): item is Problem =>
        typeof item === 'object' && item !== null && typeof (item as Problem).message === 'string',
    );
  }

  /** The message of the problem at `path` (e.g. `/email`), if any. */
  problemAt(path: string): string | undefined {
    return this.problems.find((problem) => problem.path === path)?.message;
  }
}
