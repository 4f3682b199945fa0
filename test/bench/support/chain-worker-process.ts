import { Queue, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { Agent, request } from 'undici';
import { answerCpuRequests, benchConfig, finishedFlowReporter, tellDriver } from './bench-process';
import { CHAIN_STEP_QUEUE, CHAIN_WEBHOOK_QUEUE, type BenchTarget, type ChainWebhookData } from './bench-flow';

export interface ChainWorkerConfig {
  redisUrl: string;
  prefix: string;
  target: BenchTarget;
  /** `http`: the same two Graph calls as the flow, with plain undici; `noop`: no calls at all. */
  mode: 'http' | 'noop';
  concurrency: number;
}

type ChainStepData =
  | { key: string; kind: 'lead'; leadId: string }
  | { key: string; kind: 'message'; name: string; email: string };

/**
 * Baselines for flows.bench.ts: raw BullMQ 3-job chains (webhook job → get-lead job → message job),
 * each job adding the next, on the same Redis and the same queue layout and job options as
 * Flowcard (removed on completion). In `http` mode the second and third jobs make the flow's two
 * calls with undici on a keep-alive agent: the cost floor of "one job per step". In `noop` mode
 * they do nothing: the ceiling of BullMQ itself on this machine.
 */
async function main(): Promise<void> {
  const config = benchConfig<ChainWorkerConfig>();
  const { target } = config;
  const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: null });
  const steps = new Queue<ChainStepData>(CHAIN_STEP_QUEUE, { connection: redis, prefix: config.prefix });
  const agent = new Agent({ connections: 256, pipelining: 1, keepAliveTimeout: 60_000 });
  const finished = finishedFlowReporter();
  const options = { removeOnComplete: true, removeOnFail: { count: 1000 } };

  const getLead = async (leadId: string): Promise<{ name: string; email: string }> => {
    const url = `${target.baseUrl}/v25.0/${leadId}?fields=id,created_time,field_data,ad_id,adset_id,campaign_id,form_id,platform`;
    const res = await request(url, {
      dispatcher: agent,
      headers: { authorization: `Bearer ${target.pageToken}` },
    });
    const lead = (await res.body.json()) as { field_data?: Array<{ name: string; values: string[] }> };
    if (res.statusCode !== 200) throw new Error(`GET lead answered ${res.statusCode}`);
    const field = (name: string): string =>
      lead.field_data?.find((f) => f.name === name)?.values.join(', ') ?? '';
    return { name: field('full_name'), email: field('email') };
  };
  const sendMessage = async (text: string): Promise<void> => {
    const res = await request(`${target.baseUrl}/v25.0/me/messages`, {
      method: 'POST',
      dispatcher: agent,
      headers: { authorization: `Bearer ${target.workplaceToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ recipient: { ids: [target.memberId] }, message: { text } }),
    });
    await res.body.json();
    if (res.statusCode !== 200) throw new Error(`POST message answered ${res.statusCode}`);
  };

  const webhookWorker = new Worker<ChainWebhookData>(
    CHAIN_WEBHOOK_QUEUE,
    async (job: Job<ChainWebhookData>) => {
      await steps.add(
        'step',
        { key: job.data.key, kind: 'lead', leadId: job.data.change.leadgen_id },
        options,
      );
    },
    { connection: redis, prefix: config.prefix, concurrency: config.concurrency },
  );
  const stepWorker = new Worker<ChainStepData>(
    CHAIN_STEP_QUEUE,
    async (job: Job<ChainStepData>) => {
      const data = job.data;
      if (data.kind === 'lead') {
        const lead = config.mode === 'http' ? await getLead(data.leadId) : { name: 'n', email: 'e' };
        await steps.add('step', { key: data.key, kind: 'message', ...lead }, options);
        return;
      }
      if (config.mode === 'http') await sendMessage(`New lead ${data.name} <${data.email}>`);
    },
    { connection: redis, prefix: config.prefix, concurrency: config.concurrency },
  );
  // A chain ends when its last job is completed in Redis: the moment Flowcard's flows are timed too.
  stepWorker.on('completed', (job) => {
    if (job.data.kind === 'message') finished(job.data.key);
  });
  for (const worker of [webhookWorker, stepWorker])
    worker.on('failed', (job, error) =>
      tellDriver({ type: 'error', message: `${String(job?.id)}: ${error.message}` }),
    );
  await Promise.all([webhookWorker.waitUntilReady(), stepWorker.waitUntilReady()]);
  answerCpuRequests();

  process.once('SIGTERM', () => {
    void (async (): Promise<void> => {
      await Promise.all([webhookWorker.close(), stepWorker.close()]);
      await steps.close();
      await agent.close();
      await redis.quit();
    })().finally(() => process.exit(0));
  });
  tellDriver({ type: 'ready' });
}

// Only when forked as a script: the driver imports this file for its types.
if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(
      `chain bench worker failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  });
}
