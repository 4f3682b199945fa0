/**
 * Every environment variable the runtime reads, with its default and meaning. The README's table is
 * checked against this list (runtime/src/config/config-variables.test.ts), so adding a variable means
 * adding one entry here and one row there.
 */
export interface ConfigVariable {
  readonly name: string;
  /** Shown in the README; `undefined` means "unset unless you set it" (often: an embedded default). */
  readonly default?: string;
  readonly description: string;
}

export const configVariables: readonly ConfigVariable[] = [
  {
    name: 'PORT',
    default: '3000',
    description: 'HTTP port of the API (FLOWCARD_PORT wins when both are set). 0 picks a free port.',
  },
  { name: 'FLOWCARD_PORT', description: 'Same as PORT, for hosts where PORT is taken by something else.' },
  { name: 'HOST', default: '0.0.0.0', description: 'Interface the API listens on.' },
  {
    name: 'MONGODB_URI',
    description:
      'MongoDB connection string. Unset: an embedded jongodb is started and saved to FLOWCARD_DATA_DIR (development only).',
  },
  {
    name: 'FLOWCARD_MONGODB_DATABASE',
    default: 'flowcard',
    description: 'Database name when MONGODB_URI names none.',
  },
  {
    name: 'REDIS_URL',
    description:
      'Redis connection URL. Unset: redis://127.0.0.1:6379, else a redis-server started on a free port.',
  },
  {
    name: 'FLOWCARD_REDIS_PREFIX',
    default: 'flowcard',
    description: 'Prefix of every Redis key and BullMQ queue, so deployments can share one Redis.',
  },
  {
    name: 'FLOWCARD_MASTER_KEYS',
    description:
      'Key-encryption keys as `id:base64key` pairs separated by commas (32-byte keys). Unset: a key generated once and kept in FLOWCARD_DATA_DIR/master-key (development only).',
  },
  {
    name: 'FLOWCARD_MASTER_KEY_ID',
    description: 'Id of the key that wraps new data keys; defaults to the last key in FLOWCARD_MASTER_KEYS.',
  },
  {
    name: 'META_APP_ID',
    description:
      "The deployment's Meta app id (shared default for workspaces). Unset with META_APP_SECRET: the bundled Meta emulator is started.",
  },
  {
    name: 'META_APP_SECRET',
    description: "The deployment's Meta app secret. Required together with META_APP_ID.",
  },
  {
    name: 'META_GRAPH_URL',
    default: 'https://graph.facebook.com',
    description: 'Graph API base URL (without version).',
  },
  {
    name: 'META_DIALOG_URL',
    default: 'https://www.facebook.com',
    description: 'Base URL of the Facebook OAuth dialog.',
  },
  { name: 'META_GRAPH_VERSION', default: 'v25.0', description: 'Graph API version used in every call.' },
  {
    name: 'META_WEBHOOK_VERIFY_TOKEN',
    description: 'Token Meta echoes in the webhook subscription handshake. Unset: a random one per start.',
  },
  {
    name: 'FLOWCARD_PUBLIC_URL',
    description:
      'Public base URL of the API (OAuth redirects, webhook callbacks). Unset: http://localhost:<port>.',
  },
  {
    name: 'FLOWCARD_CONNECTORS_DIR',
    description:
      'Extra folders of connector packages, separated by commas. The repository connectors/ folder is always loaded when present.',
  },
  {
    name: 'FLOWCARD_CONNECTOR_PACKAGES',
    description: 'Installed npm packages to load as connectors, separated by commas.',
  },
  {
    name: 'FLOWCARD_DATA_DIR',
    default: '.flowcard',
    description:
      "This deployment's data directory (published connector bundles; without MONGODB_URI the embedded database, without FLOWCARD_MASTER_KEYS the development master key), relative to the working folder. Never shared machine-wide.",
  },
  {
    name: 'FLOWCARD_EMBEDDED_SNAPSHOT_MS',
    default: '2000',
    description:
      'Without MONGODB_URI: how often (at most) the embedded database is saved to FLOWCARD_DATA_DIR when it changed; a hard kill loses at most the writes since. 0: only at shutdown.',
  },
  {
    name: 'FLOWCARD_HISTORY_MAX_AGE_DAYS',
    default: '14',
    description:
      'Run history retention: finished runs older than this many days are deleted. 0: no age limit.',
  },
  {
    name: 'FLOWCARD_HISTORY_MAX_RUNS',
    default: '10000 (1000 on the embedded store)',
    description:
      'Run history retention: only this many finished runs are kept, the newest; older ones are deleted. 0: no count limit.',
  },
  {
    name: 'FLOWCARD_HISTORY_PRUNE_INTERVAL_S',
    default: '60',
    description: 'How often the scheduler applies the history retention.',
  },
  {
    name: 'FLOWCARD_REMINDER_DAYS',
    default: '15',
    description: 'Days before a token or data-access expiry when the reminder is sent.',
  },
  {
    name: 'FLOWCARD_HOOK_BODY_LIMIT_BYTES',
    default: '1048576',
    description:
      'The largest body a `core/webhook` delivery may have; larger ones get 413 `FLOWCARD_ERR_HOOK_BODY_TOO_LARGE`.',
  },
  {
    name: 'FLOWCARD_RATE_LIMIT_APP_PER_MINUTE',
    default: '6000',
    description:
      "Calls per minute per Meta app that all workers together may make: a safety net under Meta's usage headers, which slow calls down first.",
  },
  {
    name: 'FLOWCARD_RATE_LIMIT_PAGE_PER_MINUTE',
    default: '1200',
    description: 'Calls per minute per Page (or business object) that all workers together may make.',
  },
  {
    name: 'FLOWCARD_JOB_LOCK_MS',
    default: '30000',
    description:
      'How long a worker holds a job without renewing its lock; the jobs of a worker that died are taken over by the others after this.',
  },
  {
    name: 'FLOWCARD_POLL_INTERVAL_MS',
    description:
      "Interval of every trigger poll (the missed-webhook safety net), overriding each card's own (e.g. 15 minutes for new leads). For tests and demos.",
  },
  {
    name: 'FLOWCARD_RECONCILE_INTERVAL_MS',
    default: '60000',
    description:
      'How often the scheduler reconciles: resumes unfinished runs whose live state Redis lost and re-asserts every job scheduler (also at once when Redis comes back).',
  },
  {
    name: 'FLOWCARD_NOTIFY_WEBHOOK_URL',
    description:
      'Notifications (token reminders, needs-reauth) are also POSTed as JSON to this URL. Unset: log and in-app list only.',
  },
  {
    name: 'FLOWCARD_SESSION_IDLE_HOURS',
    default: '12',
    description: 'A Studio sign-in ends after this many hours without a request (sliding).',
  },
  {
    name: 'FLOWCARD_SESSION_MAX_DAYS',
    default: '7',
    description: 'A Studio sign-in ends this many days after it started, however active it is.',
  },
  {
    name: 'FLOWCARD_SIGN_IN_ATTEMPTS_PER_ACCOUNT',
    default: '10',
    description: 'Sign-in attempts allowed per email address in 15 minutes (all API processes together).',
  },
  {
    name: 'FLOWCARD_SIGN_IN_ATTEMPTS_PER_IP',
    default: '30',
    description: 'Sign-in attempts allowed per client IP address in 15 minutes (all API processes together).',
  },
  {
    name: 'LOG_LEVEL',
    default: 'info',
    description: 'pino level: fatal, error, warn, info, debug, trace or silent.',
  },
  {
    name: 'FLOWCARD_BOOTSTRAP',
    default: 'localhost',
    description: 'Who may call POST /v1/admin/bootstrap while no user exists: `localhost` or `off`.',
  },
  {
    name: 'FLOWCARD_OPERATORS',
    description:
      "Emails of the deployment operators (comma-separated): who installs connectors for every workspace. Unset: the owners of the deployment's first workspace.",
  },
  {
    name: 'FLOWCARD_SANDBOX',
    default: 'external',
    description:
      'Which connector handlers run in the sandbox: `external` (every connector not shipped in this repository: published or npm) or `all` (the shipped ones too).',
  },
  {
    name: 'FLOWCARD_SANDBOX_CPU_MS',
    default: '5000',
    description:
      'CPU time one sandboxed handler call may use; over it the call fails (FLOWCARD_ERR_SANDBOX_CPU_LIMIT).',
  },
  {
    name: 'FLOWCARD_SANDBOX_WALL_MS',
    default: '30000',
    description:
      'Wall time one sandboxed handler call may take, HTTP waits included (FLOWCARD_ERR_SANDBOX_WALL_LIMIT).',
  },
  {
    name: 'FLOWCARD_SANDBOX_MEMORY_MB',
    default: '256',
    description:
      'Memory (resident set) of one sandbox process; over it the call fails (FLOWCARD_ERR_SANDBOX_MEMORY_LIMIT).',
  },
  {
    name: 'FLOWCARD_SANDBOX_PROCESSES',
    default: '4',
    description: 'Sandbox processes per runtime process at most; each runs one call at a time, others wait.',
  },
];
