import { defineHandler } from '@flowcard/sdk';

/** Calls GET /me through the context's client and reports what the handler could see. */
export default defineHandler(async (ctx, input: Record<string, unknown>) => {
  const res = await ctx.http.request<{ id: string }>({ method: 'GET', path: '/me', query: { fields: 'id' } });
  return {
    id: res.data.id,
    greeting: `hello ${String(input.name)}`,
    sawSecrets: ctx.secrets !== undefined,
    config: ctx.config.baseUrl !== undefined,
    card: ctx.card,
  };
});
