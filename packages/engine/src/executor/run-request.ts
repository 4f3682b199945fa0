import type { ConnectorHttpClient, CallAuth, CallTarget, HttpResponse } from '../http/connector-http-client';
import { joinUrl } from '../http/connector-http-client';
import type { OutgoingRequest } from '../http/outgoing-request';
import type { UsageHeaders } from '../http/usage-headers';
import { getAtPath, setAtPath } from '../templates/object-path';
import type { TemplateContext } from '../templates/template-context';
import type { CompiledPagination, CompiledRequest } from './compiled-request';

/** The body after paging (items of every page collected at the items path), and what it cost. */
export interface RequestOutcome {
  body: unknown;
  calls: number;
  usage?: UsageHeaders;
}

/**
 * Renders a compiled request over `context`, sends it with the token it names, and follows pages.
 * graph-cursor follows the absolute `paging.next` link until it is absent, maxItems or maxPages;
 * scim asks startIndex/count until totalResults. Collected items replace the first page's items,
 * and Graph's `paging` block is dropped (it describes one page, not the collected whole).
 */
export async function runRequest(
  client: ConnectorHttpClient,
  target: CallTarget,
  request: CompiledRequest,
  context: TemplateContext,
  signal?: AbortSignal,
): Promise<RequestOutcome> {
  const auth = callAuth(request, context);
  const first: OutgoingRequest = {
    method: request.method,
    url: joinUrl(target.baseUrl, String(request.path.render(context))),
    ...(request.query ? { query: request.query.render(context) as Record<string, unknown> } : {}),
    ...(request.headers ? { headers: stringHeaders(request.headers.render(context)) } : {}),
    ...(request.body ? { body: request.body.render(context) } : {}),
    bodyType: request.bodyType,
    signal,
  };
  if (!request.paginate) {
    const response = await client.call(target, first, auth);
    return { body: response.data, calls: 1, ...(response.usage ? { usage: response.usage } : {}) };
  }
  const paging = request.paginate;
  const limits = {
    maxItems: positiveNumber(paging.maxItems?.render(context)),
    pageSize: positiveNumber(paging.pageSize?.render(context)),
  };
  return paging.style === 'graph-cursor'
    ? followGraphCursor(client, target, first, auth, paging, limits)
    : followScim(client, target, first, auth, paging, limits);
}

interface Limits {
  maxItems?: number;
  pageSize?: number;
}

async function followGraphCursor(
  client: ConnectorHttpClient,
  target: CallTarget,
  first: OutgoingRequest,
  auth: CallAuth,
  paging: CompiledPagination,
  limits: Limits,
): Promise<RequestOutcome> {
  const request =
    limits.pageSize === undefined ? first : { ...first, query: { limit: limits.pageSize, ...first.query } };
  let response = await client.call(target, request, auth);
  const firstBody = response.data;
  const items: unknown[] = [];
  let calls = 1;
  for (;;) {
    const page = getAtPath(response.data, paging.itemsPath);
    if (Array.isArray(page)) items.push(...page);
    const next = getAtPath(response.data, ['paging', 'next']);
    const full = limits.maxItems !== undefined && items.length >= limits.maxItems;
    if (
      typeof next !== 'string' ||
      next === '' ||
      full ||
      calls >= paging.maxPages ||
      !Array.isArray(page) ||
      page.length === 0
    )
      break;
    // The next link is absolute and complete (cursor, limit, fields); credentials are re-applied.
    response = await client.call(target, { method: 'GET', url: next, signal: first.signal }, auth);
    calls++;
  }
  const collected = limits.maxItems === undefined ? items : items.slice(0, limits.maxItems);
  const body = setAtPath(firstBody, paging.itemsPath, collected);
  if (body !== null && typeof body === 'object' && !Array.isArray(body))
    delete (body as Record<string, unknown>).paging;
  return { body, calls, ...(response.usage ? { usage: response.usage } : {}) };
}

async function followScim(
  client: ConnectorHttpClient,
  target: CallTarget,
  first: OutgoingRequest,
  auth: CallAuth,
  paging: CompiledPagination,
  limits: Limits,
): Promise<RequestOutcome> {
  let startIndex = positiveNumber(first.query?.startIndex) ?? 1;
  const count = limits.pageSize ?? positiveNumber(first.query?.count) ?? 100;
  const items: unknown[] = [];
  let firstBody: unknown;
  let response: HttpResponse | undefined;
  let calls = 0;
  for (;;) {
    response = await client.call(target, { ...first, query: { ...first.query, startIndex, count } }, auth);
    calls++;
    if (firstBody === undefined) firstBody = response.data;
    const page = getAtPath(response.data, paging.itemsPath);
    const pageItems = Array.isArray(page) ? page : [];
    items.push(...pageItems);
    const total = Number(getAtPath(response.data, ['totalResults']));
    startIndex += pageItems.length;
    const full = limits.maxItems !== undefined && items.length >= limits.maxItems;
    const done = pageItems.length === 0 || !Number.isFinite(total) || startIndex > total;
    if (done || full || calls >= paging.maxPages) break;
  }
  const collected = limits.maxItems === undefined ? items : items.slice(0, limits.maxItems);
  const body = setAtPath(firstBody, paging.itemsPath, collected);
  if (body !== null && typeof body === 'object' && !Array.isArray(body))
    (body as Record<string, unknown>).itemsPerPage = collected.length;
  return { body, calls, ...(response.usage ? { usage: response.usage } : {}) };
}

function callAuth(request: CompiledRequest, context: TemplateContext): CallAuth {
  if (typeof request.auth === 'string') return request.auth;
  return { pageId: String(request.auth.pageToken.render(context) ?? '') };
}

function stringHeaders(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, header] of Object.entries((value ?? {}) as Record<string, unknown>)) {
    if (header !== undefined && header !== null && header !== '') out[name] = String(header);
  }
  return out;
}

function positiveNumber(value: unknown): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const number = Number(value);
  return Number.isFinite(number) && number > 0 ? Math.floor(number) : undefined;
}
