import type { EmulatorCore } from '../emulator-core';
import type { GraphNode, TokenRecord } from '../emulator-entities';
import { graphErrors } from '../graph-errors';
import { accessToken, debugToken } from '../oauth/oauth-token-handlers';
import { appRoutes } from './app-handlers';
import { listParam, type GraphCall } from './graph-call';
import type { RoutedHandler } from './graph-handler';
import { leadRoutes } from './lead-handlers';
import { pageTasks } from './page-access';
import { pageRoutes } from './page-handlers';
import { userRoutes } from './user-handlers';
import { workplaceRoutes } from './workplace-handlers';

const routes = new Map<string, RoutedHandler>([
  ...userRoutes,
  ...pageRoutes,
  ...leadRoutes,
  ...appRoutes,
  ...workplaceRoutes,
]);
const edgesByKind = new Map<string, Set<string>>();
for (const key of routes.keys()) {
  const [kind, edge] = key.split(' ');
  if (!edgesByKind.has(kind)) edgesByKind.set(kind, new Set());
  edgesByKind.get(kind)?.add(edge);
}
/** Routes that take one more path segment (`/me/permissions/{name}`, `/{group}/members/{id}`). */
const TAKES_ID_SEGMENT = new Set(['user permissions DELETE', 'group members DELETE']);
const WORKPLACE_KINDS = new Set(['community', 'integration', 'member', 'group', 'group_post']);
const NODE_TYPE: Record<string, string> = {
  user: 'User',
  page: 'Page',
  post: 'Post',
  comment: 'Comment',
  photo: 'Photo',
  form: 'LeadgenForm',
  lead: 'Lead',
  app: 'Application',
  community: 'Community',
  integration: 'Application',
  member: 'User',
  group: 'Group',
  group_post: 'Post',
};

/** Calls that do not need an access token (they authenticate with client_id/client_secret). */
export function isTokenless(segments: readonly string[]): boolean {
  return segments[0] === 'oauth' && segments[1] === 'access_token';
}

function isWorkplaceToken(token: TokenRecord | undefined): boolean {
  return token?.kind === 'workplace' || token?.kind === 'impersonation';
}

function meNode(call: GraphCall, core: EmulatorCore): GraphNode | undefined {
  const token = call.token;
  if (!token || token.kind === 'app') throw graphErrors.missingToken();
  if (token.kind === 'workplace') return { kind: 'integration', community: core.state.community };
  const id =
    token.kind === 'page' ? token.pageId : token.kind === 'impersonation' ? token.memberId : token.userId;
  return id ? core.state.nodes.get(id) : undefined;
}

function lookup(id: string, call: GraphCall, core: EmulatorCore): GraphNode | undefined {
  if (id === 'me') return meNode(call, core);
  if (id === 'community')
    return isWorkplaceToken(call.token) ? { kind: 'community', community: core.state.community } : undefined;
  if (id === 'app') return { kind: 'app', app: core.state.app };
  const node = core.state.nodes.get(id);
  if (node) return node;
  if (id.includes('@') && isWorkplaceToken(call.token)) {
    const member = core.state.membersByEmail.get(id.toLowerCase());
    return member ? { kind: 'member', member } : undefined;
  }
  return undefined;
}

/** Whether the token may know the object exists; otherwise Graph answers "Unsupported get request". */
function visible(token: TokenRecord | undefined, node: GraphNode, core: EmulatorCore): boolean {
  if (WORKPLACE_KINDS.has(node.kind)) return isWorkplaceToken(token);
  if (isWorkplaceToken(token)) return false;
  switch (node.kind) {
    case 'user':
    case 'app':
    case 'page':
      return true;
    case 'post':
    case 'comment':
    case 'photo':
    case 'form':
    case 'lead':
      return pageTasks(core, token, node.page) !== undefined;
    default:
      return false;
  }
}

function pageIdOf(node: GraphNode): string | undefined {
  switch (node.kind) {
    case 'page':
      return node.page.id;
    case 'post':
    case 'comment':
    case 'photo':
    case 'form':
    case 'lead':
      return node.page.id;
    default:
      return undefined;
  }
}

/**
 * Works out what a Graph call targets (marking the page it touches, for rate limits and usage) and
 * returns the operation to run, or throws Meta's error for an unknown object, edge or method.
 */
export function resolveGraphCall(call: GraphCall, core: EmulatorCore): () => unknown {
  const [first = '', edge = '', ...rest] = call.segments;
  if (first === '') {
    if (call.method === 'GET' && call.params.ids !== undefined) return () => batchGet(call, core);
    throw graphErrors.unknownPath('');
  }
  if (isTokenless(call.segments)) return () => accessToken(call, core);
  if (first === 'debug_token' && edge === '') return () => debugToken(call, core);
  if (!call.token) throw first === 'me' ? graphErrors.missingToken() : graphErrors.accessTokenRequired();

  const node = lookup(first, call, core);
  if (!node || !visible(call.token, node, core)) throw graphErrors.unsupported(call.method, first);
  call.pageId = pageIdOf(node);
  call.leadgen = node.kind === 'form' || node.kind === 'lead' || edge === 'leadgen_forms';
  const key = `${node.kind} ${edge} ${call.method}`;
  const handler = routes.get(key);
  if (!handler) {
    if (edge === '' || edgesByKind.get(node.kind)?.has(edge))
      throw graphErrors.unsupported(call.method, first);
    throw graphErrors.nonexistingField(edge, NODE_TYPE[node.kind] ?? node.kind);
  }
  if (rest.length > (TAKES_ID_SEGMENT.has(key) ? 1 : 0))
    throw graphErrors.unknownPath(call.segments.join('/'));
  return () => handler(call, node, core, rest);
}

/** `GET /?ids=a,b&fields=…` → `{ "a": {…}, "b": {…} }`; any unknown id fails the whole call (803). */
async function batchGet(call: GraphCall, core: EmulatorCore): Promise<unknown> {
  if (!call.token) throw graphErrors.accessTokenRequired();
  const ids = listParam(call, 'ids') ?? [];
  const out: Record<string, unknown> = {};
  const missing: string[] = [];
  const resolved: [string, GraphNode, RoutedHandler][] = [];
  for (const id of ids) {
    const node = lookup(id, call, core);
    const handler = node ? routes.get(`${node.kind}  GET`) : undefined;
    if (!node || !handler || !visible(call.token, node, core)) missing.push(id);
    else resolved.push([id, node, handler]);
  }
  if (missing.length > 0) throw graphErrors.aliasesMissing(missing);
  for (const [id, node, handler] of resolved) out[id] = await handler(call, node, core, []);
  return out;
}
