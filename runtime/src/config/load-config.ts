import { resolve } from 'node:path';
import { ConfigError } from './config-error';
import type { LogLevel, MasterKey, RuntimeConfig } from './runtime-config';
import { loadSandboxConfig } from './sandbox-config';

type Env = Readonly<Record<string, string | undefined>>;

const logLevels: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/**
 * Reads the runtime configuration from environment variables (see config-variables.ts and the README
 * table). Throws a ConfigError naming every invalid variable.
 */
export function loadConfig(env: Env = process.env): RuntimeConfig {
  const problems: string[] = [];
  const read = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value === '' ? undefined : value;
  };

  const port = parsePort(
    read('FLOWCARD_PORT') ?? read('PORT'),
    read('FLOWCARD_PORT') ? 'FLOWCARD_PORT' : 'PORT',
    problems,
  );
  const mongodbUri = read('MONGODB_URI');
  if (mongodbUri && !/^mongodb(\+srv)?:\/\//.test(mongodbUri)) {
    problems.push('MONGODB_URI must start with mongodb:// or mongodb+srv://');
  }
  const redisUrl = read('REDIS_URL');
  if (redisUrl && !/^rediss?:\/\//.test(redisUrl))
    problems.push('REDIS_URL must start with redis:// or rediss://');

  const masterKeys = parseMasterKeys(read('FLOWCARD_MASTER_KEYS'), problems);
  const masterKeyId = read('FLOWCARD_MASTER_KEY_ID');
  if (masterKeyId && !masterKeys)
    problems.push('FLOWCARD_MASTER_KEY_ID is set but FLOWCARD_MASTER_KEYS is not');
  if (masterKeyId && masterKeys && !masterKeys.some((key) => key.id === masterKeyId)) {
    problems.push(
      `FLOWCARD_MASTER_KEY_ID "${masterKeyId}" is not one of the ids in FLOWCARD_MASTER_KEYS (${masterKeys.map((k) => k.id).join(', ')})`,
    );
  }

  const appId = read('META_APP_ID');
  const appSecret = read('META_APP_SECRET');
  if (Boolean(appId) !== Boolean(appSecret)) {
    problems.push(
      `${appId ? 'META_APP_SECRET' : 'META_APP_ID'} must be set together with ${appId ? 'META_APP_ID' : 'META_APP_SECRET'}`,
    );
  }

  const metaGraphVersion = read('META_GRAPH_VERSION') ?? 'v25.0';
  if (!/^v\d+\.\d+$/.test(metaGraphVersion))
    problems.push(`META_GRAPH_VERSION must look like v25.0, got "${metaGraphVersion}"`);

  const logLevel = (read('LOG_LEVEL') ?? 'info') as LogLevel;
  if (!logLevels.includes(logLevel))
    problems.push(`LOG_LEVEL must be one of ${logLevels.join(', ')}, got "${logLevel}"`);

  const reminderText = read('FLOWCARD_REMINDER_DAYS') ?? '15';
  const reminderDays = Number(reminderText);
  if (!Number.isInteger(reminderDays) || reminderDays < 1 || reminderDays > 89) {
    problems.push(
      `FLOWCARD_REMINDER_DAYS must be a whole number of days between 1 and 89, got "${reminderText}"`,
    );
  }

  const hookLimitText = read('FLOWCARD_HOOK_BODY_LIMIT_BYTES');
  const hookBodyLimitBytes = hookLimitText === undefined ? undefined : Number(hookLimitText);
  if (hookBodyLimitBytes !== undefined && (!Number.isInteger(hookBodyLimitBytes) || hookBodyLimitBytes < 1)) {
    problems.push(`FLOWCARD_HOOK_BODY_LIMIT_BYTES must be a whole number of bytes, got "${hookLimitText}"`);
  }

  const countAtLeast = (
    name: string,
    text: string | undefined,
    fallback: number | undefined,
    min: number,
  ): number | undefined => {
    if (text === undefined) return fallback;
    const value = Number(text);
    if (Number.isInteger(value) && value >= min) return value;
    problems.push(`${name} must be a whole number (${min} or more), got "${text}"`);
    return fallback;
  };
  const history = {
    maxAgeDays: countAtLeast('FLOWCARD_HISTORY_MAX_AGE_DAYS', read('FLOWCARD_HISTORY_MAX_AGE_DAYS'), 14, 0)!,
    // Unset: 10,000, or 1,000 on the embedded store (decided when the embedded defaults resolve).
    maxRuns: countAtLeast('FLOWCARD_HISTORY_MAX_RUNS', read('FLOWCARD_HISTORY_MAX_RUNS'), undefined, 0),
    pruneIntervalMs:
      countAtLeast('FLOWCARD_HISTORY_PRUNE_INTERVAL_S', read('FLOWCARD_HISTORY_PRUNE_INTERVAL_S'), 60, 1)! *
      1000,
  };

  const snapshotText = read('FLOWCARD_EMBEDDED_SNAPSHOT_MS') ?? '2000';
  const embeddedSnapshotMs = Number(snapshotText);
  if (!Number.isInteger(embeddedSnapshotMs) || embeddedSnapshotMs < 0) {
    problems.push(
      `FLOWCARD_EMBEDDED_SNAPSHOT_MS must be a whole number of milliseconds (0 or more), got "${snapshotText}"`,
    );
  }

  const rateLimits = {
    appPerMinute: perMinute(
      'FLOWCARD_RATE_LIMIT_APP_PER_MINUTE',
      read('FLOWCARD_RATE_LIMIT_APP_PER_MINUTE'),
      6000,
      problems,
    ),
    pagePerMinute: perMinute(
      'FLOWCARD_RATE_LIMIT_PAGE_PER_MINUTE',
      read('FLOWCARD_RATE_LIMIT_PAGE_PER_MINUTE'),
      1200,
      problems,
    ),
  };

  const sessions = {
    idleHours: wholeNumber(
      'FLOWCARD_SESSION_IDLE_HOURS',
      read('FLOWCARD_SESSION_IDLE_HOURS'),
      12,
      'hours',
      problems,
    ),
    maxDays: wholeNumber('FLOWCARD_SESSION_MAX_DAYS', read('FLOWCARD_SESSION_MAX_DAYS'), 7, 'days', problems),
    attemptsPerAccount: wholeNumber(
      'FLOWCARD_SIGN_IN_ATTEMPTS_PER_ACCOUNT',
      read('FLOWCARD_SIGN_IN_ATTEMPTS_PER_ACCOUNT'),
      10,
      'attempts',
      problems,
    ),
    attemptsPerIp: wholeNumber(
      'FLOWCARD_SIGN_IN_ATTEMPTS_PER_IP',
      read('FLOWCARD_SIGN_IN_ATTEMPTS_PER_IP'),
      30,
      'attempts',
      problems,
    ),
  };

  const pollText = read('FLOWCARD_POLL_INTERVAL_MS');
  const recovery = {
    jobLockMs: milliseconds('FLOWCARD_JOB_LOCK_MS', read('FLOWCARD_JOB_LOCK_MS'), 30_000, problems),
    ...(pollText === undefined
      ? {}
      : { pollIntervalMs: milliseconds('FLOWCARD_POLL_INTERVAL_MS', pollText, 900_000, problems) }),
    reconcileIntervalMs: milliseconds(
      'FLOWCARD_RECONCILE_INTERVAL_MS',
      read('FLOWCARD_RECONCILE_INTERVAL_MS'),
      60_000,
      problems,
    ),
  };

  const bootstrapText = read('FLOWCARD_BOOTSTRAP') ?? 'localhost';
  const bootstrap = bootstrapText === 'off' ? 'off' : 'localhost';
  if (bootstrapText !== 'localhost' && bootstrapText !== 'off')
    problems.push(`FLOWCARD_BOOTSTRAP must be localhost or off, got "${bootstrapText}"`);

  const publicUrl = read('FLOWCARD_PUBLIC_URL');
  const notifyWebhookUrl = read('FLOWCARD_NOTIFY_WEBHOOK_URL');
  const urls: Array<[string, string | undefined]> = [
    ['FLOWCARD_PUBLIC_URL', publicUrl],
    ['FLOWCARD_NOTIFY_WEBHOOK_URL', notifyWebhookUrl],
    ['META_GRAPH_URL', read('META_GRAPH_URL')],
    ['META_DIALOG_URL', read('META_DIALOG_URL')],
  ];
  for (const [name, value] of urls) {
    if (value && !isHttpUrl(value)) problems.push(`${name} must be an absolute http(s) URL, got "${value}"`);
  }

  const sandbox = loadSandboxConfig(read, problems);

  if (problems.length > 0) throw new ConfigError(problems);
  return {
    port,
    host: read('HOST') ?? '0.0.0.0',
    mongodbUri,
    mongodbDatabase: read('FLOWCARD_MONGODB_DATABASE') ?? databaseOf(mongodbUri) ?? 'flowcard',
    redisUrl,
    redisPrefix: read('FLOWCARD_REDIS_PREFIX') ?? 'flowcard',
    masterKeys,
    masterKeyId: masterKeyId ?? masterKeys?.at(-1)?.id,
    meta: appId && appSecret ? { appId, appSecret } : undefined,
    metaGraphUrl: trimSlash(read('META_GRAPH_URL') ?? 'https://graph.facebook.com'),
    metaDialogUrl: trimSlash(read('META_DIALOG_URL') ?? 'https://www.facebook.com'),
    metaGraphVersion,
    metaWebhookVerifyToken: read('META_WEBHOOK_VERIFY_TOKEN'),
    publicUrl: publicUrl ? trimSlash(publicUrl) : undefined,
    connectorDirectories: list(read('FLOWCARD_CONNECTORS_DIR')),
    connectorPackages: list(read('FLOWCARD_CONNECTOR_PACKAGES')),
    // Relative to the working folder the runtime starts in, like every path it is given.
    dataDir: resolve(read('FLOWCARD_DATA_DIR') ?? '.flowcard'),
    reminderDays,
    ...(hookBodyLimitBytes ? { hookBodyLimitBytes } : {}),
    embeddedSnapshotMs,
    history,
    rateLimits,
    sessions,
    recovery,
    notifyWebhookUrl,
    logLevel,
    bootstrap,
    sandbox,
    operators: list(read('FLOWCARD_OPERATORS')).map((email) => email.toLowerCase()),
  };
}

