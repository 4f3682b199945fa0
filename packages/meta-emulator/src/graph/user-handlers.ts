import type { EmulatorCore } from '../emulator-core';
import type { FacebookUser, TokenRecord } from '../emulator-entities';
import { graphErrors } from '../graph-errors';
import type { GraphCall } from './graph-call';
import { selectFields } from './graph-fields';
import { route } from './graph-handler';
import { paginate } from './graph-paging';
import { pageTasks } from './page-access';
import { renderPage } from './page-handlers';

function renderUser(call: GraphCall, user: FacebookUser, core: EmulatorCore): Record<string, unknown> {
  const canSeeEmail = call.token?.userId === user.id && core.tokens.hasScope(call.token, 'email');
  return selectFields(
    call,
    {
      id: user.id,
      name: user.name,
      first_name: user.firstName,
      last_name: user.lastName,
      short_name: user.firstName,
      email: canSeeEmail ? user.email : undefined,
      picture: {
        data: {
          height: 50,
          width: 50,
          is_silhouette: true,
          url: `https://platform-lookaside.fbsbx.com/platform/profilepic/?asid=${user.id}`,
        },
      },
    },
    ['name'],
    'User',
  );
}

/** Edges only the user themself may call, with a user token. */
function requireSelf(call: GraphCall, user: FacebookUser): TokenRecord {
  const token = call.token;
  if (!token || token.kind !== 'user' || token.userId !== user.id)
    throw graphErrors.unsupported(call.method, user.id);
  return token;
}

export const userRoutes = [
  route('user', '', 'GET', (call, node, core) => renderUser(call, node.user, core)),

  route('user', 'accounts', 'GET', (call, node, core) => {
    const token = requireSelf(call, node.user);
    core.tokens.requireScopes(token, 'pages_show_list');
    const pages = [...node.user.pageTasks.keys()]
      .map((id) => core.state.nodes.get(id))
      .flatMap((n) => (n?.kind === 'page' && pageTasks(core, token, n.page) ? [n.page] : []));
    return paginate(
      call,
      pages,
      (p) => p.id,
      (page) => renderPage(call, page, core, ['access_token', 'category', 'category_list', 'name', 'tasks']),
    );
  }),

  route('user', 'permissions', 'GET', (call, node, core) => {
    const token = requireSelf(call, node.user);
    const grant = core.tokens.grantOf(token);
    const data = [
      ...[...(grant?.granted ?? [])].map((permission) => ({ permission, status: 'granted' })),
      ...[...(grant?.declined ?? [])].map((permission) => ({ permission, status: 'declined' })),
    ];
    return { data };
  }),

  route('user', 'permissions', 'DELETE', (call, node, core, rest) => {
    const token = requireSelf(call, node.user);
    const name = rest[0];
    const grant = core.tokens.grantOf(token);
    if (!grant) throw graphErrors.appNotInstalled(node.user.id, core.state.app.id);
    if (name === undefined) {
      // Revoking the whole grant uninstalls the app: every user and page token of this user dies (190/458).
      core.state.grants.delete(node.user.id);
      return { success: true };
    }
    if (name === 'public_profile') throw graphErrors.invalidParameter('public_profile cannot be revoked');
    grant.granted.delete(name);
    grant.declined.add(name);
    return { success: true };
  }),
];
