import type { HttpMethod } from '@flowcard/sdk';

/** A request after templates are rendered, before credentials are added. */
export interface OutgoingRequest {
  method: HttpMethod;
  /** Absolute URL (base URL + path, or a paging link); may already carry a query. */
  url: string;
  /** Values are sent as text; objects and arrays as JSON (Graph's `filtering=[…]`); undefined/null are left out. */
  query?: Readonly<Record<string, unknown>>;
  headers?: Readonly<Record<string, string>>;
  body?: unknown;
  bodyType?: 'json' | 'form';
  signal?: AbortSignal;
}
