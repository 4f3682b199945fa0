import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { stopChildProcess } from './stop-child-process';

/** A running MongoDB-compatible server started from node_modules (jongodb). */
export interface EmbeddedMongo {
  /** mongodb:// URI of the server, without a database name. */
  readonly uri: string;
  readonly pid: number | undefined;
  stop(): Promise<void>;
}

const READY = /^JONGODB_URI=(mongodb:\/\/\S+)/;

/** Resolves the jongodb binary shipped by the npm package, or undefined when it is not installed. */
export function jongodbBinary(): string | undefined {
  try {
    const pkg = require.resolve('@jongodb/memory-server-bin-linux-x64-gnu/package.json');
    return pkg.replace(/package\.json$/, 'bin/jongodb');
  } catch {
    return undefined;
  }
}

/**
 * Starts jongodb in memory as a single-node replica set (so transactions work) and resolves once it
 * prints its URI. It keeps nothing on disk: everything is lost when it stops.
 */
export async function startJongodb(
  options: { port?: number; timeoutMs?: number } = {},
): Promise<EmbeddedMongo> {
  const binary = jongodbBinary();
  if (!binary)
    throw new Error('jongodb is not installed: run npm install, or set MONGODB_URI to a MongoDB server');
  const args = [
    '--host=127.0.0.1',
    `--port=${options.port ?? 0}`,
    '--topology-profile=singlenodereplicaset',
    '--replica-set-name=rs0',
  ];
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const uri = await waitForUri(child, options.timeoutMs ?? 20000);
  return {
    uri,
    pid: child.pid,
    stop: () => stopChildProcess(child),
  };
}

function waitForUri(child: ChildProcess, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let stderr = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`jongodb did not become ready within ${timeoutMs} ms. ${stderr.slice(-500)}`));
    }, timeoutMs);
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`jongodb exited with code ${code} before it was ready. ${stderr.slice(-500)}`));
    });
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      const match = READY.exec(line.trim());
      if (!match) return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      // Strip the default database name: callers choose theirs.
      resolve(match[1]!.replace(/\/[^/?]*(\?.*)?$/, '/$1').replace(/\/$/, ''));
    });
  });
}
