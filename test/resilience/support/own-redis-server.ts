import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { waitFor } from '../../support/wait-for';
import { freePort } from './flowcard-cluster';

/**
 * A redis-server of the test's own (never the shared one: this one gets shut down), on a free port,
 * in a temp folder, without persistence: `SHUTDOWN NOSAVE` and a restart bring it back empty, as a
 * Redis that lost its data.
 */
export interface OwnRedisServer {
  readonly url: string;
  readonly port: number;
  /** SHUTDOWN NOSAVE: the server exits and its data is gone. */
  shutdownNoSave(): Promise<void>;
  /** Starts it again on the same port (empty). */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export async function startOwnRedisServer(): Promise<OwnRedisServer> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'flowcard-redis-'));
  let child: ChildProcess | undefined;
  const launch = async (): Promise<void> => {
    const started = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child = started;
    let output = '';
    started.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    started.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await waitFor(
      `redis-server on port ${port} to accept connections`,
      () => {
        if (started.exitCode !== null) throw new Error(`redis-server exited: ${output.slice(-500)}`);
        return /Ready to accept connections/.test(output);
      },
      60_000,
      50,
    );
  };
  const exited = (): Promise<void> =>
    new Promise((resolve) => {
      if (!child || child.exitCode !== null || child.signalCode !== null) resolve();
      else child.once('exit', () => resolve());
    });
  await launch();
  const url = `redis://127.0.0.1:${port}`;
  return {
    url,
    port,
    async shutdownNoSave() {
      const client = new Redis(url, { maxRetriesPerRequest: 1, retryStrategy: () => null });
      const gone = exited();
      await client.call('SHUTDOWN', 'NOSAVE').catch(() => undefined);
      client.disconnect();
      await gone;
    },
    restart: launch,
    async stop() {
      const gone = exited();
      child?.kill('SIGTERM');
      await gone;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
