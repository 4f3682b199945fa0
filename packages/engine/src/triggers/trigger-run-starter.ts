import type { FlowDocument } from '../ports/flow-repository';
import type { StartedRun } from '../runs/flow-runner';
import type { RunClaim } from '../runs/run-state-store';
import type { TriggerDedupe } from './trigger-dedupe';

/** What starts runs (FlowRunner satisfies it). */
export interface RunStarter {
  startRun(
    flow: FlowDocument,
    triggerOutput: unknown,
    options?: { dedupeKey?: string; claim?: RunClaim },
  ): Promise<StartedRun>;
  /** True when startRun honours `claim` (FlowRunner does); other starters get the claim taken before. */
  readonly foldsClaims?: boolean;
}

/**
 * The one place where a trigger item becomes a run: claim (flow, key) once across webhook and
 * poller, then start the run with the key as its dedupe key (so even a claim lost in Redis maps to
 * the same run id). A failure to start gives the claim back so the next report tries again.
 * Without a durable store (and with a runner that `foldsClaims`) the Redis claim is taken by the
 * run-creating script itself: the same gate, one round trip less per item.
 */
export class TriggerRunStarter {
  constructor(
    private readonly dedupe: TriggerDedupe,
    private readonly runner: RunStarter,
  ) {}

  /** The run id when this call started it; null when the item already started a run of this flow. */
  async start(flow: FlowDocument, key: string, output: unknown): Promise<string | null> {
    // Without a durable store the Redis claim rides in the run-creating script (one round trip
    // less per item); the gate is the same: taken atomically first, nothing started when held.
    const folded = this.runner.foldsClaims ? this.dedupe.foldableClaim(flow.id, key) : null;
    if (folded) {
      let started: StartedRun;
      try {
        started = await this.runner.startRun(flow, output, { dedupeKey: key, claim: folded });
      } catch (error) {
        // The claim may have been taken before the failure (e.g. by the script, then the enqueue
        // failed): give it back so the next report tries again instead of the item being lost.
        await this.dedupe.release(flow.id, key);
        throw error;
      }
      return started.claimed === false ? null : started.runId;
    }
    if (!(await this.dedupe.claim(flow.id, key))) return null;
    try {
      return (await this.runner.startRun(flow, output, { dedupeKey: key })).runId;
    } catch (error) {
      await this.dedupe.release(flow.id, key);
      throw error;
    }
  }
}