function perMinute(name: string, text: string | undefined, fallback: number, problems: string[]): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (Number.isInteger(value) && value >= 1) return value;
  problems.push(`${name} must be a whole number of calls per minute (1 or more), got "${text}"`);
  return fallback;
}

function wholeNumber(
  name: string,
  text: string | undefined,
  fallback: number,
  unit: string,
  problems: string[],
): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (Number.isInteger(value) && value >= 1) return value;
  problems.push(`${name} must be a whole number of ${unit} (1 or more), got "${text}"`);
  return fallback;
}

function milliseconds(name: string, text: string | undefined, fallback: number, problems: string[]): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (Number.isInteger(value) && value >= 100) return value;
  problems.push(`${name} must be a whole number of milliseconds (100 or more), got "${text}"`);
  return fallback;
}

function parsePort(text: string | undefined, name: string, problems: string[]): number {
  if (text === undefined) return 3000;
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    problems.push(`${name} must be a port number between 0 and 65535, got "${text}"`);
    return 3000;
  }
  return port;
}

function parseMasterKeys(text: string | undefined, problems: string[]): MasterKey[] | undefined {
  if (!text) return undefined;
  const keys: MasterKey[] = [];
  for (const [index, pair] of text
    .split(',')
    .map((part) => part.trim())
    .entries()) {
    const separator = pair.indexOf(':');
    const id = separator > 0 ? pair.slice(0, separator) : '';
    const key = Buffer.from(separator > 0 ? pair.slice(separator + 1) : '', 'base64');
    if (!/^[\w.-]+$/.test(id)) {
      problems.push(`FLOWCARD_MASTER_KEYS entry ${index + 1} must look like <id>:<base64 32-byte key>`);
    } else if (key.length !== 32) {
      // Never echo the key material itself: the message names the id only.
      problems.push(
        `FLOWCARD_MASTER_KEYS key "${id}" must decode from base64 to 32 bytes, got ${key.length}`,
      );
    } else if (keys.some((existing) => existing.id === id)) {
      problems.push(`FLOWCARD_MASTER_KEYS names key "${id}" twice`);
    } else {
      keys.push({ id, key });
    }
  }
  return keys;
}

function databaseOf(uri: string | undefined): string | undefined {
  const match = uri ? /^mongodb(?:\+srv)?:\/\/[^/]+\/([^/?]+)/.exec(uri) : null;
  return match?.[1];
}

function isHttpUrl(value: string): boolean {
  try {
    return ['http:', 'https:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
}

const trimSlash = (url: string): string => url.replace(/\/+$/, '');
const list = (text: string | undefined): string[] =>
  text
    ? text
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean)
    : [];
