import type { EmulatorCore } from '../emulator-core';
import type { GroupPost, WorkplaceGroup, WorkplaceMember } from '../emulator-entities';
import { graphErrors } from '../graph-errors';
import { formatGraphTime } from '../graph-time';
import { jsonParam, stringParam, type GraphCall } from './graph-call';
import { selectFields } from './graph-fields';
import { route } from './graph-handler';
import { paginate } from './graph-paging';

const PRIVACIES = ['OPEN', 'CLOSED', 'SECRET'] as const;

/** Who acts: the impersonated member, or the integration's bot. */
function actor(call: GraphCall, core: EmulatorCore): { id: string; name: string; member?: WorkplaceMember } {
  const token = call.token;
  if (token?.kind === 'impersonation' && token.memberId) {
    const node = core.state.nodes.get(token.memberId);
    if (node?.kind === 'member') return { id: node.member.id, name: node.member.name, member: node.member };
  }
  return { id: core.state.community.integrationId, name: core.state.community.integrationName };
}

function requirePermission(call: GraphCall, core: EmulatorCore, permission: string): void {
  if (!call.token) throw graphErrors.missingToken();
  core.tokens.requireScopes(call.token, permission);
}

/** An impersonated member only sees and writes non-open groups they belong to. */
function requireGroupAccess(call: GraphCall, core: EmulatorCore, group: WorkplaceGroup): void {
  const who = actor(call, core);
  if (who.member && group.privacy !== 'OPEN' && !group.memberIds.includes(who.member.id)) {
    throw graphErrors.missingPermission(['group membership']);
  }
}

export function renderMember(
  call: GraphCall,
  member: WorkplaceMember,
  core: EmulatorCore,
): Record<string, unknown> {
  const token = call.token;
  const isIntegration = token?.kind === 'workplace';
  return selectFields(
    call,
    {
      id: member.id,
      name: member.name,
      first_name: member.firstName,
      last_name: member.lastName,
      email: token && core.tokens.hasScope(token, 'read_user_email') ? member.email : undefined,
      title: member.title,
      department: member.department,
      employee_number: member.employeeNumber,
      active: member.active,
      administrator: member.isAdmin,
      locale: 'en_US',
      link: `https://flowcard.workplace.com/profile.php?id=${member.id}`,
      impersonate_token:
        isIntegration && token && core.tokens.hasScope(token, 'impersonate_account')
          ? member.impersonateToken
          : undefined,
    },
    ['name'],
    'User',
  );
}

function renderGroup(call: GraphCall, group: WorkplaceGroup): Record<string, unknown> {
  return selectFields(
    call,
    {
      id: group.id,
      name: group.name,
      description: group.description,
      privacy: group.privacy,
      purpose: group.purpose,
      updated_time: formatGraphTime(group.posts.at(-1)?.createdAt ?? group.createdAt),
      member_count: group.memberIds.length,
      archived: false,
    },
    ['name', 'privacy'],
    'Group',
  );
}

function renderGroupPost(call: GraphCall, post: GroupPost): Record<string, unknown> {
  return selectFields(
    call,
    {
      id: post.id,
      message: post.message,
      link: post.link,
      created_time: formatGraphTime(post.createdAt),
      updated_time: formatGraphTime(post.createdAt),
      from: { id: post.fromId, name: post.fromName },
      permalink_url: `https://flowcard.workplace.com/groups/${post.groupId}/permalink/${post.id.split('_')[1]}/`,
    },
    ['message', 'created_time', 'updated_time'],
    'Post',
  );
}

function members(core: EmulatorCore, ids: readonly string[]): WorkplaceMember[] {
  return ids.map((id) => core.state.nodes.get(id)).flatMap((n) => (n?.kind === 'member' ? [n.member] : []));
}

