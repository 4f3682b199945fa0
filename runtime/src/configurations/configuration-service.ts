import {
  FlowcardError,
  storeCodes,
  type AuditEvent,
  type AuditRepository,
  type CardExecutor,
  type Clock,
  type Configuration,
  type ConfigurationPatch,
  type ConfigurationRepository,
  type ConfigurationSharing,
  type ConnectorRegistry,
  type SecretSealer,
  type UserRepository,
} from '@flowcard/engine';
import type { MetaGrantRevoker } from '../connect-meta/meta-grant-revoker';
import type { ConnectionRemovals, RemovalImpact } from '../connections/connection-removals';
import type { SubscriptionCheck } from '../lifecycle/subscription-health';
import { roleAtLeast, type Principal, type WorkspaceRole } from '../http/auth/principal';
import { apiError } from '../http/errors/api-error';
import { mayManageConfiguration, maySeeConfiguration } from './configuration-access';
import {
  findConfigurationKind,
  isMetaOAuthKind,
  requiredRoleOf,
  type ConfigurationKind,
} from './configuration-kind';
import type { ConfigurationRenewals } from './configuration-renewals';
import type { ConfigurationResolver } from './configuration-resolver';
import { validateConfigurationValues } from './configuration-values';
import { configurationView, type ConfigurationView } from './configuration-view';
import { runConnectionTest, type ConnectionTestResult } from './connection-tester';
import type { MetaAppSecretSupplier } from './meta-app-secret-supplier';

export interface CreateConfigurationRequest {
  readonly connector: string;
  readonly kind?: string;
  readonly nickname: string;
  /** Plain and secret fields together, as the kind's schema names them. */
  readonly values: Readonly<Record<string, unknown>>;
  readonly sharing?: ConfigurationSharing;
}

export interface UpdateConfigurationRequest {
  readonly nickname?: string;
  /** Fields to change; a secret field here rotates it; `null` clears an optional field. */
  readonly values?: Readonly<Record<string, unknown>>;
  /** When given, the update is refused (409) if someone changed the configuration since. */
  readonly expectedVersion?: number;
}

export interface ListConfigurationsRequest {
  readonly connector?: string;
  /** `usable` (default): mine + shared with me + shared with the workspace. `workspace`: all (admins). */
  readonly scope?: 'usable' | 'workspace';
}

/** An audit event as the API answers it (details never hold a value, only field names). */
export interface AuditEventView {
  readonly id: string;
  readonly action: string;
  readonly actorId: string;
  readonly at: string;
  readonly details: Readonly<Record<string, unknown>>;
}

export interface ConfigurationServiceDependencies {
  readonly configurations: ConfigurationRepository;
  readonly users: UserRepository;
  readonly audit: AuditRepository;
  readonly sealer: SecretSealer;
  readonly registry: ConnectorRegistry;
  readonly executor: CardExecutor;
  readonly resolver: ConfigurationResolver;
  readonly revoker: MetaGrantRevoker;
  readonly clock: Clock;
  /** Told when a secret was rotated, so flows parked on the configuration resume. */
  readonly renewals?: ConfigurationRenewals;
  /** The connection test uses what a flow step would: stored secrets plus the Meta app secret. */
  readonly metaAppSecrets?: MetaAppSecretSupplier;
  /** Impact, consent, and pausing flows around a removal. */
  readonly removals?: ConnectionRemovals;
  /** The last webhook subscription check of each configuration, shown as `subscription`. */
  readonly subscriptions?: { healthOf(ids: readonly string[]): Promise<Map<string, SubscriptionCheck>> };
}

/**
 * The configurations API's rules (docs/architecture.md §4), independent of HTTP: role checks, schema
 * validation, the connection test, sealing, sharing and transfer rules, audit entries, and cache
 * invalidation after every change. Nothing here returns or logs a secret value.
 */
export class ConfigurationService {
  constructor(private readonly deps: ConfigurationServiceDependencies) {}

