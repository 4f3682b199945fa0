import { CardError, defineHandler } from '@flowcard/sdk';

export default defineHandler(async () => {
  throw new CardError('permission', 'The page role does not allow posting', {
    code: 'TEST_ERR_ROLE',
    permission: 'pages_manage_posts',
  });
});