/** `member=<id>` or `email=<address>` → a community member, or error 100. */
function memberParam(call: GraphCall, core: EmulatorCore): WorkplaceMember {
  const id = stringParam(call, 'member');
  const email = stringParam(call, 'email');
  const found = id ? core.state.nodes.get(id) : undefined;
  if (found?.kind === 'member') return found.member;
  const byEmail = email ? core.state.membersByEmail.get(email.toLowerCase()) : undefined;
  if (byEmail) return byEmail;
  if (!id && !email) throw graphErrors.invalidParameter('One of the parameters member or email is required');
  throw graphErrors.invalidParameter(`Invalid member: ${id ?? email}`);
}

function sendMessage(call: GraphCall, core: EmulatorCore): unknown {
  requirePermission(call, core, 'message_any_member');
  const recipient = jsonParam(call, 'recipient') as { id?: unknown; ids?: unknown } | undefined;
  const message = jsonParam(call, 'message') as { text?: unknown } | undefined;
  if (!recipient || typeof recipient !== 'object')
    throw graphErrors.invalidParameter('param recipient must be non-empty.');
  if (!message || typeof message !== 'object' || typeof message.text !== 'string' || message.text === '') {
    throw graphErrors.invalidParameter('param message must be non-empty and contain text.');
  }
  const ids = Array.isArray(recipient.ids)
    ? recipient.ids.map(String)
    : recipient.id !== undefined
      ? [String(recipient.id)]
      : [];
  if (ids.length === 0) throw graphErrors.invalidParameter('param recipient must contain id or ids.');
  for (const id of ids) {
    const node = core.state.nodes.get(id) ?? undefined;
    const member = node?.kind === 'member' ? node.member : core.state.membersByEmail.get(id.toLowerCase());
    if (!member || !member.active) throw graphErrors.userNotFound();
  }
  const from = actor(call, core);
  const messageId = `m_${core.state.newId()}`;
  const threadKey = ids.length > 1 ? `t_${core.state.newId()}` : undefined;
  core.state.messages.push({
    id: messageId,
    fromId: from.id,
    recipientIds: ids,
    text: message.text,
    createdAt: core.clock.now(),
    threadKey,
  });
  return threadKey
    ? { thread_key: threadKey, message_id: messageId }
    : { recipient_id: ids[0], message_id: messageId };
}

