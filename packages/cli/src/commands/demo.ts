import type { Command } from 'commander';

interface DemoOptions {
  api: string;
  apiKey?: string;
  email: string;
  timeout: string;
}

// The demo reads answers loosely: it talks to a running API and prints what it got.
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * `flowcard demo` plays the whole story against a running `npm start` on embedded defaults: an
 * owner (bootstrapped, or the API key given), a Workplace configuration (the emulator's integration
 * token), the Page's Lead Ads configuration through Connect Meta (the real OAuth round trip, played
 * against the emulator's dialog), the flow "new lead on the Page → post the lead's name and email
 * to a Workplace group → message the sales lead", enabled; then the emulator creates a lead, its
 * webhook reaches the API, and the demo waits for the run and prints it with the post found in the
 * emulator. Everything goes through the public API and the emulator's control API.
 */
export function register(program: Command): void {
  program
    .command('demo')
    .description('Run the demo flow (new lead → Workplace post + message) against a running `npm start`')
    .option(
      '--api <url>',
      'URL of the running Flowcard API',
      process.env.FLOWCARD_API_URL ?? 'http://localhost:3000',
    )
    .option('--api-key <key>', 'API key of an owner or admin (default: FLOWCARD_API_KEY, else bootstrap one)')
    .option('--email <email>', 'email of the admin the demo bootstraps', 'demo@flowcard.example')
    .option('--timeout <seconds>', 'how long to wait for the run', '30')
    .action(async (options: DemoOptions) => {
      await runDemo(options, (line) => process.stdout.write(`${line}\n`));
    });
}

async function runDemo(options: DemoOptions, say: (line: string) => void): Promise<void> {
  const base = options.api.replace(/\/+$/, '');
  const apiKey =
    options.apiKey ?? process.env.FLOWCARD_API_KEY ?? (await bootstrap(base, options.email, say));
  const api = (
    path: string,
    init: { method?: string; body?: unknown; headers?: Record<string, string> } = {},
  ): Promise<Json> =>
    request(`${base}${path}`, { ...init, headers: { authorization: `Bearer ${apiKey}`, ...init.headers } });

  const emulator = await api('/v1/webhooks/meta/emulator').catch((error: Error) => {
    throw new Error(
      `The demo needs the bundled Meta emulator (npm start without META_APP_ID): ${error.message}`,
    );
  });
  const control = (path: string, init: { method?: string; body?: unknown } = {}): Promise<Json> =>
    request(`${emulator.controlUrl}${path}`, init);
  const fixtures = await control('/fixtures');
  const page = fixtures.pages[0];
  const group = fixtures.workplace.groups[0];
  const salesLead = fixtures.workplace.members[1];

  const workplace = await workplaceConfiguration(api, emulator.graphUrl, fixtures.workplace.adminToken);
  say(`Workplace configuration: ${workplace} ("Demo Workplace", the emulator's custom integration)`);
  const pageConfiguration = await connectLeads(api, base, page.id);
  say(`Lead Ads configuration of Page "${page.name}": ${pageConfiguration} (through Connect Meta)`);

  const spec = {
    name: `New lead on ${page.name} → Workplace`,
    trigger: {
      card: 'facebook-leads/new-lead@1',
      configurationId: pageConfiguration,
      input: { pageId: page.id },
    },
    steps: [
      {
        id: 'post',
        card: 'workplace/post-to-group@1',
        configurationId: workplace,
        input: {
          groupId: group.id,
          message: 'New lead: {{trigger.output.fields.full_name}} <{{trigger.output.fields.email}}>',
        },
      },
      {
        id: 'notify',
        card: 'workplace/send-message@1',
        configurationId: workplace,
        input: {
          recipientIds: [salesLead.id],
          text: 'New lead {{trigger.output.fields.full_name}} ({{trigger.output.fields.email}}), posted in the group: {{steps.post.output.id}}',
        },
      },
    ],
  };
  // Run twice, the demo reuses its flow: a second enabled flow on the same trigger would answer
  // every lead twice.
  const existing = ((await api('/v1/flows')).flows as Json[]).find(
    (candidate) =>
      candidate.name === spec.name && candidate.spec.trigger.configurationId === pageConfiguration,
  );
  const flow = existing ?? (await api('/v1/flows', { method: 'POST', body: { spec } }));
  if (existing?.enabled) {
    say(`Flow ${flow.id} "${flow.name}" exists and is enabled already: reused (trigger ${flow.triggerKey})`);
  } else {
    const enabled = await api(`/v1/flows/${flow.id}/enable`, { method: 'POST' });
    say(`Flow ${flow.id} "${flow.name}" enabled (trigger ${flow.triggerKey})`);
    for (const warning of enabled.warnings as Json[])
      say(`  note: ${warning.connector} is ${warning.status}: ${warning.message}`);
  }

  const lead = await control('/leads', {
    method: 'POST',
    body: {
      formId: page.forms[0].id,
      fieldData: { full_name: 'Dana Demo', email: 'dana.demo@mail.example' },
    },
  });
  await control('/webhooks/flush', { method: 'POST' });
  say(`The emulator created lead ${lead.id} (Dana Demo <dana.demo@mail.example>) and sent its webhook`);

  const run = await waitForRun(api, flow.id, lead.id, Number(options.timeout) * 1000);
  const details = await api(`/v1/runs/${run.id}`);
  say(`Run ${run.id}: ${details.run.status}`);
  for (const step of details.steps as Json[]) {
    say(
      `  ${step.stepId} (attempt ${step.attempt}): ${step.status} in ${step.durationMs} ms → ${JSON.stringify(step.output)}`,
    );
  }
  const postId = (details.steps as Json[]).find((step) => step.stepId === 'post')?.output?.id;
  const feed = await request(
    `${emulator.graphUrl}/v25.0/${group.id}/feed?limit=100&access_token=${encodeURIComponent(fixtures.workplace.adminToken)}`,
  );
  const post = (feed.data as Json[]).find((item) => item.id === postId);
  say(
    post
      ? `Post ${post.id} in "${group.name}" (emulator): ${post.message}`
      : `Post ${postId} was not found in the emulator`,
  );
  if (details.run.status !== 'succeeded' || !post) process.exitCode = 1;
}