  async create(
    principal: Principal,
    request: CreateConfigurationRequest,
    options: { test: boolean },
  ): Promise<ConfigurationView> {
    // Only connectors this workspace sees: another workspace's answers like an unknown connector.
    const visible = this.deps.registry.forWorkspace(principal.workspace.id);
    const kind = findConfigurationKind(visible, request.connector, request.kind);
    if (!options.test && !roleAtLeast(principal.role, 'admin'))
      throw apiError('FLOWCARD_ERR_CONFIGURATION_TEST_SKIP_FORBIDDEN');
    const required = requiredRoleOf(kind);
    // A Page token pasted by hand is a Meta connection by another door: same role as Connect Meta.
    if (isMetaOAuthKind(kind.spec) && !roleAtLeast(principal.role, required))
      throw apiError('FLOWCARD_ERR_META_ROLE_FORBIDDEN');
    if (!roleAtLeast(principal.role, required)) {
      throw apiError('FLOWCARD_ERR_CONFIGURATION_ROLE_FORBIDDEN', {
        required,
        title: kind.connector.manifest.title,
      });
    }
    const nickname = await this.freeNickname(
      principal.workspace.id,
      principal.user.id,
      kind,
      request.nickname,
    );
    const split = validateConfigurationValues(kind, request.values);
    const sharing = request.sharing ? await this.checkedSharing(principal, request.sharing) : undefined;
    if (options.test) await this.requirePassingTest(kind, { values: split.values, secrets: split.secrets });
    const now = this.deps.clock.now();
    const configuration = await this.deps.configurations.create({
      workspaceId: principal.workspace.id,
      connector: kind.connector.manifest.name,
      kind: kind.key,
      nickname,
      ownerId: principal.user.id,
      ...(sharing ? { sharing } : {}),
      values: split.values,
      secrets: Object.keys(split.secrets).length > 0 ? this.deps.sealer.seal(split.secrets) : null,
      status: 'active',
      consentAt: now,
      authorizedBy: principal.user.id,
    });
    await this.record(principal.user.id, configuration, 'configuration.created', {
      nickname: configuration.nickname,
      connector: configuration.connector,
      kind: configuration.kind,
      secretFields: Object.keys(split.secrets),
      tested: options.test,
    });
    return this.view(configuration);
  }

  async list(principal: Principal, request: ListConfigurationsRequest): Promise<ConfigurationView[]> {
    const { configurations } = this.deps;
    let found: Configuration[];
    if (request.scope === 'workspace') {
      if (!roleAtLeast(principal.role, 'admin'))
        throw apiError('FLOWCARD_ERR_ROLE_FORBIDDEN', { role: principal.role, required: 'admin' });
      found = await configurations.listByWorkspace({
        workspaceId: principal.workspace.id,
        connector: request.connector,
      });
    } else {
      found = await configurations.listUsableBy({
        workspaceId: principal.workspace.id,
        userId: principal.user.id,
        connector: request.connector,
      });
    }
    return this.withSubscriptions(found.map((configuration) => this.view(configuration)));
  }

  async get(principal: Principal, id: string): Promise<ConfigurationView> {
    const [view] = await this.withSubscriptions([this.view(await this.visible(principal, id))]);
    return view!;
  }

  /** The stored configuration, for the lifecycle's audit and notifications (no access check). */
  async stored(id: string): Promise<Configuration | null> {
    return this.deps.configurations.findById(id);
  }

  /** Adds the last webhook subscription check (null: not checked, or no flow listens through it). */
  private async withSubscriptions(views: ConfigurationView[]): Promise<ConfigurationView[]> {
    const health = this.deps.subscriptions
      ? await this.deps.subscriptions.healthOf(views.map((view) => view.id))
      : new Map<string, SubscriptionCheck>();
    return views.map((view) => ({ ...view, subscription: health.get(view.id) ?? null }));
  }

