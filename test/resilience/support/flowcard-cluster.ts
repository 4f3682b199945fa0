import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { startMetaEmulator, type MetaEmulator } from '@flowcard/meta-emulator';
import type { FlowSpec } from '@flowcard/schemas';
import { mongoUri, uniqueName } from '../../support/env';
import { flowcardBin } from '../../support/flowcard-process';
import { captureEnv, repositoryRoot } from '../../support/log-capture';
import { waitFor } from '../../support/wait-for';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read answers loosely and assert their shape
export type Json = any;

export type ClusterRole = 'api' | 'worker' | 'scheduler';

/** One `flowcard <role>` OS process. */
export interface ClusterProcess {
  readonly role: ClusterRole;
  readonly pid: number;
  output(): string;
  /** Resolves with the signal or exit code once the process is gone. */
  readonly exited: Promise<NodeJS.Signals | number | null>;
  kill(signal: NodeJS.Signals): void;
  /** SIGTERM and wait (SIGKILL after 10 s); nothing when already gone. */
  stop(): Promise<void>;
}

/** The banner each role prints once its API and services have started (whatever the log level). */
const READY: Record<ClusterRole, RegExp> = {
  api: /Flowcard is running \(api\)/,
  worker: /Flowcard is running \(worker\)/,
  scheduler: /Flowcard is running \(scheduler\)/,
};

/** Generous: on a shared 2-core box a tsx process can take half a minute to load. */
const START_TIMEOUT_MS = 120_000;

export interface ClusterOptions {
  file: string;
  redisUrl: string;
  /** Extra environment for every process (recovery timings, poll interval…). */
  env?: Record<string, string>;
}

/**
 * Flowcard as an operator runs it on several machines: `flowcard api`, `flowcard scheduler` and
 * workers as separate OS processes on one Redis and one MongoDB (a fresh database and key prefix),
 * against the Meta emulator in this process, configured as a real Meta app would be (META_APP_ID,
 * META_GRAPH_URL…): nothing is embedded in the processes. An owner (bootstrap), a Workplace
 * configuration and the Lead Ads configurations (Connect Meta) are made through the API.
 */
export interface FlowcardCluster {
  readonly emulator: MetaEmulator;
  readonly url: string;
  readonly prefix: string;
  readonly database: string;
  readonly processes: ClusterProcess[];
  readonly workplaceConfigurationId: string;
  readonly pageConfigurations: Record<string, string>;
  start(role: ClusterRole): Promise<ClusterProcess>;
  api(path: string, init?: { method?: string; body?: unknown }): Promise<{ status: number; body: Json }>;
  /** Creates and enables a flow through the API; returns its id. */
  enabledFlow(spec: FlowSpec): Promise<string>;
  /** Every run of a flow (API, newest first). */
  runsOf(flowId: string): Promise<Json[]>;
  stop(): Promise<void>;
}

