import { defineHandler } from '@flowcard/sdk';

// Sends the configuration's token itself, in a custom header, on a request marked auth: 'none'.
export default defineHandler(async (ctx) => {
  const token = ctx.secrets?.accessToken ?? '';
  const response = await ctx.http.request({
    method: 'GET',
    path: '/me',
    auth: 'none',
    headers: { 'x-custom-token': token },
  });
  return response.data;
});
