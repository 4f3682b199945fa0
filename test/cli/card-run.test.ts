import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// The facebook-pages README's "Trying it against the emulator" section, run as written: a real
// `flowcard emulator` process, the README's page.json (with the port this test got), and
// `flowcard card run` from the repository root.
const root = join(__dirname, '..', '..');
const bin = join(root, 'packages', 'cli', 'bin', 'flowcard.js');

function readmeExample(): { config: Record<string, { graphBaseUrl?: string }>; command: string } {
  const readme = readFileSync(join(root, 'connectors', 'facebook-pages', 'README.md'), 'utf8');
  const json = /```json\n([\s\S]*?)```/.exec(
    readme.slice(readme.indexOf('## Trying it against the emulator')),
  );
  const command = /^npx flowcard card run .*$/m.exec(readme);
  if (!json || !command) throw new Error('the README lost its card run example');
  return { config: JSON.parse(json[1]!) as Record<string, { graphBaseUrl?: string }>, command: command[0] };
}

function startEmulator(): Promise<{ child: ChildProcess; baseUrl: string }> {
  const child = spawn(process.execPath, [bin, 'emulator', '--port', '0'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`emulator did not start:\n${output}`)), 30_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /base URL:\s+(http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({ child, baseUrl: match[1]! });
      }
    });
    child.once('exit', (code) => reject(new Error(`emulator exited with ${code}:\n${output}`)));
  });
}

/** Runs the README command with the README's arguments, swapping in the config file's path. */
function cardRun(
  command: string,
  configPath: string,
): { status: number | null; stdout: string; stderr: string } {
  const args = command
    .replace(/^npx flowcard /, '')
    .match(/'[^']*'|\S+/g)!
    .map((arg) => arg.replace(/^'|'$/g, ''))
    .map((arg) => (arg === 'page.json' ? configPath : arg));
  const result = spawnSync(process.execPath, [bin, ...args], {
    cwd: root,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('flowcard card run, as the facebook-pages README shows it', () => {
  let emulator: { child: ChildProcess; baseUrl: string };
  const dir = mkdtempSync(join(tmpdir(), 'flowcard-card-run-'));

  beforeAll(async () => {
    emulator = await startEmulator();
  }, 180_000);
  afterAll(() => {
    emulator?.child.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  });

  it('publishes the post on the emulator and prints its id, then refuses the duplicate like Meta', async () => {
    const { config, command } = readmeExample();
    config.values!.graphBaseUrl = emulator.baseUrl;
    const configPath = join(dir, 'page.json');
    writeFileSync(configPath, JSON.stringify(config));

    const first = cardRun(command, configPath);
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    const output = JSON.parse(first.stdout) as { id: string };
    expect(output.id).toMatch(/^200000000000201_\d+$/);

    const token = (config.secrets as unknown as { accessToken: string }).accessToken;
    const post = (await (
      await fetch(`${emulator.baseUrl}/v25.0/${output.id}?fields=message&access_token=${token}`)
    ).json()) as {
      message?: string;
    };
    expect(post.message).toBe('Hello');

    const second = cardRun(command, configPath);
    expect(second.status).toBe(1);
    const error = (JSON.parse(second.stderr) as { error: { signal: string; message: string } }).error;
    expect(error.signal).toBe('invalid');
    expect(error.message).toContain('Duplicate status message');
    expect(second.stderr).not.toContain(token);
  }, 120_000);
});
