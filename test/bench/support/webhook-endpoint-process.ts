import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import { benchConfig, tellDriver } from './bench-process';
import type { BenchTarget } from './bench-flow';
import { ingestRouter } from './ingest-router';

export interface WebhookEndpointConfig {
  redisUrl: string;
  prefix: string;
  target: BenchTarget;
  /** `flowcard`: raw body → WebhookRouter.ingest (verify X-Hub-Signature-256, enqueue); `bare`: JSON.parse and 200. */
  mode: 'flowcard' | 'bare';
}

/** Collects the raw body: the signature is over the bytes Meta sent, so nothing may parse first. */
function rawBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/**
 * The webhook endpoint in a process of its own, on node:http (the runtime's Fastify route does not
 * exist yet; node:http is also what the bare endpoint uses, so the difference is Flowcard's work).
 */
async function main(): Promise<void> {
  const config = benchConfig<WebhookEndpointConfig>();
  let handle: (body: Buffer, signature: string | undefined) => Promise<number>;
  const closers: Array<() => Promise<unknown>> = [];
  if (config.mode === 'flowcard') {
    const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: null });
    const { router, queue } = ingestRouter(redis, config.prefix, config.target);
    handle = async (body, signature) => (await router.ingest(body, signature)).status;
    closers.push(
      () => queue.close(),
      () => redis.quit(),
    );
  } else {
    handle = async (body) => {
      JSON.parse(body.toString('utf8'));
      return 200;
    };
  }
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    rawBody(req)
      .then((body) => handle(body, req.headers['x-hub-signature-256'] as string | undefined))
      .then(
        (status) => res.writeHead(status, { 'content-length': '0' }).end(),
        () => res.writeHead(500, { 'content-length': '0' }).end(),
      );
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  process.once('SIGTERM', () => {
    server.closeAllConnections();
    server.close();
    void Promise.all(closers.map((close) => close())).finally(() => process.exit(0));
  });
  tellDriver({
    type: 'ready',
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/meta`,
  });
}

// Only when forked as a script: the driver imports this file for its types.
if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(
      `webhook endpoint failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  });
}
