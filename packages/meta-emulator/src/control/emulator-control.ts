import type { DialogOutcome, EmulatorCore } from '../emulator-core';
import type { LeadFieldData, WorkplaceMessage } from '../emulator-entities';
import type { CallLogEntry, CallLogFilter } from '../faults/call-log';
import type { RateLimitOptions, TransientFaultOptions } from '../faults/fault-injector';
import type { UsageBudgetOptions } from '../faults/usage-meter';
import { formatGraphTime } from '../graph-time';
import { createLead, type CreateLeadInput } from '../lead-factory';
import type { WebhookDelivery, WebhookDeliveryOptions } from '../webhooks/webhook-dispatcher';

/** Subcodes of error 190 that `invalidateToken` can simulate. */
export type TokenInvalidSubcode = 458 | 459 | 460 | 463 | 464 | 467;

export interface CreatedLead {
  id: string;
  formId: string;
  pageId: string;
  createdTime: string;
  fieldData: LeadFieldData[];
  adId?: string;
}

/**
 * What a test does to the emulator from the outside: move the clock, script the login dialog,
 * break tokens, inject faults, create leads (which fires webhooks), and read what happened.
 * Every method has an HTTP twin under `/__control` (see control-routes.ts and the README).
 */
export class EmulatorControl {
  constructor(private readonly core: EmulatorCore) {}

  // Clock
  now(): Date {
    return new Date(this.core.clock.now());
  }

  advanceClock(ms: number): void {
    this.core.clock.advance(ms);
  }

  setNow(time: Date | number | string): void {
    this.core.clock.set(typeof time === 'string' ? new Date(time) : time);
  }

  // OAuth dialog
  /** The next login dialog logs in as this user, declines these permissions, selects these pages, or denies. */
  setNextDialogOutcome(outcome: DialogOutcome): void {
    if (outcome.userId !== undefined && !this.core.state.users.has(outcome.userId))
      throw new RangeError(`unknown user ${outcome.userId}`);
    this.core.nextDialog = { ...outcome };
  }

  clearDialogOutcome(): void {
    this.core.nextDialog = undefined;
  }

  // Tokens and permissions
  /** Mints a user token for a user who has a grant (seed users do), skipping the dialog. */
  issueUserToken(options: { userId?: string; longLived?: boolean } = {}): string {
    return this.core.tokens.issueUserToken(
      options.userId ?? this.core.fixtures.user.id,
      options.longLived ?? true,
    ).token;
  }

  /** The token now fails with 190/463. Works for tokens that never expire (page, Workplace) too. */
  expireToken(token: string): void {
    const record = this.requireToken(token);
    if (record.expiresAt === 0) record.invalidSubcode = 463;
    else record.expiresAt = Math.min(record.expiresAt, this.core.clock.now() - 1000);
  }

  /** The token now fails with 190 and this subcode (458 app removed, 459 checkpoint, 460 password, 464 unconfirmed, 467 logged out). */
  invalidateToken(token: string, subcode: TokenInvalidSubcode): void {
    this.requireToken(token).invalidSubcode = subcode;
  }

  /** Every token of the user, and the page tokens derived from them, now fail with 190/460. */
  changePassword(userId: string): void {
    const user = this.core.state.users.get(userId);
    if (!user) throw new RangeError(`unknown user ${userId}`);
    user.sessionVersion++;
  }

  /**
   * The user (or the Workplace integration, by its id) loses a permission: calls that need it
   * fail with code 200; it shows as declined in /me/permissions.
   */
  removePermission(userId: string, permission: string): void {
    if (userId === this.core.state.community.integrationId) {
      this.core.state.community.permissions.delete(permission);
      return;
    }
    const grant = this.core.state.grants.get(userId);
    if (!grant) throw new RangeError(`user ${userId} has no grant`);
    grant.granted.delete(permission);
    grant.declined.add(permission);
  }

  grantPermission(userId: string, permission: string): void {
    if (userId === this.core.state.community.integrationId) {
      this.core.state.community.permissions.add(permission);
      return;
    }
    const grant = this.core.state.grants.get(userId);
    if (!grant) throw new RangeError(`user ${userId} has no grant`);
    grant.granted.add(permission);
    grant.declined.delete(permission);
  }

  /** The user loses their role on the page: the page disappears from /me/accounts and its page tokens fail (190). */
  removePageRole(userId: string, pageId: string): void {
    const user = this.core.state.users.get(userId);
    if (!user) throw new RangeError(`unknown user ${userId}`);
    user.pageTasks.delete(pageId);
  }

