import type { Level } from 'pino';
import type { SandboxConfig } from './sandbox-config';

/** Roles a runtime process can play; `flowcard start` plays all three. */
export type RuntimeRole = 'api' | 'worker' | 'scheduler';

export const runtimeRoles: readonly RuntimeRole[] = ['api', 'worker', 'scheduler'];

export type LogLevel = Level | 'silent';

/** One key-encryption key: id + 32 raw bytes. */
export interface MasterKey {
  readonly id: string;
  readonly key: Buffer;
}

export interface MetaAppConfig {
  readonly appId: string;
  readonly appSecret: string;
  /** Graph base URL without the version segment. */
  readonly graphUrl: string;
  readonly dialogUrl: string;
  readonly graphVersion: string;
  /** `environment` when the deployment configured a real app; `emulator` when the bundled emulator stands in. */
  readonly source: 'environment' | 'emulator';
  /** SCIM base URL, only known when the emulator stands in (Workplace SCIM cards take it as a configuration value). */
  readonly scimUrl?: string;
}

/**
 * The configuration as read from the environment. Fields an embedded default can fill are optional
 * here; `ResolvedConfig` is what the rest of the runtime sees once those defaults have started.
 */
export interface RuntimeConfig {
  readonly port: number;
  readonly host: string;
  readonly mongodbUri?: string;
  readonly mongodbDatabase: string;
  readonly redisUrl?: string;
  readonly redisPrefix: string;
  readonly masterKeys?: readonly MasterKey[];
  readonly masterKeyId?: string;
  readonly meta?: { readonly appId: string; readonly appSecret: string };
  readonly metaGraphUrl: string;
  readonly metaDialogUrl: string;
  readonly metaGraphVersion: string;
  readonly metaWebhookVerifyToken?: string;
  readonly publicUrl?: string;
  readonly connectorDirectories: readonly string[];
  readonly connectorPackages: readonly string[];
  /** Absolute path of this deployment's data directory (FLOWCARD_DATA_DIR). */
  readonly dataDir: string;
  readonly reminderDays: number;
  /** FLOWCARD_HOOK_BODY_LIMIT_BYTES: the largest body a core/webhook delivery may have (default 1 MB). */
  readonly hookBodyLimitBytes?: number;
  /** Without MONGODB_URI: shortest time between two saves of the embedded database (0: shutdown only). */
  readonly embeddedSnapshotMs?: number;
  /** Run history retention (maxRuns unset: 10,000, or 1,000 on the embedded store). */
  readonly history?: HistoryRetentionConfig;
  /** Static Meta call budgets shared by all workers (the adaptive limit comes from usage headers). */
  readonly rateLimits: RateLimitsConfig;
  readonly sessions: SessionsConfig;
  /** Crash and Redis-loss recovery timings. */
  readonly recovery: RecoveryConfig;
  /** Where notifications are also POSTed (FLOWCARD_NOTIFY_WEBHOOK_URL); unset: no webhook channel. */
  readonly notifyWebhookUrl?: string;
  readonly logLevel: LogLevel;
  readonly bootstrap: 'localhost' | 'off';
  readonly sandbox: SandboxConfig;
  /** FLOWCARD_OPERATORS, lower-cased; empty: the owners of the first workspace operate the deployment. */
  readonly operators: readonly string[];
}

/** The configuration after embedded defaults: every service has an address, every secret a value. */
export interface ResolvedConfig {
  readonly port: number;
  readonly host: string;
  readonly mongodbUri: string;
  readonly mongodbDatabase: string;
  readonly redisUrl: string;
  readonly redisPrefix: string;
  readonly masterKeys: readonly MasterKey[];
  readonly masterKeyId: string;
  readonly meta: MetaAppConfig;
  readonly metaWebhookVerifyToken: string;
  /** FLOWCARD_PUBLIC_URL, else http://localhost:<port> (PORT=0 is turned into a free port first). */
  readonly publicUrl: string;
  readonly connectorDirectories: readonly string[];
  readonly connectorPackages: readonly string[];
  /** Absolute path of this deployment's data directory (FLOWCARD_DATA_DIR). */
  readonly dataDir: string;
  readonly reminderDays: number;
  /** FLOWCARD_HOOK_BODY_LIMIT_BYTES: the largest body a core/webhook delivery may have (default 1 MB). */
  readonly hookBodyLimitBytes?: number;
  readonly rateLimits: RateLimitsConfig;
  readonly sessions: SessionsConfig;
  readonly recovery: RecoveryConfig;
  readonly notifyWebhookUrl?: string;
  readonly logLevel: LogLevel;
  readonly bootstrap: 'localhost' | 'off';
  readonly sandbox: SandboxConfig;
  readonly operators: readonly string[];
  /** Run history retention, defaults applied (0 = no limit). */
  readonly history?: Required<HistoryRetentionConfig>;
  /** What the embedded defaults stood in for, so the banner and /health can say so. */
  readonly embedded: {
    readonly mongodb: boolean;
    readonly redis: 'external' | 'local-default' | 'started';
    readonly meta: boolean;
    readonly masterKey: boolean;
  };
}

export interface RecoveryConfig {
  /** FLOWCARD_JOB_LOCK_MS: a dead worker's jobs are taken over after this. */
  readonly jobLockMs: number;
  /** FLOWCARD_POLL_INTERVAL_MS: every trigger poll's interval; unset, each card's own. */
  readonly pollIntervalMs?: number;
  /** FLOWCARD_RECONCILE_INTERVAL_MS: period of the run reconciler and the scheduler re-assertion. */
  readonly reconcileIntervalMs: number;
}

export interface RateLimitsConfig {
  readonly appPerMinute: number;
  readonly pagePerMinute: number;
}

/** Studio sign-in: session lifetimes and sign-in attempt limits (per 15 minutes). */
export interface SessionsConfig {
  readonly idleHours: number;
  readonly maxDays: number;
  readonly attemptsPerAccount: number;
  readonly attemptsPerIp: number;
}

export interface HistoryRetentionConfig {
  /** Finished runs older than this are deleted; 0: no age limit. */
  readonly maxAgeDays: number;
  /** Only this many finished runs are kept; 0: no count limit. */
  readonly maxRuns?: number;
  readonly pruneIntervalMs: number;
}
