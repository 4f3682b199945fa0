import { defineHandler } from '@flowcard/sdk';

/** A polling handler: returns raw items and its own cursor. */
export default defineHandler(async (_ctx, args: { cursor?: { since?: number } }) => ({
  items: [
    { id: 'l2', created_time: '2026-01-02T10:00:00+0000' },
    { id: 'l1', created_time: '2026-01-01T10:00:00+0000' },
  ],
  cursor: { since: (args.cursor?.since ?? 0) + 1, page: 'p1' },
}));
