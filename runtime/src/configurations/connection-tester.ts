import type { CardExecutor } from '@flowcard/engine';
import type { FlowSignal } from '@flowcard/sdk';
import type { ConfigurationKind } from './configuration-kind';

/** The outcome of a connection test; `error` carries the executor's classified, redacted failure. */
export type ConnectionTestResult =
  | { readonly ok: true; readonly card: string | null }
  | {
      readonly ok: false;
      readonly card: string;
      readonly error: {
        readonly code: string;
        readonly signal: FlowSignal | 'invalid';
        readonly message: string;
      };
    };

/**
 * Runs the kind's test card (no input) with the given credentials through the card executor, so a
 * test talks to the service exactly as a flow step would. A kind without a test card passes.
 */
export async function runConnectionTest(
  executor: CardExecutor,
  kind: ConfigurationKind,
  configuration: {
    id?: string;
    values: Readonly<Record<string, unknown>>;
    secrets: Readonly<Record<string, string>>;
  },
): Promise<ConnectionTestResult> {
  const card = kind.testCard;
  if (!card) return { ok: true, card: null };
  try {
    await executor.execute({ card, configuration, input: {} });
    return { ok: true, card: card.ref };
  } catch (error) {
    // Recognised by name and code (STYLE.md #5); the executor already scrubbed the call's secrets.
    const failure = error as { name?: string; code?: unknown; signal?: FlowSignal; message?: string };
    if (failure?.name !== 'CardError' && failure?.name !== 'FlowcardError') throw error;
    return {
      ok: false,
      card: card.ref,
      error: {
        code: typeof failure.code === 'string' ? failure.code : 'FLOWCARD_ERR_CARD_FAILED',
        signal: failure.signal ?? 'invalid',
        message: scrub(failure.message ?? 'the test card failed', Object.values(configuration.secrets)),
      },
    };
  }
}

/** Belt and braces: no secret of the configuration may appear in what the API answers. */
function scrub(message: string, secrets: readonly string[]): string {
  return secrets
    .filter((secret) => secret.length >= 4)
    .reduce((text, secret) => text.split(secret).join('[redacted]'), message);
}
