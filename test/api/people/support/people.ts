import { getBound } from '@flowcard/runtime';
import { PeopleTokens } from '../../../../runtime/src/people/people-tokens';
import type { TestRuntime } from '../../support/start-test-runtime';
import { Browser } from './browser';

export const PASSWORD = 'correct horse battery staple';

/** Gives an existing user (made with createAdmin) a password and signs them in: a browser with a session. */
export async function signInAs(runtime: TestRuntime, userId: string, email: string): Promise<Browser> {
  await getBound(runtime.handle.container, PeopleTokens.people).setPassword(userId, PASSWORD);
  const browser = new Browser(runtime.url);
  const answer = await browser.post('/v1/auth/sign-in', { email, password: PASSWORD });
  if (answer.status !== 200) throw new Error(`sign-in of ${email}: ${JSON.stringify(answer.body)}`);
  return browser;
}

/** An admin's browser invites `email` with `role`, and a new browser accepts as a new account. */
export async function inviteAndAccept(
  admin: Browser,
  runtime: TestRuntime,
  email: string,
  role: 'admin' | 'member',
  name: string,
): Promise<{ browser: Browser; userId: string; link: string }> {
  const invited = await admin.post('/v1/team/invites', { email, role });
  if (invited.status !== 201) throw new Error(`invite ${email}: ${JSON.stringify(invited.body)}`);
  const token = tokenOf(invited.body.link);
  const browser = new Browser(runtime.url);
  const accepted = await browser.post(`/v1/invites/${token}/accept`, { name, password: PASSWORD });
  if (accepted.status !== 201) throw new Error(`accept ${email}: ${JSON.stringify(accepted.body)}`);
  return { browser, userId: accepted.body.user.id, link: invited.body.link };
}

/** The token of an invite link `<public url>/invite/<token>`. */
export function tokenOf(link: string): string {
  return link.slice(link.lastIndexOf('/') + 1);
}
