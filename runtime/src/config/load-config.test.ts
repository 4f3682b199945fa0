import { ConfigError } from './config-error';
import { loadConfig } from './load-config';

const key = (byte: number): string => Buffer.alloc(32, byte).toString('base64');

function problemsOf(env: Record<string, string>): readonly string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('gives every variable its documented default when nothing is set', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 3000,
      host: '0.0.0.0',
      mongodbDatabase: 'flowcard',
      redisPrefix: 'flowcard',
      metaGraphUrl: 'https://graph.facebook.com',
      metaGraphVersion: 'v25.0',
      reminderDays: 15,
      rateLimits: { appPerMinute: 6000, pagePerMinute: 1200 },
      sessions: { idleHours: 12, maxDays: 7, attemptsPerAccount: 10, attemptsPerIp: 30 },
      recovery: { jobLockMs: 30_000, reconcileIntervalMs: 60_000 },
      logLevel: 'info',
      bootstrap: 'localhost',
    });
    expect(config.mongodbUri).toBeUndefined();
    expect(config.meta).toBeUndefined();
    expect(config.masterKeys).toBeUndefined();
  });

  it('reads session lifetimes and sign-in limits, refusing anything but whole numbers of 1 or more', () => {
    expect(
      loadConfig({
        FLOWCARD_SESSION_IDLE_HOURS: '1',
        FLOWCARD_SESSION_MAX_DAYS: '30',
        FLOWCARD_SIGN_IN_ATTEMPTS_PER_ACCOUNT: '3',
        FLOWCARD_SIGN_IN_ATTEMPTS_PER_IP: '100',
      }).sessions,
    ).toEqual({ idleHours: 1, maxDays: 30, attemptsPerAccount: 3, attemptsPerIp: 100 });
    expect(
      problemsOf({ FLOWCARD_SESSION_IDLE_HOURS: '0', FLOWCARD_SIGN_IN_ATTEMPTS_PER_IP: 'many' }),
    ).toEqual([
      'FLOWCARD_SESSION_IDLE_HOURS must be a whole number of hours (1 or more), got "0"',
      'FLOWCARD_SIGN_IN_ATTEMPTS_PER_IP must be a whole number of attempts (1 or more), got "many"',
    ]);
  });

  it('prefers FLOWCARD_PORT over PORT', () => {
    expect(loadConfig({ PORT: '8080', FLOWCARD_PORT: '9090' }).port).toBe(9090);
  });

  it('takes the database from the MongoDB URI unless FLOWCARD_MONGODB_DATABASE names one', () => {
    expect(loadConfig({ MONGODB_URI: 'mongodb://db:27017/prod?replicaSet=rs0' }).mongodbDatabase).toBe(
      'prod',
    );
    expect(
      loadConfig({ MONGODB_URI: 'mongodb://db:27017/prod', FLOWCARD_MONGODB_DATABASE: 'other' })
        .mongodbDatabase,
    ).toBe('other');
  });

  it('reads master keys and makes the last one current unless FLOWCARD_MASTER_KEY_ID says otherwise', () => {
    const config = loadConfig({ FLOWCARD_MASTER_KEYS: `k1:${key(1)},k2:${key(2)}` });
    expect(config.masterKeys?.map((entry) => entry.id)).toEqual(['k1', 'k2']);
    expect(config.masterKeyId).toBe('k2');
    expect(
      loadConfig({ FLOWCARD_MASTER_KEYS: `k1:${key(1)},k2:${key(2)}`, FLOWCARD_MASTER_KEY_ID: 'k1' })
        .masterKeyId,
    ).toBe('k1');
  });

  it('names every invalid variable at once, without echoing key material', () => {
    const shortKey = Buffer.alloc(16, 7).toString('base64');
    const problems = problemsOf({
      PORT: 'eighty',
      REDIS_URL: 'localhost:6379',
      FLOWCARD_MASTER_KEYS: `k1:${shortKey}`,
      META_APP_ID: '123',
      LOG_LEVEL: 'loud',
      FLOWCARD_REMINDER_DAYS: '0',
    });
    expect(problems).toEqual([
      'PORT must be a port number between 0 and 65535, got "eighty"',
      'REDIS_URL must start with redis:// or rediss://',
      'FLOWCARD_MASTER_KEYS key "k1" must decode from base64 to 32 bytes, got 16',
      'META_APP_SECRET must be set together with META_APP_ID',
      'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, got "loud"',
      'FLOWCARD_REMINDER_DAYS must be a whole number of days between 1 and 89, got "0"',
    ]);
    expect(problems.join('\n')).not.toContain(shortKey);
  });

  it('refuses a current key id that is not among the keys', () => {
    expect(problemsOf({ FLOWCARD_MASTER_KEYS: `k1:${key(1)}`, FLOWCARD_MASTER_KEY_ID: 'k9' })).toEqual([
      'FLOWCARD_MASTER_KEY_ID "k9" is not one of the ids in FLOWCARD_MASTER_KEYS (k1)',
    ]);
  });

  it('reads the shared Meta call budgets and refuses ones that are not whole positive numbers', () => {
    expect(
      loadConfig({ FLOWCARD_RATE_LIMIT_APP_PER_MINUTE: '300', FLOWCARD_RATE_LIMIT_PAGE_PER_MINUTE: '40' })
        .rateLimits,
    ).toEqual({ appPerMinute: 300, pagePerMinute: 40 });
    expect(
      problemsOf({ FLOWCARD_RATE_LIMIT_APP_PER_MINUTE: '0', FLOWCARD_RATE_LIMIT_PAGE_PER_MINUTE: 'lots' }),
    ).toEqual([
      'FLOWCARD_RATE_LIMIT_APP_PER_MINUTE must be a whole number of calls per minute (1 or more), got "0"',
      'FLOWCARD_RATE_LIMIT_PAGE_PER_MINUTE must be a whole number of calls per minute (1 or more), got "lots"',
    ]);
  });

  it('reads the recovery timings and refuses ones that are not whole milliseconds of 100 or more', () => {
    expect(
      loadConfig({
        FLOWCARD_JOB_LOCK_MS: '2000',
        FLOWCARD_POLL_INTERVAL_MS: '5000',
        FLOWCARD_RECONCILE_INTERVAL_MS: '3000',
      }).recovery,
    ).toEqual({ jobLockMs: 2000, pollIntervalMs: 5000, reconcileIntervalMs: 3000 });
    expect(problemsOf({ FLOWCARD_JOB_LOCK_MS: '50', FLOWCARD_RECONCILE_INTERVAL_MS: 'soon' })).toEqual([
      'FLOWCARD_JOB_LOCK_MS must be a whole number of milliseconds (100 or more), got "50"',
      'FLOWCARD_RECONCILE_INTERVAL_MS must be a whole number of milliseconds (100 or more), got "soon"',
    ]);
  });

  it('carries the notification webhook URL and refuses one that is not an http(s) URL', () => {
    expect(loadConfig({}).notifyWebhookUrl).toBeUndefined();
    expect(
      loadConfig({ FLOWCARD_NOTIFY_WEBHOOK_URL: 'https://hooks.example.com/flowcard' }).notifyWebhookUrl,
    ).toBe('https://hooks.example.com/flowcard');
    expect(problemsOf({ FLOWCARD_NOTIFY_WEBHOOK_URL: 'hooks.example.com/flowcard' })).toEqual([
      'FLOWCARD_NOTIFY_WEBHOOK_URL must be an absolute http(s) URL, got "hooks.example.com/flowcard"',
    ]);
  });

  it('splits connector folders and packages on commas', () => {
    const config = loadConfig({
      FLOWCARD_CONNECTORS_DIR: ' /a , /b ',
      FLOWCARD_CONNECTOR_PACKAGES: '@acme/crm',
    });
    expect(config.connectorDirectories).toEqual(['/a', '/b']);
    expect(config.connectorPackages).toEqual(['@acme/crm']);
  });
});
