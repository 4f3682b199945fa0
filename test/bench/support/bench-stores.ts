import type { FlowDocument, FlowRepository } from '../../../packages/engine/src/ports/flow-repository';
import type {
  ResumableRun,
  RunRecord,
  RunRepository,
  RunStepRecord,
} from '../../../packages/engine/src/ports/run-repository';
import type {
  StepConfiguration,
  StepConfigurationSource,
} from '../../../packages/engine/src/runs/step-configuration-source';

/**
 * The bench's one enabled flow. Reads behave like a store's; the bench never edits flows. The
 * FlowCache in front of it makes the store irrelevant after the first webhook anyway.
 */
export class FixedFlowRepository implements FlowRepository {
  constructor(private readonly flow: FlowDocument) {}

  async create(): Promise<FlowDocument> {
    throw new Error('the bench does not create flows');
  }
  async findById(id: string): Promise<FlowDocument | null> {
    return id === this.flow.id ? this.flow : null;
  }
  async listByWorkspace(): Promise<FlowDocument[]> {
    return [this.flow];
  }
  async listEnabledByTriggerKey(triggerKey: string): Promise<FlowDocument[]> {
    return triggerKey === this.flow.triggerKey ? [this.flow] : [];
  }
  async listEnabled(): Promise<FlowDocument[]> {
    return [this.flow];
  }
  async listEnabledByConfiguration(): Promise<FlowDocument[]> {
    return [this.flow];
  }
  async update(): Promise<FlowDocument> {
    throw new Error('the bench does not edit flows');
  }
  async delete(): Promise<boolean> {
    throw new Error('the bench does not delete flows');
  }
}

/** Decrypted configurations held in memory: what a warm ConfigurationCache hands to every step. */
export class FixedConfigurations implements StepConfigurationSource {
  private readonly byId: Map<string, StepConfiguration>;

  constructor(configurations: readonly StepConfiguration[]) {
    this.byId = new Map(configurations.map((configuration) => [configuration.id, configuration]));
  }

  async get(id: string): Promise<StepConfiguration | null> {
    return this.byId.get(id) ?? null;
  }
}

/**
 * Where the RunHistoryWriter drains the outbox during the bench: it counts and keeps nothing. The
 * Redis side of history (outbox, batched reads of run hashes) is measured; the database write is
 * not, because jongodb's write cost is not MongoDB's (docs/architecture.md §8) and happens off the step path.
 */
export class CountingRunRepository implements RunRepository {
  runs = 0;
  steps = 0;
  batches = 0;
  claims = 0;

  /** Every claim succeeds: the bench starts each lead once, and the database write is not measured. */
  async claimRun(): Promise<boolean> {
    this.claims += 1;
    return true;
  }
  async findResumable(): Promise<ResumableRun | null> {
    return null;
  }
  async listInFlight(): Promise<ResumableRun[]> {
    return [];
  }
  async saveRuns(runs: readonly RunRecord[]): Promise<void> {
    this.batches += 1;
    this.runs += runs.length;
  }
  async saveSteps(steps: readonly RunStepRecord[]): Promise<void> {
    this.batches += 1;
    this.steps += steps.length;
  }
  async findRun(): Promise<RunRecord | null> {
    return null;
  }
  async listRuns(): Promise<RunRecord[]> {
    return [];
  }
  async listSteps(): Promise<RunStepRecord[]> {
    return [];
  }
  async pruneRuns(): Promise<{ runs: number; steps: number }> {
    return { runs: 0, steps: 0 };
  }
}
