import { ApiError } from './api-error';

let csrfToken: string | undefined;

/** The CSRF token of the session, from sign-in, setup, invite acceptance or `GET /v1/me` (memory only). */
export function setCsrfToken(token: string | undefined): void {
  csrfToken = token;
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

let onSessionEnded: ((error: ApiError) => void) | undefined;

/** Called when a signed-in call answers 401: the session expired or was signed out elsewhere. */
export function setSessionEndedHandler(handler: ((error: ApiError) => void) | undefined): void {
  onSessionEnded = handler;
}

/**
 * Calls the public HTTP API with the session cookie. Unsafe methods carry `x-csrf-token`. Answers
 * the parsed JSON body (undefined for 204); throws ApiError for every error answer.
 */
export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (UNSAFE.has(method) && csrfToken) headers['x-csrf-token'] = csrfToken;
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(
      0,
      'STUDIO_NETWORK',
      'Flowcard did not answer. Check that it is running, then try again.',
    );
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  if (!response.ok) {
    const error = (parsed as { error?: { code?: string; message?: string; details?: unknown } })?.error;
    const failure = new ApiError(
      response.status,
      error?.code ?? `HTTP_${response.status}`,
      error?.message ?? `Flowcard answered ${response.status} ${response.statusText}.`,
      error?.details,
    );
    if (response.status === 401 && csrfToken !== undefined) onSessionEnded?.(failure);
    throw failure;
  }
  return parsed as T;
}
