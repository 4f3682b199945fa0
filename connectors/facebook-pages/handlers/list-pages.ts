import { createHmac } from 'node:crypto';
import { CardError, defineHandler } from '@flowcard/sdk';

type ListPagesInput = Record<string, never>;

interface PageOption {
  id: string;
  name: string;
  category?: string;
  tasks?: string[];
}

interface AccountsPage {
  data: (PageOption & { access_token?: string })[];
  paging?: { next?: string };
}

const MAX_PAGES = 20;

/**
 * /me/accounts must be called with the *user* token, while the configuration's token (the one the
 * HTTP client applies) is a page token, for which /me is the page. So the request goes out with
 * auth 'none' and the user token from the secrets (needsSecrets), plus its appsecret_proof when
 * the configuration has an app secret. Page tokens in the answer are dropped: they are secrets.
 */
export default defineHandler<ListPagesInput, PageOption[]>(async (ctx) => {
  const userToken = ctx.secrets?.userAccessToken;
  if (!userToken) {
    throw new CardError(
      'invalid',
      'This configuration has no user access token, so it cannot list your Pages: reconnect it with Connect Meta, or add userAccessToken to the configuration.',
      { code: 'FACEBOOK_NO_USER_TOKEN' },
    );
  }
  const appSecret = ctx.secrets?.appSecret;
  const proof = appSecret ? createHmac('sha256', appSecret).update(userToken).digest('hex') : undefined;
  const pages: PageOption[] = [];
  let res = await ctx.http.request<AccountsPage>({
    method: 'GET',
    path: '/me/accounts',
    auth: 'none',
    headers: { Authorization: `Bearer ${userToken}` },
    query: { fields: 'id,name,category,tasks', limit: 100, appsecret_proof: proof },
  });
  for (let page = 1; ; page++) {
    for (const { id, name, category, tasks } of res.data.data) pages.push({ id, name, category, tasks });
    const next = res.data.paging?.next;
    if (!next || page >= MAX_PAGES) break;
    // next repeats the query (fields, limit, proof) but never the token, which travels in the header.
    res = await ctx.http.request<AccountsPage>({
      method: 'GET',
      url: next,
      auth: 'none',
      headers: { Authorization: `Bearer ${userToken}` },
    });
  }
  return pages;
});
