import { defineHandler } from '@flowcard/sdk';

export default defineHandler(async () => {
  throw new Error('upstream queue was full');
});
