import { createHmac } from 'node:crypto';
import { CardError, defineHandler } from '@flowcard/sdk';

interface PostAsMemberInput {
  memberId: string;
  groupId: string;
  message: string;
  link?: string;
}

interface PostAsMemberOutput {
  id: string;
  memberId: string;
}

/**
 * Impersonation is two calls a declarative request cannot chain: read the member's
 * impersonate_token with the integration token, then post with that token instead.
 */
export default defineHandler<PostAsMemberInput, PostAsMemberOutput>(async (ctx, input) => {
  const member = await ctx.http.request<{ id: string; impersonate_token?: string }>({
    method: 'GET',
    path: `/${encodeURIComponent(input.memberId)}`,
    query: { fields: 'impersonate_token' },
  });
  const token = member.data.impersonate_token;
  if (!token) {
    throw new CardError(
      'permission',
      `Workplace returned no impersonation token for member ${input.memberId}: give the integration the "Impersonate account" permission.`,
      { permission: 'impersonate_account', code: 'WORKPLACE_NO_IMPERSONATE_TOKEN' },
    );
  }
  // auth 'none' keeps the client from sending the integration's token: the post must carry the
  // member's. The client then adds no appsecret_proof either, so it is computed here for the
  // member's token (needsSecrets gives the app secret) when the configuration has a secret.
  const appSecret = ctx.secrets?.appSecret;
  const post = await ctx.http.request<{ id: string }>({
    method: 'POST',
    path: `/${encodeURIComponent(input.groupId)}/feed`,
    auth: 'none',
    headers: { Authorization: `Bearer ${token}` },
    query: {
      appsecret_proof: appSecret ? createHmac('sha256', appSecret).update(token).digest('hex') : undefined,
    },
    body: { message: input.message, link: input.link },
  });
  return { id: post.data.id, memberId: input.memberId };
});