  async update(
    principal: Principal,
    id: string,
    request: UpdateConfigurationRequest,
    options: { test: boolean },
  ): Promise<ConfigurationView> {
    const current = await this.manageable(principal, id, 'update');
    if (request.expectedVersion !== undefined && request.expectedVersion !== current.version) {
      throw versionConflict(id, request.expectedVersion);
    }
    const patch: { -readonly [K in keyof ConfigurationPatch]: ConfigurationPatch[K] } = {};
    const events: Array<[string, Record<string, unknown>]> = [];
    const nickname = request.nickname === undefined ? undefined : normalizeNickname(request.nickname);
    if (nickname !== undefined && nickname !== current.nickname) {
      const kind = findConfigurationKind(this.deps.registry, current.connector, current.kind);
      patch.nickname = await this.freeNickname(current.workspaceId, current.ownerId, kind, nickname, id);
      events.push(['configuration.renamed', { from: current.nickname, to: patch.nickname }]);
    }
    if (request.values && Object.keys(request.values).length > 0) {
      const kind = findConfigurationKind(this.deps.registry, current.connector, current.kind);
      const openSecrets = current.secrets ? this.deps.sealer.open(current.secrets) : {};
      const merged: Record<string, unknown> = { ...current.values, ...openSecrets };
      for (const [field, value] of Object.entries(request.values)) {
        if (value === null) delete merged[field];
        else merged[field] = value;
      }
      if (!options.test && !roleAtLeast(principal.role, 'admin'))
        throw apiError('FLOWCARD_ERR_CONFIGURATION_TEST_SKIP_FORBIDDEN');
      const split = validateConfigurationValues(kind, merged);
      if (options.test)
        await this.requirePassingTest(kind, { id, values: split.values, secrets: split.secrets });
      const rotated = Object.keys(request.values).filter((field) => kind.secretFields.includes(field));
      const changed = Object.keys(request.values).filter((field) => !kind.secretFields.includes(field));
      patch.values = split.values;
      if (rotated.length > 0) {
        patch.secrets = Object.keys(split.secrets).length > 0 ? this.deps.sealer.seal(split.secrets) : null;
        // A fresh token brings a dead configuration back: flows parked on it may resume.
        if (['needs_reauth', 'expired'].includes(current.status)) patch.status = 'active';
        events.push(['configuration.rotated', { secretFields: rotated, tested: options.test }]);
      }
      if (changed.length > 0)
        events.push(['configuration.values_changed', { fields: changed, tested: options.test }]);
    }
    if (Object.keys(patch).length === 0) return this.view(current);
    const updated = await this.deps.configurations.update(id, current.version, patch);
    await this.deps.resolver.invalidate(id);
    for (const [action, details] of events) await this.record(principal.user.id, updated, action, details);
    if (patch.secrets !== undefined) await this.deps.renewals?.renewed(id);
    return this.view(updated);
  }

  async setSharing(
    principal: Principal,
    id: string,
    sharing: ConfigurationSharing,
  ): Promise<ConfigurationView> {
    const current = await this.manageable(principal, id, 'share');
    const next = await this.checkedSharing(principal, sharing);
    const updated = await this.deps.configurations.update(id, current.version, { sharing: next });
    await this.deps.resolver.invalidate(id);
    await this.record(
      principal.user.id,
      updated,
      next.mode === 'private' ? 'configuration.unshared' : 'configuration.shared',
      {
        from: current.sharing.mode,
        mode: next.mode,
        userIds: [...next.userIds],
      },
    );
    return this.view(updated);
  }

  async transfer(principal: Principal, id: string, newOwnerId: string): Promise<ConfigurationView> {
    const current = await this.manageable(principal, id, 'transfer');
    const role = await this.memberRole(principal.workspace.id, newOwnerId);
    const kind = findConfigurationKind(this.deps.registry, current.connector, current.kind);
    const required = requiredRoleOf(kind);
    // The new owner could not have created it: they may not own it either.
    if (!roleAtLeast(role, required))
      throw apiError('FLOWCARD_ERR_CONFIGURATION_TRANSFER_ROLE_FORBIDDEN', {
        required,
        role,
        title: kind.spec.title,
      });
    const updated = await this.deps.configurations.update(id, current.version, { ownerId: newOwnerId });
    await this.deps.resolver.invalidate(id);
    await this.record(principal.user.id, updated, 'configuration.transferred', {
      from: current.ownerId,
      to: newOwnerId,
    });
    return this.view(updated);
  }

