import type { ErrorCodeSpec } from './error-code';
import { executionCodes } from './codes/execution-codes';
import { flowCodes } from './codes/flow-codes';
import { manifestCodes } from './codes/manifest-codes';
import { publishingCodes } from './codes/publishing-codes';
import { storeCodes } from '../ports/store-error-codes';
import { secretCodes } from '../secrets/secret-error-codes';

/**
 * Every error code of the engine, one list. Each area keeps its codes in errors/codes/<area>-codes.ts
 * (declared with defineErrorCodes) and adds one line here.
 */
const groups: ReadonlyArray<Readonly<Record<string, ErrorCodeSpec>>> = [
  executionCodes,
  flowCodes,
  manifestCodes,
  publishingCodes,
  storeCodes,
  secretCodes,
];

/** Codes declared by more than one group (must stay empty: a code means one thing). */
export const duplicateErrorCodes: readonly string[] = groups
  .flatMap((group) => Object.keys(group))
  .filter((code, index, all) => all.indexOf(code) !== index);

export const errorRegistry: ReadonlyMap<string, ErrorCodeSpec> = new Map(
  groups.flatMap((group) => Object.values(group).map((spec) => [spec.code, spec] as const)),
);
