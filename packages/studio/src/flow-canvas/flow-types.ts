/** Shapes of the flows, runs and catalog answers the flow builder reads (see /docs for the full schemas). */

/** A card step (no `type`). */
export interface StepSpec {
  id: string;
  name?: string;
  type?: undefined;
  card: string;
  configurationId: string;
  input: Record<string, unknown>;
  condition?: string;
}

/** Named branches side by side, each with a JSONata condition; `otherwise` when none is true. */
export interface PathsStepSpec {
  id: string;
  name?: string;
  type: 'paths';
  mode?: 'first' | 'every';
  branches: Array<{ name: string; condition: string; steps: AnyStepSpec[] }>;
  otherwise?: AnyStepSpec[];
}

/** Its steps once per item of a list (a framed group on the canvas). */
export interface ForEachStepSpec {
  id: string;
  name?: string;
  type: 'forEach';
  items: string;
  concurrency?: number;
  maxItems?: number;
  steps: AnyStepSpec[];
}

export type AnyStepSpec = StepSpec | PathsStepSpec | ForEachStepSpec;

export const isCardStep = (step: AnyStepSpec): step is StepSpec => step.type === undefined;

export interface TriggerSpec {
  card: string;
  configurationId: string;
  input?: Record<string, unknown>;
}

export interface FlowSpec {
  name: string;
  description?: string;
  trigger: TriggerSpec;
  steps: AnyStepSpec[];
}

export interface FlowView {
  id: string;
  workspaceId: string;
  ownerId: string;
  name: string;
  enabled: boolean;
  triggerKey: string | null;
  version: number;
  spec: FlowSpec;
  createdAt: string;
  updatedAt: string;
}

export type RunStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'waiting_for_reauth';

export interface RunError {
  code: string;
  message: string;
  signal?: string;
  permission?: string;
  configurationId?: string;
}

export interface RunView {
  id: string;
  flowId: string;
  flowVersion: number;
  status: RunStatus | string;
  currentStepId: string | null;
  triggerOutput: unknown;
  error: RunError | null;
  createdAt: string;
  updatedAt: string;
  finishedAt: string | null;
  durationMs: number | null;
}

export interface RunStepView {
  id: string;
  stepId: string;
  attempt: number;
  status: string;
  input: unknown;
  output: unknown;
  error: RunError | null;
  durationMs: number;
  startedAt: string;
}

export type JsonSchema = Record<string, unknown> & {
  type?: string | string[];
  title?: string;
  description?: string;
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  required?: string[];
};

export interface CardView {
  key: string;
  ref: string;
  kind: 'trigger' | 'action' | string;
  triggerType?: string;
  title: string;
  description?: string;
  configuration?: string;
  permissions: string[];
  input: JsonSchema;
  output: JsonSchema;
  listsOptions?: boolean;
  examples?: Array<{ input?: unknown; output?: unknown }>;
}

export interface LifecycleView {
  status: 'active' | 'deprecated' | 'sunset';
  notice: string;
}

export interface ConnectorView {
  name: string;
  title: string;
  description?: string;
  version: string;
  major: number;
  lifecycle: LifecycleView;
  cards: CardView[];
}

export const RUN_STATUS_LABEL: Record<string, string> = {
  queued: 'Queued',
  running: 'Running',
  succeeded: 'Succeeded',
  failed: 'Failed',
  filtered: 'Filtered',
  rate_limited: 'Rate-limited',
  waiting_for_reauth: 'Waiting for re-authorisation',
  parked: 'Waiting for re-authorisation',
  skipped: 'Skipped',
};

export const RUN_STATUS_BADGE: Record<string, string> = {
  succeeded: 'badge-ok',
  failed: 'badge-danger',
  waiting_for_reauth: 'badge-warn',
  parked: 'badge-warn',
  rate_limited: 'badge-warn',
  running: 'badge-muted',
  queued: 'badge-muted',
  filtered: 'badge-muted',
};

/** `facebook-leads/new-lead@1` → its parts. */
export function parseCardRef(ref: string): { connector: string; card: string; major: number } | undefined {
  const match = /^([^/]+)\/([^@]+)@(\d+)$/.exec(ref);
  if (!match) return undefined;
  return { connector: match[1]!, card: match[2]!, major: Number(match[3]) };
}
