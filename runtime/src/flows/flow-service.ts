import {
  cardSteps,
  createAjv,
  validationMessage,
  connectorLifecycleOf,
  flowCodes,
  flowTriggerKey,
  formatFlowProblems,
  FlowcardError,
  type ReviewDecision,
  type TriggerFailure,
  parseCardRef,
  storeCodes,
  validateFlow,
  type CanUseConfiguration,
  type ConnectorRegistry,
  type FlowDocument,
  type FlowProblem,
  type FlowRepository,
  type RunRecord,
  type RunStatus,
  type RunStepRecord,
  type TriggerStateRepository,
} from '@flowcard/engine';
import type { FlowSpec } from '@flowcard/schemas';
import type { ConfigurationResolver } from '../configurations/configuration-resolver';
import { roleAtLeast, type Principal } from '../http/auth/principal';
import { apiError } from '../http/errors/api-error';
import type { FlowEngine } from './flow-engine';
import type { MetaAppSubscription } from './meta-app-subscription';
import { isWebhookTrigger, newWebhookKey, WEBHOOK_KEY_PREFIX } from './core-webhook';

export interface FlowServiceDependencies {
  readonly engine: FlowEngine;
  readonly flows: FlowRepository;
  readonly triggerState: TriggerStateRepository;
  readonly registry: ConnectorRegistry;
  readonly resolver: ConfigurationResolver;
  readonly metaAppSubscription?: MetaAppSubscription;
}

/** A deprecated or sunset connector used by a flow, said when the flow is enabled or run. */
export interface LifecycleWarning {
  readonly connector: string;
  readonly status: string;
  readonly message: string;
}

export interface FlowChange {
  readonly flow: FlowDocument;
  readonly warnings: LifecycleWarning[];
}

export interface StartedRunView {
  readonly runId: string;
  readonly flowId: string;
  readonly warnings: LifecycleWarning[];
}

export interface RunDetails {
  readonly run: RunRecord;
  readonly steps: RunStepRecord[];
}

const PAGE = 100;

/**
 * The flows and runs API's rules, independent of HTTP (docs/architecture.md §6, §7). Every member of a
 * workspace sees its flows and their runs; only the flow's owner or a workspace admin changes,
 * enables, runs or re-runs one. A flow of another workspace answers 404 like an unknown id.
 * Saving validates with the engine's `validateFlow`: cards loaded at the pinned major,
 * configurations the saver may use (the configurations access policy, through the resolver),
 * templates and literal inputs.
 */
export class FlowService {
  constructor(private readonly deps: FlowServiceDependencies) {}

  async create(principal: Principal, spec: unknown): Promise<FlowDocument> {
    const valid = await this.validated(principal, spec);
    const flow = await this.deps.flows.create({
      workspaceId: principal.workspace.id,
      ownerId: principal.user.id,
      spec: valid,
      enabled: false,
      triggerKey: this.triggerKey(valid),
    });
    return flow;
  }

  async list(
    principal: Principal,
    query: { enabled?: boolean; afterId?: string; limit?: number },
  ): Promise<FlowDocument[]> {
    return this.deps.flows.listByWorkspace({
      workspaceId: principal.workspace.id,
      ...(query.enabled === undefined ? {} : { enabled: query.enabled }),
      ...(query.afterId ? { afterId: query.afterId } : {}),
      limit: query.limit ?? PAGE,
    });
  }

  async get(principal: Principal, id: string): Promise<FlowDocument> {
    return this.visible(principal, id);
  }