  /**
   * The app's webhook subscription on a page disappears, as when a Page admin removes the app in
   * Business settings: leads stop being delivered until `POST /{page-id}/subscribed_apps` again.
   */
  removePageSubscription(pageId: string): void {
    const node = this.core.state.nodes.get(pageId);
    if (!node || node.kind !== 'page') throw new RangeError(`unknown page ${pageId}`);
    node.page.subscribedApps.delete(this.core.state.app.id);
  }

  /** The app's subscribed fields on a page (empty when it is not subscribed). */
  pageSubscription(pageId: string): string[] {
    const node = this.core.state.nodes.get(pageId);
    if (!node || node.kind !== 'page') throw new RangeError(`unknown page ${pageId}`);
    return [...(node.page.subscribedApps.get(this.core.state.app.id) ?? [])];
  }

  requireAppsecretProof(required: boolean): void {
    this.core.state.app.requireAppsecretProof = required;
  }

  // Faults
  rateLimit(options: RateLimitOptions): void {
    this.core.faults.rateLimit(options, this.core.clock.now());
  }

  /** Transient 500s (code 1 or 2, is_transient) for the next `count` calls or a `percent` of calls. */
  injectTransientErrors(options: TransientFaultOptions): void {
    this.core.faults.transient(options);
  }

  /** Added delay, in real milliseconds, before every Graph and SCIM response. */
  setLatency(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError('latency must be a non-negative number of ms');
    this.core.faults.latencyMs = ms;
  }

  setUsageBudget(options: UsageBudgetOptions): void {
    this.core.usage.configure(options);
  }

  /** Removes rate limits, transient faults and latency. */
  clearFaults(): void {
    this.core.faults.clear();
  }

  // Call log
  calls(filter?: CallLogFilter): CallLogEntry[] {
    return this.core.calls.list(filter);
  }

  clearCalls(): void {
    this.core.calls.clear();
  }

  // Lead Ads and webhooks
  /** Creates a lead and (asynchronously) delivers the leadgen webhook; `flushWebhooks()` waits for it. */
  createLead(input: CreateLeadInput): CreatedLead {
    const lead = createLead(this.core, input);
    return {
      id: lead.id,
      formId: lead.formId,
      pageId: lead.pageId,
      createdTime: formatGraphTime(lead.createdAt),
      fieldData: lead.fieldData,
      ...(lead.adId ? { adId: lead.adId } : {}),
    };
  }

  setWebhookDelivery(options: WebhookDeliveryOptions): void {
    const drop = options.dropPercent;
    if (drop !== undefined && (drop < 0 || drop > 100))
      throw new RangeError('dropPercent must be between 0 and 100');
    this.core.webhooks.configure(options);
  }

  webhookDeliveries(): WebhookDelivery[] {
    return this.core.webhooks.deliveries();
  }

  flushWebhooks(): Promise<void> {
    return this.core.webhooks.flush();
  }

  // Workplace
  /** Issues a new custom-integration token; the old one fails with 190 from now on. */
  rotateWorkplaceToken(): string {
    const community = this.core.state.community;
    const old = this.core.state.tokens.get(community.integrationToken);
    this.core.state.tokens.delete(community.integrationToken);
    this.core.state.retiredTokens.add(community.integrationToken);
    community.integrationToken = this.core.state.newToken('DQWR');
    if (old)
      this.core.state.tokens.set(community.integrationToken, {
        ...old,
        token: community.integrationToken,
        issuedAt: this.core.clock.now(),
      });
    return community.integrationToken;
  }

  workplaceToken(): string {
    return this.core.state.community.integrationToken;
  }

  workplaceMessages(): WorkplaceMessage[] {
    return this.core.state.messages.map((m) => ({ ...m, recipientIds: [...m.recipientIds] }));
  }

  // SCIM
  /** The SCIM user claims their account: DELETE now answers 412. */
  claimScimUser(id: string): void {
    const user = this.core.state.scimUsers.get(id);
    if (!user) throw new RangeError(`unknown SCIM user ${id}`);
    user.claimed = true;
  }

  private requireToken(token: string): NonNullable<ReturnType<EmulatorCore['tokens']['inspect']>['record']> {
    const record = this.core.state.tokens.get(token);
    if (!record) throw new RangeError('unknown token (app tokens cannot be expired)');
    return record;
  }
}
