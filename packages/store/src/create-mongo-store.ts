import type { Connection } from 'mongoose';
import type { Clock, FlowcardStore } from '@flowcard/engine';
import { flowModel } from './flows/flow-model';
import { MongoFlowRepository } from './flows/mongo-flow-repository';
import { MongoRunRepository } from './flows/mongo-run-repository';
import { MongoTriggerStateRepository } from './flows/mongo-trigger-state-repository';
import { runModel } from './flows/run-model';
import { runStepModel } from './flows/run-step-model';
import { triggerStateModel } from './flows/trigger-state-model';
import { apiKeyModel } from './models/api-key-model';
import { auditEventModel } from './models/audit-event-model';
import { configurationModel } from './models/configuration-model';
import { inviteModel } from './models/invite-model';
import { notificationModel } from './models/notification-model';
import { oauthStateModel } from './models/oauth-state-model';
import { registryEntryModel } from './models/registry-entry-model';
import { sessionModel } from './models/session-model';
import { userModel } from './models/user-model';
import { workspaceModel } from './models/workspace-model';
import { MongoAuditRepository } from './repositories/mongo-audit-repository';
import { MongoConfigurationRepository } from './repositories/mongo-configuration-repository';
import { MongoConnectorRegistryRepository } from './repositories/mongo-connector-registry-repository';
import { MongoInviteRepository } from './repositories/mongo-invite-repository';
import { MongoNotificationRepository } from './repositories/mongo-notification-repository';
import { MongoOAuthStateRepository } from './repositories/mongo-oauth-state-repository';
import { MongoSessionRepository } from './repositories/mongo-session-repository';
import { MongoUserRepository } from './repositories/mongo-user-repository';
import { MongoWorkspaceRepository } from './repositories/mongo-workspace-repository';

export interface MongoStoreOptions {
  /** Timestamps (createdAt, updatedAt, publishedAt…) come from here; default: the system clock. */
  readonly clock?: Clock;
}

const systemClock: Clock = { now: () => new Date() };

/**
 * Builds every repository on `connection` (never the global mongoose). Call `ensureIndexes()`
 * once before serving: nothing is created implicitly (docs/architecture.md §8).
 */
export function createMongoStore(connection: Connection, options: MongoStoreOptions = {}): FlowcardStore {
  const clock = options.clock ?? systemClock;
  const models = {
    workspaces: workspaceModel(connection),
    users: userModel(connection),
    apiKeys: apiKeyModel(connection),
    configurations: configurationModel(connection),
    oauthStates: oauthStateModel(connection),
    notifications: notificationModel(connection),
    audit: auditEventModel(connection),
    registry: registryEntryModel(connection),
    flows: flowModel(connection),
    runs: runModel(connection),
    runSteps: runStepModel(connection),
    triggerStates: triggerStateModel(connection),
    sessions: sessionModel(connection),
    invites: inviteModel(connection),
  };
  const workspaces = new MongoWorkspaceRepository(models.workspaces, clock);
  const configurations = new MongoConfigurationRepository(models.configurations, clock);
  return {
    workspaces,
    users: new MongoUserRepository(models.users, models.apiKeys, clock),
    configurations,
    oauthStates: new MongoOAuthStateRepository(models.oauthStates),
    notifications: new MongoNotificationRepository(models.notifications, clock),
    audit: new MongoAuditRepository(models.audit, clock),
    connectorRegistry: new MongoConnectorRegistryRepository(models.registry, clock),
    flows: new MongoFlowRepository(models.flows, clock),
    runs: new MongoRunRepository(models.runs, models.runSteps),
    triggerState: new MongoTriggerStateRepository(models.triggerStates),
    sessions: new MongoSessionRepository(models.sessions),
    invites: new MongoInviteRepository(models.invites),
    sealedSecretHolders: [configurations, workspaces],
    ensureIndexes: () => ensureIndexes(Object.values(models)),
  };
}

/**
 * createIndexes, not syncIndexes: it only adds, so a runtime of an older version still running
 * during a rolling deploy keeps the indexes it needs.
 */
async function ensureIndexes(models: ReadonlyArray<{ createIndexes(): Promise<unknown> }>): Promise<void> {
  for (const model of models) await model.createIndexes();
}