  async test(principal: Principal, id: string): Promise<ConnectionTestResult> {
    const current = await this.visible(principal, id);
    const kind = findConfigurationKind(this.deps.registry, current.connector, current.kind);
    const stored = current.secrets ? this.deps.sealer.open(current.secrets) : {};
    const secrets = this.deps.metaAppSecrets
      ? await this.deps.metaAppSecrets.supply(current, stored)
      : stored;
    const result = await runConnectionTest(this.deps.executor, kind, { id, values: current.values, secrets });
    await this.record(
      principal.user.id,
      current,
      'configuration.tested',
      result.ok ? { ok: true } : { ok: false, code: result.error.code, signal: result.error.signal },
    );
    return result;
  }

  /** What deleting it would take away (configurations and flows), for a confirmation. */
  async deletionImpact(principal: Principal, id: string): Promise<RemovalImpact> {
    const current = await this.manageable(principal, id, 'delete');
    if (!this.deps.removals) return { configurations: [], flows: [], confirmationRequired: false };
    return this.deps.removals.impact(principal, [current]);
  }

  /**
   * Deletes it. When flows use it or it is someone else's, `confirm` must be true (409 with the
   * impact otherwise); afterwards its flows are paused and everyone concerned is told.
   */
  async delete(principal: Principal, id: string, options: { confirm?: boolean } = {}): Promise<void> {
    const current = await this.manageable(principal, id, 'delete');
    const flows = this.deps.removals
      ? await this.deps.removals.requireConsent(principal, [current], options.confirm === true)
      : [];
    // Revoke at Meta first: if Meta cannot be reached the configuration stays, so the user can retry.
    const revoked = await this.deps.revoker.revokeIfLastOfGrant(current);
    if (!(await this.deps.configurations.delete(id))) throw notFound(id);
    await this.deps.resolver.invalidate(id);
    await this.record(principal.user.id, current, 'configuration.deleted', {
      nickname: current.nickname,
      revokedAtMeta: revoked,
    });
    await this.deps.removals?.removed(principal, [current], flows, 'deleted');
  }

  /**
   * Who did what and when. The trail outlives the configuration: once it is deleted, workspace
   * admins and whoever created it still read it (it says who removed it, and why flows paused).
   */
  async auditTrail(principal: Principal, id: string): Promise<AuditEventView[]> {
    const current = await this.deps.configurations.findById(id);
    if (current && !maySeeConfiguration(current, principal)) throw notFound(id);
    const events = await this.deps.audit.list({
      workspaceId: current?.workspaceId ?? principal.workspace.id,
      configurationId: id,
      order: 'asc',
      limit: 500,
    });
    if (!current) {
      const creator = events.find((event) => event.action === 'configuration.created')?.actorId;
      if (events.length === 0 || (!roleAtLeast(principal.role, 'admin') && creator !== principal.user.id))
        throw notFound(id);
    }
    return events.map(auditEventView);
  }

  /** Appends an audit event of a configuration (also used by Connect Meta and the lifecycle). */
  async record(
    actorId: string,
    configuration: Configuration,
    action: string,
    details: Record<string, unknown> = {},
  ): Promise<void> {
    await this.deps.audit.append({
      workspaceId: configuration.workspaceId,
      configurationId: configuration.id,
      actorId,
      action,
      details,
      at: this.deps.clock.now(),
    });
  }

  /** The API view: secret fields shown as `{ set }`, computed from the names in the sealed blob. */
  view(configuration: Configuration): ConfigurationView {
    const setFields = configuration.secrets ? Object.keys(this.deps.sealer.open(configuration.secrets)) : [];
    let secretFields: readonly string[] = setFields;
    try {
      secretFields = findConfigurationKind(
        this.deps.registry,
        configuration.connector,
        configuration.kind,
      ).secretFields;
    } catch {
      // The connector is no longer installed: show the fields the blob holds.
    }
    return configurationView(configuration, secretFields, setFields);
  }

