import type { PaginationSpec, RequestSpec } from '@flowcard/schemas';
import type { HttpMethod } from '@flowcard/sdk';
import { compileTemplate, type CompiledTemplate } from '../templates/compile-template';
import { parsePath, type PathSegments } from '../templates/object-path';
import { compileOutput, type CompiledOutput } from './compiled-output';

/** A declarative request with every template compiled, ready to render per call. */
export interface CompiledRequest {
  readonly method: HttpMethod;
  readonly path: CompiledTemplate;
  readonly query?: CompiledTemplate;
  readonly headers?: CompiledTemplate;
  readonly body?: CompiledTemplate;
  readonly bodyType: 'json' | 'form';
  readonly auth: 'configuration' | 'none' | { pageToken: CompiledTemplate };
  readonly paginate?: CompiledPagination;
  readonly output: CompiledOutput;
}

export interface CompiledPagination {
  readonly style: PaginationSpec['style'];
  readonly itemsPath: PathSegments;
  readonly maxItems?: CompiledTemplate;
  readonly maxPages: number;
  readonly pageSize?: CompiledTemplate;
}

export const DEFAULT_MAX_PAGES = 50;

export function compileRequest(spec: RequestSpec, card: string): CompiledRequest {
  const auth = spec.auth;
  return {
    method: spec.method,
    path: compileTemplate(spec.path),
    ...(spec.query ? { query: compileTemplate(spec.query) } : {}),
    ...(spec.headers ? { headers: compileTemplate(spec.headers) } : {}),
    ...(spec.body !== undefined ? { body: compileTemplate(spec.body) } : {}),
    bodyType: spec.bodyType ?? 'json',
    auth:
      auth === undefined || auth === 'configuration'
        ? 'configuration'
        : auth === 'none'
          ? 'none'
          : { pageToken: compileTemplate(auth.pageToken) },
    ...(spec.paginate ? { paginate: compilePagination(spec.paginate) } : {}),
    output: compileOutput(spec.output, card),
  };
}

function compilePagination(spec: PaginationSpec): CompiledPagination {
  return {
    style: spec.style,
    itemsPath: parsePath(spec.itemsPath ?? (spec.style === 'scim' ? 'Resources' : 'data')),
    ...(spec.maxItems !== undefined ? { maxItems: compileTemplate(spec.maxItems) } : {}),
    maxPages: spec.maxPages ?? DEFAULT_MAX_PAGES,
    ...(spec.pageSize !== undefined ? { pageSize: compileTemplate(spec.pageSize) } : {}),
  };
}
