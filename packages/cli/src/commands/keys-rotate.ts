import { SingleBar, Presets } from 'cli-progress';
import type { Command } from 'commander';
import { EnvKeyProvider, KeyRotationService, SecretSealer, type KeyRotationSummary } from '@flowcard/engine';
import { openMongoStore } from '@flowcard/store';

export interface KeysRotateOptions {
  readonly to?: string;
  readonly batchSize?: number;
  /** Defaults to process.env (tests pass their own). */
  readonly env?: NodeJS.ProcessEnv;
  /** Where the summary goes; default stdout. */
  readonly write?: (text: string) => void;
  /** Show a progress bar (off when output is not a terminal, e.g. in tests and CI logs). */
  readonly progressBar?: boolean;
}

/**
 * `flowcard keys rotate [--to <keyId>]`: re-wraps every sealed data key under the target key
 * (default FLOWCARD_MASTER_KEY_ID). Resumable: rerun after an interruption and it continues with
 * what is left. Keep the old key in FLOWCARD_MASTER_KEYS until a run reports nothing failed.
 */
export function register(program: Command): void {
  const keys =
    program.commands.find((command) => command.name() === 'keys') ??
    program.command('keys').description('Manage encryption keys');
  keys
    .command('rotate')
    .description('Re-wrap every stored data key under the current (or given) master key; resumable')
    .option('--to <keyId>', 'target key id (default: FLOWCARD_MASTER_KEY_ID)')
    .option('--batch-size <n>', 'records per batch', (value) => Number.parseInt(value, 10), 100)
    .action(async (options: { to?: string; batchSize: number }) => {
      const summary = await runKeysRotate({
        to: options.to,
        batchSize: options.batchSize,
        progressBar: process.stdout.isTTY,
      });
      if (summary.failed.length > 0) process.exitCode = 1;
    });
}

/** The command's work, callable in-process. */
export async function runKeysRotate(options: KeysRotateOptions = {}): Promise<KeyRotationSummary> {
  const env = options.env ?? process.env;
  const write = options.write ?? ((text: string) => process.stdout.write(text));
  const uri = env.MONGODB_URI;
  if (!uri) {
    throw new Error(
      'flowcard keys rotate needs MONGODB_URI: point it at the database whose secrets should be re-wrapped',
    );
  }
  const keyProvider = EnvKeyProvider.fromEnv(env);
  const { store, close } = await openMongoStore({ uri });
  const bar = options.progressBar
    ? new SingleBar({ format: 'Re-wrapping [{bar}] {value}/{total}' }, Presets.shades_classic)
    : undefined;
  try {
    const rotation = new KeyRotationService(
      store.sealedSecretHolders,
      new SecretSealer(keyProvider),
      keyProvider,
    );
    let started = false;
    const summary = await rotation.rotate({
      toKeyId: options.to,
      batchSize: options.batchSize,
      onProgress: (done, total) => {
        if (!bar) return;
        if (!started) bar.start(total, done);
        started = true;
        bar.setTotal(total);
        bar.update(done);
      },
    });
    bar?.stop();
    write(formatSummary(summary));
    return summary;
  } finally {
    bar?.stop();
    await close();
  }
}

function formatSummary(summary: KeyRotationSummary): string {
  const lines = [
    `Key rotation to "${summary.toKeyId}": ${summary.rewrapped} re-wrapped, ${summary.skipped} changed by someone meanwhile (rerun to cover them), ${summary.failed.length} failed, of ${summary.total}.`,
    ...summary.failed.map((failure) => `  failed: ${failure.kind} ${failure.id}: ${failure.reason}`),
    summary.failed.length === 0
      ? 'Every sealed secret is under the target key; keys no longer in use may be removed from FLOWCARD_MASTER_KEYS.'
      : 'Some records could not be re-wrapped: keep their keys configured, fix the cause and run the command again.',
  ];
  return `${lines.join('\n')}\n`;
}