export async function startFlowcardCluster(options: ClusterOptions): Promise<FlowcardCluster> {
  const name = uniqueName(options.file);
  const emulator = await startMetaEmulator();
  // Throttling off unless a test turns it on: runs are slowed or refused by the faults under test only.
  emulator.control.setUsageBudget({ appCalls: 1e9, pageCalls: 1e9 });
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const verifyToken = randomBytes(8).toString('hex');
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    ...captureEnv(),
    MONGODB_URI: mongoUri(),
    FLOWCARD_MONGODB_DATABASE: name,
    REDIS_URL: options.redisUrl,
    FLOWCARD_REDIS_PREFIX: name,
    FLOWCARD_MASTER_KEYS: `k1:${randomBytes(32).toString('base64')}`,
    META_APP_ID: emulator.app.id,
    META_APP_SECRET: emulator.app.secret,
    META_GRAPH_URL: emulator.graphUrl,
    META_DIALOG_URL: emulator.dialogUrl,
    META_WEBHOOK_VERIFY_TOKEN: verifyToken,
    FLOWCARD_PUBLIC_URL: url,
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'info',
    ...options.env,
  };
  const processes: ClusterProcess[] = [];
  const start = async (role: ClusterRole): Promise<ClusterProcess> => {
    const started = await startRole(role, role === 'api' ? env : { ...env, PORT: '0' });
    processes.push(started);
    return started;
  };
  let apiKey = '';
  const api = async (
    path: string,
    init: { method?: string; body?: unknown } = {},
  ): Promise<{ status: number; body: Json }> => {
    const headers: Record<string, string> = {};
    if (init.body !== undefined) headers['content-type'] = 'application/json';
    if (apiKey) headers.authorization = `Bearer ${apiKey}`;
    const response = await fetch(`${url}${path}`, {
      method: init.method ?? 'GET',
      headers,
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      redirect: 'manual',
    });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as Json) : undefined };
  };
  const stop = async (): Promise<void> => {
    await Promise.all(processes.map((child) => child.stop()));
    await emulator.close();
  };

  try {
    await start('api');
    const bootstrap = await api('/v1/admin/bootstrap', {
      method: 'POST',
      body: { email: 'owner@bakery.example', workspace: 'Bakery' },
    });
    if (bootstrap.status !== 201) throw new Error(`bootstrap: ${JSON.stringify(bootstrap.body)}`);
    apiKey = bootstrap.body.apiKey;
    // What an operator sets once in the Meta app dashboard: the webhook callback of the API.
    const subscribed = await fetch(`${emulator.graphUrl}/v25.0/${emulator.app.id}/subscriptions`, {
      method: 'POST',
      body: new URLSearchParams({
        object: 'page',
        callback_url: `${url}/v1/webhooks/meta`,
        fields: 'leadgen',
        verify_token: verifyToken,
        access_token: `${emulator.app.id}|${emulator.app.secret}`,
      }),
    });
    if (!subscribed.ok) throw new Error(`webhook subscription: ${await subscribed.text()}`);

    const workplace = await api('/v1/configurations', {
      method: 'POST',
      body: {
        connector: 'workplace',
        nickname: 'Bakery Workplace',
        values: {
          accessToken: emulator.fixtures.workplace.adminToken,
          graphBaseUrl: emulator.graphUrl,
          graphVersion: 'v25.0',
        },
        sharing: { mode: 'workspace' },
      },
    });
    if (workplace.status !== 201)
      throw new Error(`workplace configuration: ${JSON.stringify(workplace.body)}`);
    const connectStart = await api('/v1/connect/meta/start', {
      method: 'POST',
      body: { connector: 'facebook-leads' },
    });
    if (connectStart.status !== 200) throw new Error(`connect start: ${JSON.stringify(connectStart.body)}`);
    const dialog = await fetch(connectStart.body.url, { redirect: 'manual' });
    const callback = dialog.headers.get('location');
    if (!callback) throw new Error(`the dialog did not redirect (HTTP ${dialog.status})`);
    const connected = await fetch(callback, {
      headers: {
        cookie: `flowcard_meta_session=${connectStart.body.sessionId}`,
        accept: 'application/json',
      },
    });
    const connectedBody = (await connected.json()) as Json;
    if (connected.status !== 200) throw new Error(`connect callback: ${JSON.stringify(connectedBody)}`);
    const pageConfigurations: Record<string, string> = {};
    for (const page of connectedBody.pages as Array<{ pageId: string; configurationId: string }>)
      pageConfigurations[page.pageId] = page.configurationId;

    return {
      emulator,
      url,
      prefix: name,
      database: name,
      processes,
      workplaceConfigurationId: workplace.body.id,
      pageConfigurations,
      start,
      api,
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
      stop,
    };
  } catch (error) {
    const outputs = processes.map((child) => `--- ${child.role}\n${child.output().slice(-3000)}`).join('\n');
    await stop();
    throw new Error(`${(error as Error).message}\n${outputs}`);
  }
}

/** Spawns `node packages/cli/bin/flowcard.js <role>` and resolves once its ready line is logged. */
export async function startRole(role: ClusterRole, env: Record<string, string>): Promise<ClusterProcess> {
  const child: ChildProcess = spawn(process.execPath, [flowcardBin, role], {
    cwd: repositoryRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) =>
    child.once('exit', (code, signal) => resolve(signal ?? code)),
  );
  let gone = false;
  void exited.then(() => (gone = true));
  if (child.pid === undefined) throw new Error(`flowcard ${role} did not start`);
  const pid = child.pid;
  const stop = async (): Promise<void> => {
    if (gone) return;
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(killer);
  };
  try {
    await waitFor(
      `flowcard ${role} to be ready`,
      () => {
        if (gone) throw new Error(`flowcard ${role} exited:\n${output.slice(-3000)}`);
        return READY[role].test(output);
      },
      START_TIMEOUT_MS,
      100,
    );
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}\n${output.slice(-3000)}`);
  }
  return { role, pid, output: () => output, exited, kill: (signal) => child.kill(signal), stop };
}

/** A port nothing listens on right now (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}
