import { relative } from 'node:path';
import { startMetaEmulator, type EmulatorFixtures, type MetaEmulator } from '@flowcard/meta-emulator';
import { mongoUri, redisUrl, uniqueName } from '../support/env';
import { startFlowcardProcess } from '../support/flowcard-process';
import {
  captureDirectory,
  isDone,
  readCapture,
  repositoryRoot,
  scheduledTestFiles,
  type CapturedLine,
} from '../support/log-capture';
import { testMasterKeys } from '../support/test-master-keys';
import { getBound } from '@flowcard/runtime';
import { PeopleTokens } from '../../runtime/src/people/people-tokens';
import { call, startTestRuntime, type TestRuntime } from '../api/support/start-test-runtime';

/**
 * The last file of every jest run (test/support/log-capture-sequencer.js): every runtime logger of
 * the run, in jest workers and in spawned flowcard processes, also wrote its lines (down to trace)
 * into the run's capture folder (runtime/src/logging/log-capture.ts). This file greps all of it for
 * secrets: the emulator's fixture tokens, any token the emulator issued (its shapes say EMU), the
 * test master keys, and the secret part of any API key (`fc_<id>_<secret>`; ids alone are fine).
 *
 * Waiting: this file starts once jest has handed every other file to a worker; it polls for their
 * "done" markers (written at environment teardown, also when a file failed) for at most WAIT_MS.
 * A file whose marker never comes (its worker crashed, or it hangs) does not block the run: the scan
 * covers whatever was captured, and a separate test fails naming the unfinished files, because a
 * capture missing part of the run cannot vouch for it. Run alone, it waits for nothing.
 *
 * Never vacuous: this file produces lines itself (an in-process runtime and a spawned `flowcard
 * api`, handed fixture tokens), and requires lines from the configurations and Connect Meta suites
 * whenever those were scheduled.
 */
const WAIT_MS = 5 * 60_000;
const POLL_MS = 1_000;
const THIS_FILE = relative(repositoryRoot, __filename);

/** Tokens the emulator issues at runtime look like Meta's and say EMU (meta-emulator emulator-state.ts). */
const issuedTokenShapes: ReadonlyArray<[string, RegExp]> = [
  ['a Facebook token issued by the emulator', /EAAGEMU[A-Za-z0-9]+/],
  ['a Workplace token issued by the emulator', /DQWREMU[A-Za-z0-9]+/],
  ['a SCIM token of the emulator', /SCIMEMU[A-Za-z0-9]+/],
  // packages/engine/src/secrets/api-key.ts: fc_<12 hex id>_<43 base64url secret>.
  ['an API key with its secret part', /fc_[a-f0-9]{12}_[A-Za-z0-9_-]{43}/],
  // FLOWCARD_MASTER_KEYS entries: <id>:<base64 of 32 bytes>.
  ['a master key entry', /[\w.-]+:[A-Za-z0-9+/]{43}=/],
  // runtime/src/people/session-token.ts: the session cookie's value.
  ['a session cookie token', /fcs_[A-Za-z0-9_-]{43}/],
  // runtime/src/people/invite-token.ts: the token of an invite link.
  ['an invite link token', /fci_[A-Za-z0-9_-]{43}/],
];

/** Every string of the fixtures held under a key naming a token or a secret. */
function fixtureSecrets(fixtures: EmulatorFixtures): Map<string, string> {
  const found = new Map<string, string>();
  const walk = (value: unknown, path: string): void => {
    if (Array.isArray(value)) value.forEach((item, index) => walk(item, `${path}[${index}]`));
    else if (value && typeof value === 'object')
      for (const [key, inner] of Object.entries(value)) {
        if (typeof inner === 'string' && /token|secret/i.test(key)) found.set(inner, `${path}.${key}`);
        else walk(inner, `${path}.${key}`);
      }
  };
  walk(fixtures, 'fixtures');
  return found;
}

/** Where a secret was found, with the secret itself cut out of the excerpt. */
function describeHit(line: CapturedLine, secret: string, what: string): string {
  const at = line.text.indexOf(secret);
  const excerpt = line.text
    .slice(Math.max(0, at - 80), at + secret.length + 40)
    .split(secret)
    .join('<HERE>');
  return `${what} in ${captureDirectory()}/${line.pid}.log:${line.lineNumber} (${line.testFile ?? 'no test file'}): …${excerpt}…`;
}

