import type { FlowRepository, ScheduleAssertion, TriggerPoller } from '@flowcard/engine';

const PAGE = 200;

/**
 * The poll schedules of every enabled flow, as the reconciler re-asserts them: each missing one is
 * re-created (BullMQ job schedulers live only in Redis), and after Redis lost its data every
 * polling flow also polls at once, collecting the items whose webhook jobs were lost with it.
 */
export function pollScheduleAssertion(
  poller: TriggerPoller,
  flows: Pick<FlowRepository, 'listEnabled'>,
): ScheduleAssertion {
  return {
    name: 'trigger polls',
    async assert({ dataLost }) {
      let recreated = 0;
      const polled: string[] = [];
      let afterId: string | undefined;
      for (;;) {
        const page = await flows.listEnabled({ limit: PAGE, ...(afterId ? { afterId } : {}) });
        for (const flow of page) {
          if (await poller.ensureScheduled(flow)) {
            recreated += 1;
            polled.push(flow.id);
          }
        }
        if (page.length < PAGE) break;
        afterId = page[page.length - 1].id;
      }
      if (dataLost && polled.length > 0) await poller.backfill(polled);
      return recreated;
    },
  };
}
