import type { FlowDocument } from '../ports/flow-repository';
import type { StartedRun } from '../runs/flow-runner';

/** What starts runs (FlowRunner satisfies it). */
export interface RunStarter {
  startRun(flow: FlowDocument, triggerOutput: unknown, options?: { dedupeKey?: string }): Promise<StartedRun>;
}

/**
 * The one place where a trigger item becomes a run, for the webhook router and the poller alike:
 * the run id is derived from flow + item key, and the runner claims the run in the store before
 * anything else (see FlowRunner.startRun), so "one run per item" holds across webhook, poll and
 * backfill, and across crashes and Redis losses: there is no separate claim that could exist
 * without its run.
 */
export class TriggerRunStarter {
  constructor(private readonly runner: RunStarter) {}

  /** The run id when this call started it; null when the item already has a run in this flow. */
  async start(flow: FlowDocument, key: string, output: unknown): Promise<string | null> {
    const started = await this.runner.startRun(flow, output, { dedupeKey: key });
    return started.created ? started.runId : null;
  }
}
