import { defineHandler, invalidInput } from '@flowcard/sdk';

interface SchedulePostInput {
  message: string;
  link?: string;
  /** ISO 8601 date-time. */
  publishAt: string;
}

interface SchedulePostOutput {
  id: string;
  scheduledPublishTime: number;
  publishAt: string;
}

// Meta's window for scheduled_publish_time. Checked here so a bad time fails at once, with a
// message naming the window, instead of as a generic (#100) from Graph.
const MIN_AHEAD_MS = 10 * 60_000;
const MAX_AHEAD_MS = 30 * 24 * 60 * 60_000;

export default defineHandler<SchedulePostInput, SchedulePostOutput>(async (ctx, input) => {
  const when = Date.parse(input.publishAt);
  if (Number.isNaN(when)) throw invalidInput(`publishAt "${input.publishAt}" is not a date-time.`);
  const now = ctx.clock.now().getTime();
  if (when - now < MIN_AHEAD_MS) {
    throw invalidInput(
      `publishAt must be at least 10 minutes ahead: ${new Date(when).toISOString()} is ${describe(when - now)} from now.`,
    );
  }
  if (when - now > MAX_AHEAD_MS) {
    throw invalidInput(
      `publishAt must be at most 30 days ahead: ${new Date(when).toISOString()} is ${describe(when - now)} from now.`,
    );
  }
  const scheduledPublishTime = Math.floor(when / 1000);
  const res = await ctx.http.request<{ id: string }>({
    method: 'POST',
    path: `/${encodeURIComponent(String(ctx.config.pageId))}/feed`,
    body: {
      message: input.message,
      link: input.link,
      published: false,
      scheduled_publish_time: scheduledPublishTime,
    },
  });
  return {
    id: res.data.id,
    scheduledPublishTime,
    publishAt: new Date(scheduledPublishTime * 1000).toISOString(),
  };
});

function describe(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (Math.abs(minutes) < 120) return `${minutes} minutes`;
  const hours = Math.round(minutes / 60);
  return Math.abs(hours) < 48 ? `${hours} hours` : `${Math.round(hours / 24)} days`;
}
