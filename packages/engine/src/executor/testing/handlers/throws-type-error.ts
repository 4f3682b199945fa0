import { defineHandler } from '@flowcard/sdk';

export default defineHandler(async (_ctx, input: Record<string, unknown>) => {
  // A handler bug: reads a property of something that is not there.
  return (input.missing as { name: string }).name;
});
