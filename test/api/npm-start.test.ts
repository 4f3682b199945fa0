import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { captureEnv } from '../support/log-capture';

const repo = resolve(__dirname, '../..');
const bin = resolve(repo, 'packages/cli/bin/flowcard.js');

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? done(address.port) : fail(new Error('no port')),
      );
    });
  });
}

/** Pids of every descendant of `pid` (children, grandchildren…), from ps. */
function descendants(pid: number): number[] {
  const rows = spawnSync('ps', ['-e', '-o', 'pid=,ppid='], { encoding: 'utf8' })
    .stdout.trim()
    .split('\n')
    .map((line) => line.trim().split(/\s+/).map(Number) as [number, number]);
  const found: number[] = [];
  const walk = (parent: number): void => {
    for (const [child, ppid] of rows) {
      if (ppid === parent) {
        found.push(child);
        walk(child);
      }
    }
  };
  walk(pid);
  return found;
}

const command = (pid: number): string =>
  spawnSync('ps', ['-o', 'comm=', '-p', String(pid)], { encoding: 'utf8' }).stdout.trim() || String(pid);

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

function waitForLine(child: ChildProcess, pattern: RegExp, timeoutMs: number): Promise<string> {
  return new Promise((done, fail) => {
    let output = '';
    const timer = setTimeout(
      () => fail(new Error(`no line matching ${pattern} within ${timeoutMs} ms:\n${output.slice(-2000)}`)),
      timeoutMs,
    );
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const line = output.split('\n').find((candidate) => pattern.test(candidate));
      if (line) {
        clearTimeout(timer);
        done(output);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) =>
      fail(new Error(`exited with ${code} before ${pattern}:\n${output.slice(-2000)}`)),
    );
  });
}

describe('flowcard start with no configuration at all', () => {
  jest.setTimeout(60_000);

  it('brings up a working runtime on embedded defaults within 30 seconds and stops cleanly on SIGTERM', async () => {
    const port = await freePort();
    // A fresh data directory: the embedded database is kept there, and bootstrap needs an empty one.
    const dataDir = mkdtempSync(join(tmpdir(), 'flowcard-npm-start-'));
    const child = spawn(process.execPath, [bin, 'start'], {
      cwd: repo,
      // Nothing configured; the log capture folder is not configuration (test/security scans it).
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        ...captureEnv(),
        PORT: String(port),
        FLOWCARD_DATA_DIR: dataDir,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    try {
      // Up within 30 s on embedded defaults, or waitForLine fails the test.
      const output = await waitForLine(child, /API listening/, 30_000);
      expect(output).toContain('EMBEDDED MongoDB-compatible server (jongodb), DEVELOPMENT ONLY');
      expect(output).toContain('bundled Meta EMULATOR');

      const health = await fetch(`http://127.0.0.1:${port}/health`);
      expect(health.status).toBe(200);
      const docs = (await (await fetch(`http://127.0.0.1:${port}/docs/json`)).json()) as {
        paths: Record<string, unknown>;
      };
      expect(Object.keys(docs.paths)).toEqual(
        expect.arrayContaining(['/health', '/v1/me', '/v1/catalog/connectors']),
      );

      // The banner says where things are, the Studio first, and how to get the first API key;
      // following it works.
      const banner = stderr.split('\n').filter((line) => /^\s+(Studio|API|Docs):/.test(line));
      expect(banner.map((line) => line.trim())).toEqual([
        `Studio: http://localhost:${port}/`,
        `API:    http://localhost:${port}`,
        `Docs:   http://localhost:${port}/docs`,
      ]);
      const studio = await fetch(`http://127.0.0.1:${port}/`, { headers: { accept: 'text/html' } });
      expect(studio.status).toBe(200);
      expect(await studio.text()).toContain('<title>Flowcard Studio</title>');
      expect(stderr).toContain('npx flowcard admin create --email you@example.com --workspace "Acme"');
      const admin = spawnSync(
        process.execPath,
        [
          bin,
          'admin',
          'create',
          '--email',
          'you@example.com',
          '--workspace',
          'Acme',
          '--api',
          `http://127.0.0.1:${port}`,
        ],
        {
          cwd: repo,
          encoding: 'utf8',
          env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' },
        },
      );
      expect({ status: admin.status, stderr: admin.stderr }).toEqual({ status: 0, stderr: '' });
      const apiKey = /API key \(shown once, store it now\): (\S+)/.exec(admin.stdout)?.[1];
      expect(apiKey).toMatch(/^fc_/);
      const me = (await (
        await fetch(`http://127.0.0.1:${port}/v1/me`, { headers: { authorization: `Bearer ${apiKey}` } })
      ).json()) as { role: string };
      expect(me.role).toBe('owner');

      const children = descendants(child.pid!);
      expect(children.length).toBeGreaterThan(0);
      const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      // tsx's esbuild helper exits when it sees its parent's pipe close, a moment after the parent.
      const deadline = Date.now() + 3000;
      while (children.some(alive) && Date.now() < deadline) await new Promise((done) => setTimeout(done, 50));
      expect(children.filter(alive).map(command)).toEqual([]);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
