import { EmulatorClock } from './emulator-clock';
import type { EmulatorFixtures } from './emulator-fixtures';
import type { EmulatorState } from './emulator-state';
import { CallLog } from './faults/call-log';
import { FaultInjector } from './faults/fault-injector';
import { UsageMeter } from './faults/usage-meter';
import { seedState, type SeedOptions } from './seed-state';
import { TokenAuthority } from './token-authority';
import { WebhookDispatcher } from './webhooks/webhook-dispatcher';

/** What the next login dialog does instead of auto-consenting as the seed user. */
export interface DialogOutcome {
  /** Who logs in. Default: the seed user who manages two pages. */
  userId?: string;
  /** Permissions the user unticks (they show up as `declined`). */
  declinedPermissions?: string[];
  /** Pages the user selects (granular scopes' target_ids); default every page they manage. */
  pageIds?: string[];
  /** The user presses "Cancel": redirect with error=access_denied&error_reason=user_denied. */
  deny?: boolean;
  /** Keep this outcome for every following dialog instead of only the next one. */
  sticky?: boolean;
}

/**
 * The emulator's moving parts. State, tokens and fixtures are replaced wholesale by `reset()`;
 * the clock, faults, usage meter, call log and webhook dispatcher are long-lived and cleared.
 */
export class EmulatorCore {
  readonly clock = new EmulatorClock();
  readonly faults = new FaultInjector();
  readonly usage = new UsageMeter();
  readonly calls = new CallLog();
  readonly webhooks = new WebhookDispatcher();
  state!: EmulatorState;
  tokens!: TokenAuthority;
  fixtures!: EmulatorFixtures;
  nextDialog?: DialogOutcome;

  constructor(private readonly seedOptions: Omit<SeedOptions, 'now'>) {
    this.reset();
  }

  reset(): void {
    this.clock.reset();
    const { state, fixtures } = seedState({ ...this.seedOptions, now: this.clock.now() });
    this.state = state;
    this.fixtures = fixtures;
    this.tokens = new TokenAuthority(state, this.clock);
    this.faults.clear();
    this.usage.reset();
    this.calls.clear();
    this.webhooks.reset();
    this.nextDialog = undefined;
  }

  /** Consumes the dialog outcome chosen by the test (or none: auto-consent). */
  takeDialogOutcome(): DialogOutcome {
    const outcome = this.nextDialog ?? {};
    if (!outcome.sticky) this.nextDialog = undefined;
    return outcome;
  }
}