  /**
   * Replaces the spec. An enabled flow keeps running: its trigger is moved when it changed (the old
   * route unsubscribed when no flow needs it, the new one subscribed). Runs already started keep
   * the spec they started with.
   */
  async update(
    principal: Principal,
    id: string,
    spec: unknown,
    expectedVersion?: number,
  ): Promise<FlowChange> {
    const current = await this.manageable(principal, id);
    if (expectedVersion !== undefined && expectedVersion !== current.version)
      throw versionConflict(id, expectedVersion);
    const valid = await this.validated(principal, spec);
    const triggerKey = this.triggerKey(valid, current);
    const updated = await this.deps.flows.update(id, current.version, { spec: valid, triggerKey });
    await this.deps.engine.flowChanged(id);
    const triggerMoved = JSON.stringify(current.spec.trigger) !== JSON.stringify(valid.trigger);
    if (updated.enabled && triggerMoved) {
      await this.deps.engine.lifecycle.disabled(current);
      await this.deps.engine.lifecycle.enabled(updated);
    }
    return { flow: updated, warnings: updated.enabled ? this.warnings(valid) : [] };
  }

  /**
   * Enables: saved first, then the trigger subscribes its page and the poll schedule starts. When
   * subscribing fails (e.g. the page token is dead) the flow is disabled again and the error told.
   */
  async enable(principal: Principal, id: string): Promise<FlowChange> {
    const current = await this.manageable(principal, id);
    // A major unloaded since the flow was saved would leave its trigger silently unscheduled.
    await this.requireLoadedCards(current.spec, current.workspaceId);
    // Embedded mode: make sure the emulator knows where to deliver before the page is subscribed.
    await this.deps.metaAppSubscription?.ensure();
    const flow = current.enabled
      ? current
      : await this.deps.flows.update(id, current.version, { enabled: true });
    await this.deps.engine.flowChanged(id);
    try {
      await this.deps.engine.lifecycle.enabled(flow);
    } catch (error) {
      if (!current.enabled) {
        await this.deps.flows.update(id, flow.version, { enabled: false });
        await this.deps.engine.flowChanged(id);
      }
      throw error;
    }
    return { flow, warnings: this.warnings(flow.spec) };
  }

  async disable(principal: Principal, id: string): Promise<FlowChange> {
    const current = await this.manageable(principal, id);
    if (!current.enabled) return { flow: current, warnings: [] };
    const flow = await this.deps.flows.update(id, current.version, { enabled: false });
    await this.deps.engine.flowChanged(id);
    await this.deps.engine.lifecycle.disabled(current);
    return { flow, warnings: [] };
  }

  /** Deletes the flow and its trigger state; its runs stay readable by id until they expire. */
  async delete(principal: Principal, id: string): Promise<void> {
    const current = await this.manageable(principal, id);
    await this.deps.flows.delete(id);
    await this.deps.engine.flowChanged(id);
    if (current.enabled) await this.deps.engine.lifecycle.disabled(current);
    await this.deps.triggerState.deleteFlow(id);
  }

  /**
   * Run now, with a trigger output given by the caller or the trigger card's first example (a
   * sample payload). Each call is a new run: no dedupe key.
   */
  async runNow(
    principal: Principal,
    id: string,
    triggerOutput: unknown,
    input?: Record<string, unknown>,
  ): Promise<StartedRunView> {
    const flow = await this.manageable(principal, id);
    const output =
      input !== undefined || flow.spec.trigger.card.startsWith('core/manual@')
        ? this.manualInput(flow.spec, input ?? (triggerOutput as Record<string, unknown> | undefined) ?? {})
        : (triggerOutput ?? this.sampleTriggerOutput(flow.spec));
    const started = await this.deps.engine.runner.startRun(flow, output);
    return { runId: started.runId, flowId: flow.id, warnings: this.warnings(flow.spec) };
  }

  /** A new webhook URL for a core/webhook flow; the old one stops working at once. */
  async rotateWebhook(principal: Principal, id: string): Promise<FlowDocument> {
    const current = await this.manageable(principal, id);
    if (!isWebhookTrigger(current.spec))
      throw apiError('FLOWCARD_ERR_FLOW_NOT_WEBHOOK', { flowId: id, card: current.spec.trigger.card });
    const flow = await this.deps.flows.update(id, current.version, { triggerKey: newWebhookKey() });
    await this.deps.engine.flowChanged(id);
    return flow;
  }

