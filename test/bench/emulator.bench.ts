import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Pool } from 'undici';

const DURATION_MS = 3000;
const IN_FLIGHT = 256;
const CONNECTIONS = 64;

/** Keeps IN_FLIGHT GETs of one path in flight on a keep-alive pool for DURATION_MS; returns requests/s. */
async function measure(origin: string, path: string): Promise<number> {
  const pool = new Pool(origin, { connections: CONNECTIONS, pipelining: 1 });
  let done = 0;
  let failed = 0;
  const deadline = Date.now() + DURATION_MS;
  const worker = async (): Promise<void> => {
    while (Date.now() < deadline) {
      const { statusCode, body } = await pool.request({ method: 'GET', path });
      await body.dump();
      if (statusCode === 200) done++;
      else failed++;
    }
  };
  const started = Date.now();
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  const seconds = (Date.now() - started) / 1000;
  await pool.close();
  if (failed > 0) throw new Error(`${failed} requests to ${path} did not answer 200`);
  return done / seconds;
}

/**
 * Runs a server in a child process (so client and server each get a core of this 2-core machine)
 * and resolves with its base URL, printed as the child's first line.
 */
async function spawnServer(code: string): Promise<{ url: string; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, ['-r', 'tsx/cjs', '-e', code], {
    cwd: join(__dirname, '..', '..'),
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (status) => reject(new Error(`bench server exited early (${status})`)));
    createInterface({ input: child.stdout }).once('line', (line) => resolve(line.trim()));
  });
  child.removeAllListeners('exit');
  const stop = (): Promise<void> =>
    new Promise((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  return { url, stop };
}

const BARE_SERVER = `
  const payload = JSON.stringify({ id: '100000000000101', name: 'Avery Admin' });
  const server = require('node:http').createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'application/json; charset=UTF-8', 'content-length': Buffer.byteLength(payload) });
    res.end(payload);
  });
  server.listen(0, '127.0.0.1', () => console.log('http://127.0.0.1:' + server.address().port));
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
`;

const EMULATOR_SERVER = `
  require('./packages/meta-emulator/src').startMetaEmulator().then((emulator) => {
    console.log(emulator.baseUrl + ' ' + emulator.fixtures.user.accessToken);
    process.on('SIGTERM', () => emulator.close().then(() => process.exit(0)));
  });
`;

/**
 * Simple GET throughput of the Meta emulator (`GET /v25.0/me` with a valid token: token lookup,
 * usage headers, call log) against a bare node:http server answering the same JSON. Each server
 * runs in its own child process and is driven by the same undici loop from this one.
 */
export default async function (): Promise<void> {
  const bare = await spawnServer(BARE_SERVER);
  await measure(bare.url, '/'); // warm-up
  const bareRate = await measure(bare.url, '/');
  await bare.stop();

  const emulator = await spawnServer(EMULATOR_SERVER);
  const [origin, token] = emulator.url.split(' ');
  const path = `/v25.0/me?access_token=${token}`;
  await measure(origin, path); // warm-up: JIT and the fixture token's usage counters
  const emulatorRate = await measure(origin, path);
  await emulator.stop();

  process.stdout.write(`bare node http: ${Math.round(bareRate)} req/s\n`);
  process.stdout.write(`emulator: ${Math.round(emulatorRate)} req/s\n`);
  process.stdout.write(`emulator/bare ratio: ${(emulatorRate / bareRate).toFixed(2)}\n`);
  process.stdout.write(`target >= 5000 req/s: ${emulatorRate >= 5000 ? 'met' : 'NOT met'}\n`);
}