export const workplaceRoutes = [
  route('community', '', 'GET', (call, node) =>
    selectFields(
      call,
      {
        id: node.community.id,
        name: node.community.name,
        privacy: node.community.privacy,
        member_count: node.community.memberIds.length,
      },
      ['name'],
      'Community',
    ),
  ),

  route('community', 'members', 'GET', (call, node, core) =>
    paginate(
      call,
      members(core, node.community.memberIds),
      (m) => m.id,
      (m) => renderMember(call, m, core),
    ),
  ),

  route('community', 'admins', 'GET', (call, node, core) =>
    paginate(
      call,
      members(core, node.community.memberIds).filter((m) => m.isAdmin),
      (m) => m.id,
      (m) => renderMember(call, m, core),
    ),
  ),

  route('community', 'groups', 'GET', (call, node, core) => {
    requirePermission(call, core, 'read_group_content');
    const groups = node.community.groupIds
      .map((id) => core.state.nodes.get(id))
      .flatMap((n) => (n?.kind === 'group' ? [n.group] : []));
    return paginate(
      call,
      groups,
      (g) => g.id,
      (g) => renderGroup(call, g),
    );
  }),

  route('community', 'groups', 'POST', (call, node, core) => {
    requirePermission(call, core, 'manage_groups');
    const name = stringParam(call, 'name');
    if (!name) throw graphErrors.invalidParameter('The parameter name is required');
    const privacy = (stringParam(call, 'privacy') ?? 'CLOSED').toUpperCase();
    if (!(PRIVACIES as readonly string[]).includes(privacy))
      throw graphErrors.invalidParameter(`Param privacy must be one of {${PRIVACIES.join(', ')}}`);
    const creator = actor(call, core);
    const group: WorkplaceGroup = {
      id: core.state.newId(),
      name,
      description: stringParam(call, 'description') ?? '',
      privacy: privacy as WorkplaceGroup['privacy'],
      purpose: stringParam(call, 'purpose') ?? 'CASUAL',
      memberIds: creator.member ? [creator.member.id] : [],
      adminIds: new Set(creator.member ? [creator.member.id] : []),
      posts: [],
      createdAt: core.clock.now(),
    };
    node.community.groupIds.push(group.id);
    core.state.nodes.set(group.id, { kind: 'group', group });
    return { id: group.id };
  }),

  route('integration', '', 'GET', (call, node) =>
    selectFields(
      call,
      {
        id: node.community.integrationId,
        name: node.community.integrationName,
        community: { id: node.community.id },
      },
      ['name'],
      'Application',
    ),
  ),
  route('integration', 'messages', 'POST', (call, _node, core) => sendMessage(call, core)),
  route('member', 'messages', 'POST', (call, node, core) => {
    if (call.token?.memberId !== node.member.id) throw graphErrors.unsupported('post', node.member.id);
    return sendMessage(call, core);
  }),

  route('member', '', 'GET', (call, node, core) => renderMember(call, node.member, core)),

  route('member', 'groups', 'GET', (call, node, core) => {
    requirePermission(call, core, 'read_group_content');
    const groups = core.state.community.groupIds
      .map((id) => core.state.nodes.get(id))
      .flatMap((n) => (n?.kind === 'group' && n.group.memberIds.includes(node.member.id) ? [n.group] : []));
    return paginate(
      call,
      groups,
      (g) => g.id,
      (g) => renderGroup(call, g),
    );
  }),

  route('group', '', 'GET', (call, node, core) => {
    requirePermission(call, core, 'read_group_content');
    requireGroupAccess(call, core, node.group);
    return renderGroup(call, node.group);
  }),

  route('group', 'feed', 'GET', (call, node, core) => {
    requirePermission(call, core, 'read_group_content');
    requireGroupAccess(call, core, node.group);
    const posts = [...node.group.posts].reverse();
    return paginate(
      call,
      posts,
      (p) => p.id,
      (p) => renderGroupPost(call, p),
    );
  }),

  route('group', 'feed', 'POST', (call, node, core) => {
    requirePermission(call, core, 'manage_group_content');
    requireGroupAccess(call, core, node.group);
    const message = stringParam(call, 'message');
    const link = stringParam(call, 'link');
    if (!message && !link) throw graphErrors.invalidParameter('Missing message or attachment');
    const from = actor(call, core);
    const post: GroupPost = {
      id: `${node.group.id}_${core.state.newId()}`,
      groupId: node.group.id,
      message: message ?? '',
      link,
      fromId: from.id,
      fromName: from.name,
      createdAt: core.clock.now(),
    };
    node.group.posts.push(post);
    core.state.nodes.set(post.id, { kind: 'group_post', post, group: node.group });
    return { id: post.id };
  }),

  route('group_post', '', 'GET', (call, node, core) => {
    requirePermission(call, core, 'read_group_content');
    requireGroupAccess(call, core, node.group);
    return renderGroupPost(call, node.post);
  }),

  route('group', 'members', 'GET', (call, node, core) => {
    requirePermission(call, core, 'read_group_content');
    requireGroupAccess(call, core, node.group);
    return paginate(
      call,
      members(core, node.group.memberIds),
      (m) => m.id,
      (m) => ({
        ...renderMember(call, m, core),
        administrator: node.group.adminIds.has(m.id),
      }),
    );
  }),

  route('group', 'members', 'POST', (call, node, core) => {
    requirePermission(call, core, 'manage_groups');
    const member = memberParam(call, core);
    if (!node.group.memberIds.includes(member.id)) node.group.memberIds.push(member.id);
    return { success: true };
  }),

  route('group', 'members', 'DELETE', (call, node, core, rest) => {
    requirePermission(call, core, 'manage_groups');
    // DELETE /{group}/members/{member-id} is accepted too.
    if (rest[0]) call.params.member = rest[0];
    const member = memberParam(call, core);
    node.group.memberIds = node.group.memberIds.filter((id) => id !== member.id);
    node.group.adminIds.delete(member.id);
    return { success: true };
  }),
];