  async listRuns(
    principal: Principal,
    flowId: string,
    query: { status?: RunStatus; before?: string; limit?: number },
  ): Promise<RunRecord[]> {
    await this.visible(principal, flowId);
    return this.deps.engine.history.listRuns({
      flowId,
      ...(query.status ? { status: query.status } : {}),
      ...(query.before ? { createdBefore: new Date(query.before) } : {}),
      limit: query.limit ?? 50,
    });
  }

  async getRun(principal: Principal, runId: string): Promise<RunDetails> {
    const run = await this.visibleRun(principal, runId);
    return { run, steps: await this.deps.engine.history.listSteps(runId) };
  }

  /** Re-runs a failed run from its failed step (owner of the flow or an admin). */
  async rerun(principal: Principal, runId: string): Promise<{ runId: string; stepId: string | null }> {
    const run = await this.visibleRun(principal, runId);
    const flow = await this.deps.flows.findById(run.flowId);
    // A deleted flow's runs can still be re-run (they carry their spec), by an admin.
    const allowed = flow ? mayManage(flow, principal) : roleAtLeast(principal.role, 'admin');
    if (!allowed) throw apiError('FLOWCARD_ERR_FLOW_MANAGE_FORBIDDEN', { action: 're-run runs of' });
    await this.deps.engine.runner.rerunFromFailed(runId);
    return { runId, stepId: run.currentStepId };
  }

  /** Trigger jobs of the flow that failed for good (newest first): what its owner needs to see. */
  async listTriggerFailures(principal: Principal, flowId: string, limit = 50): Promise<TriggerFailure[]> {
    await this.visible(principal, flowId);
    return this.deps.engine.triggerFailures.list(flowId, limit);
  }

  /**
   * Retry or skip the step of a run held for review (needs_review: a non-repeatable step whose
   * outcome became unknown). Same rights as re-running.
   */
  async review(
    principal: Principal,
    runId: string,
    decision: ReviewDecision,
  ): Promise<{ runId: string; stepId: string; decision: ReviewDecision }> {
    const run = await this.visibleRun(principal, runId);
    const flow = await this.deps.flows.findById(run.flowId);
    const allowed = flow ? mayManage(flow, principal) : roleAtLeast(principal.role, 'admin');
    if (!allowed) throw apiError('FLOWCARD_ERR_FLOW_MANAGE_FORBIDDEN', { action: 'review runs of' });
    const { stepId } = await this.deps.engine.runner.review.decide(runId, decision);
    return { runId, stepId, decision };
  }

