import { createAdmin, getBound, Ports } from '@flowcard/runtime';
import type { FlowSpec } from '@flowcard/schemas';
import { FlowTokens } from '../../../runtime/src/flows/flow-tokens';
import type { FlowEngine } from '../../../runtime/src/flows/flow-engine';
import type { RuntimeRole } from '../../../runtime/src/config/runtime-config';
import { startTestRuntime, type TestRuntime } from '../../api/support/start-test-runtime';
import { waitFor as pollUntil } from '../../support/wait-for';
import { EmulatorHttpControl } from './emulator-http-control';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read answers loosely and assert their shape
export type Json = any;

export interface ApiAnswer {
  status: number;
  body: Json;
  headers: Headers;
}

/**
 * A whole Flowcard on embedded Meta: a runtime in this process playing every role (API, worker,
 * scheduler) on real Redis and jongodb (fresh database and prefix), with the bundled emulator it
 * starts itself, driven here only through the API and the emulator's HTTP control API, like a user
 * and Meta would. An owner, a Workplace configuration and one Lead Ads configuration per Page
 * (through Connect Meta) exist from the start.
 */
export interface E2e {
  readonly runtime: TestRuntime;
  readonly emulator: EmulatorHttpControl;
  readonly fixtures: Json;
  readonly apiKey: string;
  readonly workplaceConfigurationId: string;
  /** Lead Ads configuration id by page id. */
  readonly pageConfigurations: Record<string, string>;
  /** The engine of this process, for the poller only (what the scheduler's job would do on its interval). */
  readonly engine: FlowEngine;
  api(
    path: string,
    init?: { method?: string; body?: unknown; apiKey?: string; headers?: Record<string, string> },
  ): Promise<ApiAnswer>;
  /** Connect Meta for Lead Ads (again: re-authorises the Page configurations in place). */
  connectLeads(): Promise<Json>;
  /** The demo flow: new lead on a Page → post name and email to a Workplace group → message the sales lead. */
  demoFlow(pageId: string, tag: string): FlowSpec;
  /** Creates and enables a flow; returns its id. */
  enabledFlow(spec: FlowSpec): Promise<string>;
  runsOf(flowId: string): Promise<Json[]>;
  stop(): Promise<void>;
}

export async function startE2e(
  file: string,
  roles: readonly RuntimeRole[] = ['api', 'worker', 'scheduler'],
  env: Readonly<Record<string, string>> = {},
): Promise<E2e> {
  const runtime = await startTestRuntime(file, { roles, env: { LOG_LEVEL: 'warn', ...env } });
  const config = runtime.handle.config;
  const emulator = new EmulatorHttpControl(`${config.meta.graphUrl}/__control`, config.meta.graphUrl);
  const fixtures = await emulator.fixtures();
  const admin = await createAdmin(
    {
      users: getBound(runtime.handle.container, Ports.users),
      workspaces: getBound(runtime.handle.container, Ports.workspaces),
    },
    { email: 'owner@bakery.example', workspace: 'Bakery', role: 'owner' },
  );
  const apiKey = admin.apiKey;

  async function api(
    path: string,
    init: { method?: string; body?: unknown; apiKey?: string; headers?: Record<string, string> } = {},
  ): Promise<ApiAnswer> {
    const headers: Record<string, string> = { ...init.headers };
    if (init.body !== undefined) headers['content-type'] = 'application/json';
    headers.authorization = `Bearer ${init.apiKey ?? apiKey}`;
    const response = await fetch(path.startsWith('http') ? path : `${runtime.url}${path}`, {
      method: init.method ?? 'GET',
      headers,
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      redirect: 'manual',
    });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON
    }
    return { status: response.status, body, headers: response.headers };
  }

  async function connectLeads(): Promise<Json> {
    const started = await api('/v1/connect/meta/start', {
      method: 'POST',
      body: { connector: 'facebook-leads' },
    });
    if (started.status !== 200) throw new Error(`connect start: ${JSON.stringify(started.body)}`);
    const dialog = await fetch(started.body.url, { redirect: 'manual' });
    const callback = dialog.headers.get('location');
    if (!callback) throw new Error(`the dialog did not redirect (HTTP ${dialog.status})`);
    const answer = await fetch(callback, {
      headers: { cookie: `flowcard_meta_session=${started.body.sessionId}`, accept: 'application/json' },
    });
    const body = (await answer.json()) as Json;
    if (answer.status !== 200) throw new Error(`connect callback: ${JSON.stringify(body)}`);
    return body;
  }

  const workplace = await api('/v1/configurations', {
    method: 'POST',
    body: {
      connector: 'workplace',
      nickname: 'Bakery Workplace',
      values: {
        accessToken: fixtures.workplace.adminToken,
        graphBaseUrl: config.meta.graphUrl,
        graphVersion: 'v25.0',
      },
      sharing: { mode: 'workspace' },
    },
  });
  if (workplace.status !== 201) throw new Error(`workplace configuration: ${JSON.stringify(workplace.body)}`);
  const connected = await connectLeads();
  const pageConfigurations: Record<string, string> = {};
  for (const page of connected.pages as Array<{ pageId: string; configurationId: string }>)
    pageConfigurations[page.pageId] = page.configurationId;

  const allCompany = fixtures.workplace.groups[0].id as string;
  const salesLead = fixtures.workplace.members[1].id as string;

  return {
    runtime,
    emulator,
    fixtures,
    apiKey,
    workplaceConfigurationId: workplace.body.id,
    pageConfigurations,
    engine: getBound(runtime.handle.container, FlowTokens.engine),
    api,
    connectLeads,
    demoFlow: (pageId, tag) => ({
      name: `New lead → Workplace (${tag})`,
      trigger: {
        card: 'facebook-leads/new-lead@1',
        configurationId: pageConfigurations[pageId],
        input: { pageId },
      },
      steps: [
        {
          id: 'post',
          card: 'workplace/post-to-group@1',
          configurationId: workplace.body.id,
          input: {
            groupId: allCompany,
            message: `[${tag}] New lead: {{trigger.output.fields.full_name}} <{{trigger.output.fields.email}}>`,
          },
        },
        {
          id: 'notify',
          card: 'workplace/send-message@1',
          configurationId: workplace.body.id,
          input: {
            recipientIds: [salesLead],
            text: `[${tag}] {{trigger.output.id}}: {{trigger.output.fields.full_name}} ({{trigger.output.fields.email}}), posted as {{steps.post.output.id}}`,
          },
        },
      ],
    }),
    async enabledFlow(spec) {
      const created = await api('/v1/flows', { method: 'POST', body: { spec } });
      if (created.status !== 201) throw new Error(`create flow: ${JSON.stringify(created.body)}`);
      const enabled = await api(`/v1/flows/${created.body.id}/enable`, { method: 'POST' });
      if (enabled.status !== 200) throw new Error(`enable flow: ${JSON.stringify(enabled.body)}`);
      return created.body.id as string;
    },
    async runsOf(flowId) {
      const answer = await api(`/v1/flows/${flowId}/runs?limit=1000`);
      if (answer.status !== 200) throw new Error(`runs: ${JSON.stringify(answer.body)}`);
      return answer.body.runs;
    },
    stop: () => runtime.stop(),
  };
}

/** `waitFor` at the pace the e2e suites have always used for a whole runtime: 20 s unless told otherwise, every 100 ms. */
export function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined | false>,
  timeoutMs = 20_000,
): Promise<T> {
  return pollUntil(what, check, timeoutMs, 100);
}