async function bootstrap(base: string, email: string, say: (line: string) => void): Promise<string> {
  const response = await fetch(`${base}/v1/admin/bootstrap`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, workspace: 'Demo', role: 'owner' }),
  });
  const body = (await response.json()) as Json;
  if (response.status === 409) {
    throw new Error(
      'This runtime already has users: pass the API key of an owner or admin with --api-key (or FLOWCARD_API_KEY)',
    );
  }
  if (!response.ok) throw new Error(`Bootstrap refused: ${body.error?.message ?? `HTTP ${response.status}`}`);
  say(`Admin ${email} in workspace "Demo". API key (shown once): ${body.apiKey}`);
  return body.apiKey as string;
}

async function workplaceConfiguration(
  api: (path: string, init?: { method?: string; body?: unknown }) => Promise<Json>,
  graphUrl: string,
  token: string,
): Promise<string> {
  const existing = await api('/v1/configurations?connector=workplace');
  const found = (existing.configurations as Json[]).find((c) => c.nickname === 'Demo Workplace');
  if (found) return found.id as string;
  const created = await api('/v1/configurations', {
    method: 'POST',
    body: {
      connector: 'workplace',
      nickname: 'Demo Workplace',
      values: { accessToken: token, graphBaseUrl: graphUrl, graphVersion: 'v25.0' },
    },
  });
  return created.id as string;
}

/** Connect Meta as a browser would: start, follow the dialog's redirect, call back with the session cookie. */
async function connectLeads(
  api: (path: string, init?: { method?: string; body?: unknown }) => Promise<Json>,
  base: string,
  pageId: string,
): Promise<string> {
  const started = await api('/v1/connect/meta/start', {
    method: 'POST',
    body: { connector: 'facebook-leads' },
  });
  const dialog = await fetch(started.url as string, { redirect: 'manual' });
  const location = dialog.headers.get('location');
  if (!location) throw new Error(`The Facebook dialog did not redirect back (HTTP ${dialog.status})`);
  const callback = new URL(location, base);
  const connected = await request(callback.toString(), {
    headers: { cookie: `flowcard_meta_session=${started.sessionId as string}`, accept: 'application/json' },
  });
  const page = (connected.pages as Json[]).find((p) => p.pageId === pageId);
  if (!page) throw new Error(`Connect Meta did not connect Page ${pageId}`);
  return page.configurationId as string;
}

async function waitForRun(
  api: (path: string) => Promise<Json>,
  flowId: string,
  leadId: string,
  timeoutMs: number,
): Promise<Json> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const runs = (await api(`/v1/flows/${flowId}/runs`)).runs as Json[];
    const run = runs.find((r) => r.dedupeKey === leadId);
    if (run && (run.status === 'succeeded' || run.status === 'failed')) return run;
    if (Date.now() > deadline)
      throw new Error(
        `No finished run for lead ${leadId} after ${timeoutMs / 1000} s${run ? ` (it is ${run.status})` : ''}`,
      );
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function request(
  url: string,
  init: { method?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<Json> {
  const response = await fetch(url, {
    method: init.method ?? 'GET',
    headers: { ...(init.body === undefined ? {} : { 'content-type': 'application/json' }), ...init.headers },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await response.text();
  const body = text ? (JSON.parse(text) as Json) : {};
  if (!response.ok)
    throw new Error(
      `${init.method ?? 'GET'} ${new URL(url).pathname}: ${body.error?.message ?? `HTTP ${response.status}`}`,
    );
  return body;
}