  private async visible(principal: Principal, id: string): Promise<Configuration> {
    const configuration = await this.deps.configurations.findById(id);
    if (!configuration || !maySeeConfiguration(configuration, principal)) throw notFound(id);
    return configuration;
  }

  private async manageable(principal: Principal, id: string, action: string): Promise<Configuration> {
    const configuration = await this.visible(principal, id);
    if (!mayManageConfiguration(configuration, principal))
      throw apiError('FLOWCARD_ERR_CONFIGURATION_MANAGE_FORBIDDEN', { action });
    return configuration;
  }

  /**
   * The nickname as stored: trimmed, inner spaces collapsed, not blank, and not the same as another
   * of the owner's configurations of this connector ignoring case ("Acme WP" and "acme wp " are one
   * name to a person reading a list).
   */
  private async freeNickname(
    workspaceId: string,
    ownerId: string,
    kind: ConfigurationKind,
    given: string,
    exceptId?: string,
  ): Promise<string> {
    const nickname = normalizeNickname(given);
    const connector = kind.connector.manifest.name;
    const taken = (await this.deps.configurations.listByWorkspace({ workspaceId, connector })).find(
      (other) =>
        other.id !== exceptId &&
        other.ownerId === ownerId &&
        other.nickname.toLocaleLowerCase() === nickname.toLocaleLowerCase(),
    );
    if (taken)
      throw new FlowcardError(storeCodes.FLOWCARD_ERR_CONFIGURATION_NICKNAME_TAKEN, {
        connector,
        nickname: taken.nickname,
      });
    return nickname;
  }

  private async checkedSharing(
    principal: Principal,
    sharing: ConfigurationSharing,
  ): Promise<ConfigurationSharing> {
    if (sharing.mode !== 'users') return { mode: sharing.mode, userIds: [] };
    const userIds = [...new Set(sharing.userIds)];
    for (const userId of userIds) await this.memberRole(principal.workspace.id, userId);
    return { mode: 'users', userIds };
  }

  private async memberRole(workspaceId: string, userId: string): Promise<WorkspaceRole> {
    const user = await this.deps.users.findById(userId);
    const membership = user?.memberships.find((entry) => entry.workspaceId === workspaceId);
    if (!membership) throw apiError('FLOWCARD_ERR_CONFIGURATION_NOT_MEMBER', { userId });
    return membership.role;
  }

  private async requirePassingTest(
    kind: ConfigurationKind,
    configuration: {
      id?: string;
      values: Readonly<Record<string, unknown>>;
      secrets: Readonly<Record<string, string>>;
    },
  ): Promise<void> {
    const result = await runConnectionTest(this.deps.executor, kind, configuration);
    if (!result.ok) {
      throw apiError(
        'FLOWCARD_ERR_CONFIGURATION_TEST_FAILED',
        { card: result.card, reason: result.error.message },
        [
          {
            where: 'connection-test',
            path: result.card,
            message: result.error.message,
            code: result.error.code,
            signal: result.error.signal,
          },
        ],
      );
    }
  }
}

function auditEventView(event: AuditEvent): AuditEventView {
  return {
    id: event.id,
    action: event.action,
    actorId: event.actorId,
    at: event.at.toISOString(),
    details: event.details,
  };
}

function notFound(id: string): Error {
  return apiError('FLOWCARD_ERR_CONFIGURATION_NOT_FOUND', { id });
}

function versionConflict(id: string, expected: number): Error {
  // The store's own code, so clients see one conflict code whoever detected it.
  return new FlowcardError(storeCodes.FLOWCARD_ERR_STORE_VERSION_CONFLICT, {
    entity: 'Configuration',
    id,
    expected,
  });
}

/** Trimmed, runs of white space made one space; blank is refused. */
function normalizeNickname(given: string): string {
  const nickname = given.replace(/\s+/g, ' ').trim();
  if (nickname === '') throw apiError('FLOWCARD_ERR_CONFIGURATION_NICKNAME_BLANK');
  return nickname;
}
