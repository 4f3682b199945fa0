import type { FlowSignal } from '@flowcard/sdk';

/**
 * One stable error code. Codes are part of the interface: never rename or reuse a retired one
 * (mark it `retired: true` instead). The README's error table is checked against this registry.
 */
export interface ErrorCodeSpec {
  /** FLOWCARD_ERR_<AREA>_<WHAT> */
  readonly code: string;
  /** Message template; {name} placeholders are filled from params. */
  readonly message: string;
  /** HTTP status the API answers with when this error reaches a client. */
  readonly status: number;
  /** What the failure means: a flow signal for execution errors, or a client/server category. */
  readonly category: FlowSignal | 'client' | 'server';
  /** For messages a person reads in the Studio: one line saying what to do about it. */
  readonly whatToDo?: string;
  readonly retired?: boolean;
}

/** Declares a group of codes; keys must equal the code strings (checked by the registry test). */
export function defineErrorCodes<T extends Record<string, Omit<ErrorCodeSpec, 'code'>>>(
  codes: T,
): { readonly [K in keyof T]: ErrorCodeSpec & { code: K } } {
  const out: Record<string, ErrorCodeSpec> = {};
  for (const [code, spec] of Object.entries(codes)) out[code] = { code, ...spec };
  return out as { readonly [K in keyof T]: ErrorCodeSpec & { code: K } };
}

/** Fills {placeholders}; a missing param stays visible rather than becoming "undefined". */
export function formatErrorMessage(template: string, params: Record<string, unknown> = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}
