import type { Command } from 'commander';
import { RuntimeApiClient, type RuntimeApiFlags } from '../runtime-api-client';

interface SweepAnswer {
  tokens: { scanned: number; changed: number; reminders: number; conflicts: number };
  subscriptions: { checked: number; resubscribed: number; failing: number };
}

/**
 * `flowcard lifecycle sweep --api <url> --key <admin api key>`: runs the token lifecycle sweep of a
 * running runtime now (POST /v1/lifecycle/sweep) instead of waiting for the scheduler's next one:
 * statuses (`expiring`, `expired`) and reminders, and the check that Meta still sends each listened
 * Page's webhooks. Safe beside the scheduler: a reminder is sent once.
 * --api and --key default to FLOWCARD_API_URL and FLOWCARD_API_KEY.
 */
export function register(program: Command): void {
  const lifecycle =
    program.commands.find((command) => command.name() === 'lifecycle') ??
    program.command('lifecycle').description('Token lifecycle of saved configurations');
  lifecycle
    .command('sweep')
    .description('Run the token lifecycle sweep now: expiry statuses and reminders (admin key)')
    .option('--api <url>', 'runtime API base URL (default: FLOWCARD_API_URL)')
    .option('--key <api key>', 'an admin API key (default: FLOWCARD_API_KEY)')
    .action(async (options: RuntimeApiFlags) => {
      process.exitCode = await sweep(options);
    });
}

async function sweep(options: RuntimeApiFlags): Promise<number> {
  const runtime = RuntimeApiClient.fromFlags(options);
  if (!runtime) return 1;
  const answer = await runtime.post<SweepAnswer>('/v1/lifecycle/sweep', {}, 'the sweep did not run');
  if (!answer) return 1;
  const { scanned, changed, reminders, conflicts } = answer.tokens;
  const { checked, resubscribed, failing } = answer.subscriptions;
  process.stdout.write(
    `✓ lifecycle sweep: ${scanned} configurations near or past expiry, ${changed} changed, ${reminders} reminders sent${conflicts > 0 ? `, ${conflicts} changed meanwhile (the next sweep looks again)` : ''}\n` +
      `✓ webhook subscriptions: ${checked} checked, ${resubscribed} subscribed again, ${failing} failing\n`,
  );
  return 0;
}
