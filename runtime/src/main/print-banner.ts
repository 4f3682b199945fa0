import type { ResolvedConfig, RuntimeRole } from '../config/runtime-config';

/**
 * The few lines a person reads after `npm start`: where the Studio, the API and docs are, what stands in for
 * what, and how to get the first API key. Written to stderr so stdout stays pure JSON log lines.
 */
export function printBanner(options: {
  roles: readonly RuntimeRole[];
  http?: { url: string; studioUrl: string; docsUrl: string };
  config: ResolvedConfig;
  write?: (text: string) => void;
}): void {
  const write = options.write ?? ((text: string) => process.stderr.write(text));
  const { config, http } = options;
  const lines = ['', `Flowcard is running (${options.roles.join(' + ')})`];
  if (http) {
    lines.push(`  Studio: ${http.studioUrl}`, `  API:    ${http.url}`, `  Docs:   ${http.docsUrl}`);
  }
  const standIns = [
    config.embedded.mongodb && `MongoDB: embedded jongodb, saved to ${config.dataDir} (development only)`,
    config.embedded.redis === 'started' && `Redis: redis-server started on ${config.redisUrl}`,
    config.embedded.meta && `Meta: bundled emulator at ${config.meta.graphUrl}`,
    config.embedded.masterKey && `Master key: ${config.dataDir}/master-key (development only)`,
  ].filter(Boolean);
  if (standIns.length > 0) lines.push('  Embedded defaults:', ...standIns.map((line) => `    - ${line}`));
  if (config.embedded.mongodb)
    lines.push(
      `  Data: ${config.dataDir} (keep it; Ctrl+C saves, a hard kill loses the last few seconds)`,
      '  Move to MongoDB: set MONGODB_URI and FLOWCARD_MASTER_KEYS (runtime README, "Moving to MongoDB")',
    );
  if (http) {
    lines.push(
      '',
      `  Open ${http.studioUrl} in a browser: the first visit creates the workspace and its owner.`,
      '  For scripts, create the first admin and API key instead:',
      `    npx flowcard admin create --email you@example.com --workspace "Acme" --api ${http.url}`,
      '',
    );
  }
  write(`${lines.join('\n')}\n`);
}
