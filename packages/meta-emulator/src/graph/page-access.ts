import type { EmulatorCore } from '../emulator-core';
import type { FacebookPage, TokenRecord } from '../emulator-entities';
import { graphErrors } from '../graph-errors';

/** The tasks a token holds on a page, or undefined when it has no role there (or the page was not granted). */
export function pageTasks(
  core: EmulatorCore,
  token: TokenRecord | undefined,
  page: FacebookPage,
): string[] | undefined {
  if (!token || !token.userId) return undefined;
  if (token.kind === 'page' && token.pageId !== page.id) return undefined;
  if (token.kind !== 'page' && token.kind !== 'user') return undefined;
  const user = core.state.users.get(token.userId);
  const grant = core.state.grants.get(token.userId);
  if (!user || !grant || !grant.pageIds.has(page.id)) return undefined;
  return user.pageTasks.get(page.id);
}

/**
 * Writes as the Page need that Page's token, the permissions, and a task allowing it
 * (MANAGE implies every task, as in Meta's task model).
 */
export function requirePageWrite(
  core: EmulatorCore,
  token: TokenRecord | undefined,
  page: FacebookPage,
  task: string,
  ...permissions: string[]
): TokenRecord {
  if (!token || token.kind !== 'page' || token.pageId !== page.id) throw graphErrors.pageTokenRequired();
  core.tokens.requireScopes(token, ...permissions);
  const tasks = pageTasks(core, token, page) ?? [];
  if (!tasks.includes(task) && !tasks.includes('MANAGE')) throw graphErrors.missingTask(task);
  return token;
}

/** Reads need a page or user token with a role on the page plus the permissions. */
export function requirePageRead(
  core: EmulatorCore,
  token: TokenRecord | undefined,
  page: FacebookPage,
  ...permissions: string[]
): TokenRecord {
  if (!token || pageTasks(core, token, page) === undefined) throw graphErrors.unsupported('get', page.id);
  core.tokens.requireScopes(token, ...permissions);
  return token;
}

/** Publishing or editing the Page's posts: the CREATE_CONTENT task and pages_manage_posts. */
export function requirePostWrite(
  core: EmulatorCore,
  token: TokenRecord | undefined,
  page: FacebookPage,
): TokenRecord {
  return requirePageWrite(core, token, page, 'CREATE_CONTENT', 'pages_manage_posts', 'pages_read_engagement');
}

/** Commenting or moderating comments: the MODERATE task and pages_manage_engagement. */
export function requireModeration(
  core: EmulatorCore,
  token: TokenRecord | undefined,
  page: FacebookPage,
): TokenRecord {
  return requirePageWrite(core, token, page, 'MODERATE', 'pages_manage_engagement', 'pages_read_engagement');
}
