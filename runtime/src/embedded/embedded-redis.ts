import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import { freePort } from './free-port';
import { stopChildProcess } from './stop-child-process';

/** A Redis the runtime will use; `stop` is a no-op unless the runtime started it. */
export interface ResolvedRedis {
  readonly url: string;
  readonly source: 'external' | 'local-default' | 'started';
  readonly pid?: number;
  stop(): Promise<void>;
}

const LOCAL_DEFAULT = { host: '127.0.0.1', port: 6379 };

/**
 * Finds a Redis: REDIS_URL as given; else 127.0.0.1:6379 when something answers PING there; else a
 * `redis-server` started on a free port, with AOF persistence in `<dataDir>/redis` when a data
 * directory is given (live runs, queued jobs and schedules then survive a restart; see the README's
 * production section for why Flowcard wants AOF).
 */
export async function resolveRedis(redisUrl: string | undefined, dataDir?: string): Promise<ResolvedRedis> {
  if (redisUrl) return { url: redisUrl, source: 'external', stop: async () => undefined };
  if (await answersPing(LOCAL_DEFAULT.host, LOCAL_DEFAULT.port)) {
    return {
      url: `redis://${LOCAL_DEFAULT.host}:${LOCAL_DEFAULT.port}`,
      source: 'local-default',
      stop: async () => undefined,
    };
  }
  if (!redisServerInstalled()) {
    throw new Error(
      'No Redis: REDIS_URL is not set, nothing answers on 127.0.0.1:6379, and redis-server is not installed. ' +
        'Install Redis (e.g. apt-get install redis-server) or set REDIS_URL.',
    );
  }
  return startRedisServer(10_000, dataDir);
}

/**
 * Starts `redis-server` on a free port and waits until it answers PING: with `dataDir`, AOF
 * (`appendfsync everysec`: a crash loses at most about a second) in `<dataDir>/redis`; without,
 * in memory only.
 */
export async function startRedisServer(timeoutMs = 10000, dataDir?: string): Promise<ResolvedRedis> {
  const port = await freePort();
  const persistence: string[] = ['--save', ''];
  if (dataDir) {
    const dir = join(dataDir, 'redis');
    mkdirSync(dir, { recursive: true });
    persistence.push('--appendonly', 'yes', '--appendfsync', 'everysec', '--dir', dir);
  } else {
    persistence.push('--appendonly', 'no');
  }
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', ...persistence], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const deadline = Date.now() + timeoutMs;
  while (!(await answersPing('127.0.0.1', port))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`redis-server did not start on port ${port}: ${stderr.slice(-300)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    source: 'started',
    pid: child.pid,
    stop: () => stopChildProcess(child),
  };
}

function redisServerInstalled(): boolean {
  return spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
}

/** Speaks just enough RESP to ask PING, so probing needs no client library and no retries. */
function answersPing(host: string, port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host, port });
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => done(data.toString().startsWith('+PONG')));
  });
}
