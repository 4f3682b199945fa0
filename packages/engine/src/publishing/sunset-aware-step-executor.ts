import { executionCodes } from '../errors/codes/execution-codes';
import type { ExecuteCardRequest, ExecuteCardResult } from '../executor/execute-card.types';
import type { ConnectorRegistry } from '../registry/connector-registry';
import type { StepExecutor } from '../runs/step-job-handler';
import { connectorLifecycleOf, connectorSunsetError } from './connector-lifecycle';

/** No answer at all: the host is gone or does not listen any more. */
const UNREACHABLE_CODES: ReadonlySet<string> = new Set([
  executionCodes.FLOWCARD_ERR_HTTP_NETWORK.code,
  executionCodes.FLOWCARD_ERR_HTTP_TIMEOUT.code,
]);

/**
 * Whether a card's failure is what a shut-down service looks like: no answer, a 5xx, or the
 * endpoint answering 404/410. Recognised by name and code (docs/conventions.md #5); only a CardError's `status`
 * is the service's HTTP status (a FlowcardError's is the code's own).
 */
export function looksLikeServiceGone(error: unknown): boolean {
  const failure = error as { name?: unknown; code?: unknown; status?: unknown } | null;
  if (failure?.name !== 'CardError') return false;
  if (typeof failure.code === 'string' && UNREACHABLE_CODES.has(failure.code)) return true;
  const status = Number(failure.status);
  return status >= 500 || status === 404 || status === 410;
}

/**
 * The executor flow steps run through: a step of a connector major that is sunset and gone
 * (connectorLifecycleOf) whose call fails the way a shut-down service fails ends with the
 * lifecycle's message (FLOWCARD_ERR_CONNECTOR_SUNSET, never retried) instead of a network error
 * that would be retried five times and explain nothing. A call that succeeds is never blocked: a
 * sunset connector may still point at a compatible endpoint (Workplace's SCIM cards, an archive,
 * the emulator). Other failures (auth, permission, a 400) keep their own meaning, because they say
 * something the user can act on. The lifecycle is read at failure time, so one set through the API
 * counts from the next failure on.
 */
export class SunsetAwareStepExecutor implements StepExecutor {
  constructor(
    private readonly executor: StepExecutor,
    private readonly registry: ConnectorRegistry,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async execute(request: ExecuteCardRequest): Promise<ExecuteCardResult> {
    try {
      return await this.executor.execute(request);
    } catch (error) {
      if (!looksLikeServiceGone(error)) throw error;
      const { connector } = request.card;
      const status = connectorLifecycleOf(
        this.registry,
        connector.manifest.name,
        connector.major,
        this.now(),
      );
      if (status?.gone) throw connectorSunsetError(status, error);
      throw error;
    }
  }
}