/**
 * Gives a runtime a password every way a person can (setup-style password, right and wrong sign-in,
 * the session cookie and CSRF token on requests) and hands the logger the same values under the
 * names a careless log call would use. The scan then proves none of it was written.
 */
async function signInEveryWay(runtime: TestRuntime, userId: string, passwords: string[]): Promise<void> {
  const password = 'scan password 8d1c0e77f3';
  const wrongPassword = 'scan wrong password 5b2a99';
  passwords.push(password, wrongPassword);
  await getBound(runtime.handle.container, PeopleTokens.people).setPassword(userId, password);
  const wrong = await call(`${runtime.url}/v1/auth/sign-in`, {
    method: 'POST',
    body: { email: 'scan@example.com', password: wrongPassword },
  });
  expect(wrong.status).toBe(401);
  const signedIn = await fetch(`${runtime.url}/v1/auth/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'scan@example.com', password }),
  });
  expect(signedIn.status).toBe(200);
  const { csrfToken } = (await signedIn.json()) as { csrfToken: string };
  const cookie = signedIn.headers.getSetCookie()[0]!.split(';')[0]!;
  const headers = { cookie, 'x-csrf-token': csrfToken };
  expect((await fetch(`${runtime.url}/v1/me`, { headers })).status).toBe(200);
  expect((await fetch(`${runtime.url}/v1/notifications/read-all`, { method: 'POST', headers })).status).toBe(
    200,
  );
  runtime.handle.logger.info(
    { body: { email: 'scan@example.com', password }, req: { headers }, headers, password: wrongPassword },
    'a careless log call with sign-in values',
  );
  // An invite link: created, opened and accepted (its token travels in the URL path).
  const invited = await fetch(`${runtime.url}/v1/team/invites`, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'scan-guest@example.com', role: 'member' }),
  });
  expect(invited.status).toBe(201);
  const { link } = (await invited.json()) as { link: string };
  const token = link.slice(link.lastIndexOf('/') + 1);
  expect((await fetch(`${runtime.url}/v1/invites/${token}`)).status).toBe(200);
  const accepted = await call(`${runtime.url}/v1/invites/${token}/accept`, {
    method: 'POST',
    body: { name: 'Guest', password },
  });
  expect(accepted.status).toBe(201);
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('the log capture of the whole test run', () => {
  const directory = captureDirectory();
  let meta: MetaEmulator;
  let lines: CapturedLine[] = [];
  let unfinished: string[] = [];
  let scheduledOthers: string[] = [];
  let spawnedPid = 0;
  const apiKeys: string[] = [];
  const passwords: string[] = [];

  beforeAll(async () => {
    if (!directory)
      throw new Error('FLOWCARD_LOG_CAPTURE_DIR is not set: run this file through jest (jest.config.js)');
    meta = await startMetaEmulator();
    const metaEnv = {
      META_APP_ID: meta.app.id,
      META_APP_SECRET: meta.app.secret,
      META_GRAPH_URL: meta.graphUrl,
      META_DIALOG_URL: meta.dialogUrl,
    };

    // An in-process runtime handed fixture tokens every way a client can.
    const runtime = await startTestRuntime(__filename, { env: { ...metaEnv, LOG_LEVEL: 'warn' } });
    try {
      const bootstrap = await call(`${runtime.url}/v1/admin/bootstrap`, {
        method: 'POST',
        body: { email: 'scan@example.com', workspace: 'Scan' },
      });
      apiKeys.push(bootstrap.body.apiKey);
      const created = await call(`${runtime.url}/v1/configurations`, {
        method: 'POST',
        apiKey: bootstrap.body.apiKey,
        body: {
          connector: 'workplace',
          nickname: 'Scan',
          values: {
            accessToken: meta.fixtures.workplace.adminToken,
            graphBaseUrl: meta.graphUrl,
            graphVersion: 'v25.0',
          },
        },
      });
      expect(created.status).toBe(201);
      await call(`${runtime.url}/v1/me?access_token=${meta.fixtures.user.accessToken}`, {
        apiKey: bootstrap.body.apiKey,
      });
      await signInEveryWay(runtime, bootstrap.body.user.id, passwords);
    } finally {
      await runtime.stop();
    }

    // A spawned `flowcard api`: its lines go to a capture file of its own.
    const name = uniqueName(__filename);
    const spawned = await startFlowcardProcess('api', {
      ...metaEnv,
      MONGODB_URI: mongoUri(),
      FLOWCARD_MONGODB_DATABASE: name,
      REDIS_URL: redisUrl(),
      FLOWCARD_REDIS_PREFIX: name,
      HOST: '127.0.0.1',
    });
    try {
      spawnedPid = spawned.pid;
      await call(`${spawned.url}/v1/me?access_token=${meta.fixtures.pages[0]!.accessToken}`, {
        apiKey: `fc_000000000000_${'A'.repeat(43)}`,
      });
    } finally {
      await spawned.stop();
    }

    scheduledOthers = scheduledTestFiles(directory).filter(
      (file) => relative(repositoryRoot, file) !== THIS_FILE,
    );
    const deadline = Date.now() + WAIT_MS;
    let waiting = scheduledOthers.filter((file) => !isDone(directory, file));
    while (waiting.length > 0 && Date.now() < deadline) {
      await sleep(POLL_MS);
      waiting = waiting.filter((file) => !isDone(directory, file));
    }
    unfinished = waiting.map((file) => relative(repositoryRoot, file));
    lines = readCapture(directory);
  }, WAIT_MS + 120_000);

  afterAll(async () => {
    await meta?.close();
  });

  it('saw every other scheduled test file finish before scanning', () => {
    // A missing marker means that file's worker died or it hung past the wait: its logs may be partial.
    expect(unfinished).toEqual([]);
  });

  it('holds lines from this file, from a spawned flowcard process and, when scheduled, from the configurations and Connect Meta suites', () => {
    const pids = new Set(lines.map((line) => line.pid));
    expect(pids.has(process.pid)).toBe(true);
    expect(pids.has(spawnedPid)).toBe(true);
    expect(lines.filter((line) => line.testFile === THIS_FILE).length).toBeGreaterThanOrEqual(10);
    expect(lines.filter((line) => line.pid === spawnedPid).length).toBeGreaterThanOrEqual(5);
    const suites = [
      'test/api/configurations/configurations-api.test.ts',
      'test/api/connect-meta/connect-meta.test.ts',
    ];
    for (const suite of suites.filter((file) =>
      scheduledOthers.some((scheduled) => relative(repositoryRoot, scheduled) === file),
    )) {
      const count = lines.filter((line) => line.testFile === suite).length;
      expect({ suite, atLeast50Lines: count >= 50 }).toEqual({ suite, atLeast50Lines: true });
    }
  });

  it('contains no token or secret of the Meta emulator fixtures', () => {
    const secrets = fixtureSecrets(meta.fixtures);
    expect(secrets.size).toBeGreaterThanOrEqual(8);
    const hits = lines.flatMap((line) =>
      [...secrets]
        .filter(([secret]) => line.text.includes(secret))
        .map(([secret, where]) => describeHit(line, secret, where)),
    );
    expect(hits).toEqual([]);
  });

  it('contains no token the emulator issued, no API key secret and no master key entry', () => {
    const hits = lines.flatMap((line) =>
      issuedTokenShapes.flatMap(([what, shape]) => {
        const match = shape.exec(line.text);
        return match ? [describeHit(line, match[0], what)] : [];
      }),
    );
    expect(hits).toEqual([]);
  });

  it('contains none of the test master keys and none of the API keys and passwords this file was given', () => {
    const known: Array<[string, string]> = [
      ...Object.entries(testMasterKeys).map(([id, key]): [string, string] => [key, `test master key ${id}`]),
      ...apiKeys.map((key): [string, string] => [key, 'an API key of this file']),
      ...passwords.map((password): [string, string] => [password, 'a password this file signed in with']),
    ];
    expect(apiKeys).toHaveLength(1);
    expect(passwords).toHaveLength(2);
    const hits = lines.flatMap((line) =>
      known
        .filter(([secret]) => line.text.includes(secret))
        .map(([secret, what]) => describeHit(line, secret, what)),
    );
    expect(hits).toEqual([]);
  });
});