  /** Lifecycle notices of the connectors a flow uses (deprecated or sunset), one per connector major. */
  warnings(spec: FlowSpec): LifecycleWarning[] {
    const seen = new Set<string>();
    const warnings: LifecycleWarning[] = [];
    for (const ref of [spec.trigger.card, ...cardSteps(spec.steps).map((step) => step.card)]) {
      const parsed = parseCardRef(ref);
      if (!parsed || parsed.major === undefined) continue;
      const key = `${parsed.connector}@${parsed.major}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const status = connectorLifecycleOf(this.deps.registry, parsed.connector, parsed.major);
      if (status?.warn)
        warnings.push({
          connector: status.connector,
          status: status.lifecycle.status,
          message: status.message,
        });
    }
    return warnings;
  }

  private async validated(principal: Principal, spec: unknown): Promise<FlowSpec> {
    const user = { userId: principal.user.id, workspaceId: principal.workspace.id };
    const canUse: CanUseConfiguration = async (configurationId, card) => {
      let configuration;
      try {
        configuration = await this.deps.resolver.resolve(configurationId, user);
      } catch {
        return 'does not exist or is not shared with you';
      }
      const connector = card.connector.manifest.name;
      if (configuration.connector !== connector)
        return `belongs to connector ${configuration.connector}, not ${connector}`;
      if (configuration.kind !== card.configurationKey) {
        return `is a "${configuration.kind}" configuration; this card needs "${card.configurationKey}"`;
      }
      return true;
    };
    // A flow sees the deployment's connectors and its workspace's own, never another workspace's.
    const problems = await validateFlow(
      spec,
      this.deps.registry.forWorkspace(principal.workspace.id),
      canUse,
    );
    if (problems.length > 0) throw flowInvalid(problems);
    return spec as FlowSpec;
  }

  /**
   * Refuses (422, like saving) a flow naming a card this process no longer loads, e.g. a connector
   * major removed from the deployment after the flow was saved; the problems name the majors there are.
   */
  private async requireLoadedCards(spec: FlowSpec, workspaceId: string): Promise<void> {
    const anyConfiguration: CanUseConfiguration = async () => true;
    const cards = this.deps.registry.forWorkspace(workspaceId);
    const problems = (await validateFlow(spec, cards, anyConfiguration)).filter(
      (problem) => problem.code === flowCodes.FLOWCARD_ERR_FLOW_CARD_UNKNOWN.code,
    );
    if (problems.length > 0) throw flowInvalid(problems);
  }

  /** A core/webhook flow keeps its token (its URL) across saves; a new webhook flow gets one. */
  private triggerKey(spec: FlowSpec, current?: FlowDocument): string | null {
    if (isWebhookTrigger(spec))
      return current?.triggerKey?.startsWith(WEBHOOK_KEY_PREFIX) ? current.triggerKey : newWebhookKey();
    return flowTriggerKey(spec, this.deps.registry.card(spec.trigger.card));
  }

  /** A manual trigger's input, checked against the form the builder described (inputSchema). */
  private manualInput(spec: FlowSpec, input: Record<string, unknown>): Record<string, unknown> {
    const schema = (spec.trigger.input as { inputSchema?: object } | undefined)?.inputSchema;
    if (!schema) return input;
    const validate = createAjv().compile(schema);
    if (!validate(input))
      throw apiError('FLOWCARD_ERR_FLOW_RUN_INPUT_INVALID', {
        errors: validationMessage('input', validate.errors),
      });
    return input;
  }

  private sampleTriggerOutput(spec: FlowSpec): unknown {
    const examples = this.deps.registry.card(spec.trigger.card)?.spec.examples ?? [];
    return examples.find((example) => example.output !== undefined)?.output ?? {};
  }

  private async visible(principal: Principal, id: string): Promise<FlowDocument> {
    const flow = await this.deps.flows.findById(id);
    if (!flow || flow.workspaceId !== principal.workspace.id) {
      throw new FlowcardError(flowCodes.FLOWCARD_ERR_FLOW_NOT_FOUND, { flowId: id });
    }
    return flow;
  }

  private async manageable(principal: Principal, id: string): Promise<FlowDocument> {
    const flow = await this.visible(principal, id);
    if (!mayManage(flow, principal))
      throw apiError('FLOWCARD_ERR_FLOW_MANAGE_FORBIDDEN', { action: 'change' });
    return flow;
  }

  private async visibleRun(principal: Principal, runId: string): Promise<RunRecord> {
    const run = await this.deps.engine.history.getRun(runId);
    if (!run || run.workspaceId !== principal.workspace.id) {
      throw new FlowcardError(flowCodes.FLOWCARD_ERR_RUN_NOT_FOUND, { runId });
    }
    return run;
  }
}

/** FLOWCARD_ERR_FLOW_INVALID with one `details` entry per problem, pointing into the request's `spec`. */
function flowInvalid(problems: readonly FlowProblem[]): FlowcardError {
  const error = new FlowcardError(flowCodes.FLOWCARD_ERR_FLOW_INVALID, {
    problems: formatFlowProblems(problems),
  });
  Object.assign(error, {
    details: problems.map((problem) => ({
      where: 'body',
      path: `/spec${problem.path === '/' ? '' : problem.path}`,
      code: problem.code,
      message: problem.message,
    })),
  });
  return error;
}

function mayManage(flow: FlowDocument, principal: Principal): boolean {
  return flow.ownerId === principal.user.id || roleAtLeast(principal.role, 'admin');
}

function versionConflict(id: string, expected: number): FlowcardError {
  return new FlowcardError(storeCodes.FLOWCARD_ERR_STORE_VERSION_CONFLICT, { entity: 'flow', id, expected });
}
