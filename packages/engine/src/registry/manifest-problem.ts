import { formatErrorMessage, type ErrorCodeSpec } from '../errors/error-code';

/**
 * One thing wrong with a connector package. Printed as one line by formatManifestProblem:
 *
 *   <file>: <jsonPath>: <message>. <hint>
 *
 * `file` is relative to the folder holding the connector (so it starts with the connector's folder
 * or package name, e.g. `sample/cards/echo.json`); `jsonPath` is a JSON pointer into that file
 * (`/request/path`), and is left out of the line when the problem concerns the whole file.
 */
export interface ManifestProblem {
  /** A FLOWCARD_ERR_* code of errors/codes/manifest-codes.ts. */
  readonly code: string;
  readonly file: string;
  /** JSON pointer (RFC 6901); empty for the whole file. */
  readonly jsonPath: string;
  /** What is wrong: the code's message template, filled in. */
  readonly message: string;
  /** How to fix it, as an instruction. */
  readonly hint: string;
}

export interface ProblemLocation {
  readonly file: string;
  readonly jsonPath: string;
}

export function createManifestProblem(
  spec: ErrorCodeSpec,
  at: ProblemLocation,
  params: Record<string, unknown>,
  hint: string,
): ManifestProblem {
  return {
    code: spec.code,
    file: at.file,
    jsonPath: at.jsonPath,
    message: formatErrorMessage(spec.message, params),
    hint,
  };
}

export function formatManifestProblem(problem: ManifestProblem): string {
  const where = problem.jsonPath === '' ? problem.file : `${problem.file}: ${problem.jsonPath}`;
  return `${where}: ${problem.message}. ${problem.hint}`;
}
