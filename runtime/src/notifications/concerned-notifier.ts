import type { Configuration, FlowDocument, FlowRepository, UserRepository } from '@flowcard/engine';
import type { Redis } from 'ioredis';
import { roleAtLeast } from '../http/auth/principal';
import type { NotificationMessage, Notifier } from './notifier';

/** How long "already told" is remembered: longer than any token lifetime Meta has (90 days). */
const DEDUPE_TTL_SECONDS = 120 * 24 * 60 * 60;

/** What a configuration event says, before it is addressed to each person concerned. */
export type ConcernedMessage = Omit<NotificationMessage, 'userId' | 'workspaceId'> & {
  /**
   * The event and threshold, e.g. `configuration.expiring:<id>:dataAccessExpiresAt:15d`: each person
   * is told once per key, however many schedulers, retries or callers report it.
   */
  readonly dedupeKey: string;
};

/** Why a person is told, in the notification's data (`concern`). */
export type Concern = 'configuration-owner' | 'flow-owner' | 'workspace-admin';

/**
 * Tells everyone a configuration event concerns (one notification each, every channel): the
 * configuration's owner, the owners of the flows that use it, and the workspace's admins when the
 * configuration is shared (others' flows may depend on it). Each person hears of one event and
 * threshold once: a Redis key per person and `dedupeKey` (SET NX) decides, so two schedulers or a
 * retried job never send it twice.
 */
export class ConcernedNotifier {
  constructor(
    private readonly notifier: Notifier,
    private readonly users: UserRepository,
    private readonly flows: FlowRepository,
    private readonly redis: Redis,
    /** Key prefix, e.g. `<redis prefix>:notified`. */
    private readonly prefix: string,
  ) {}

  /**
   * Returns the user ids told now. `flows`: the flows affected when the caller knows them already
   * (e.g. before deleting the configuration); otherwise the enabled flows using it are looked up.
   */
  async notifyConcerned(
    configuration: Pick<Configuration, 'id' | 'workspaceId' | 'ownerId' | 'sharing'>,
    message: ConcernedMessage,
    options: { flows?: readonly FlowDocument[]; alsoTell?: readonly string[] } = {},
  ): Promise<string[]> {
    const audience = await this.audience(configuration, options);
    const told: string[] = [];
    for (const [userId, concern] of audience) {
      const fresh = await this.redis.set(
        `${this.prefix}:${message.dedupeKey}:${userId}`,
        '1',
        'EX',
        DEDUPE_TTL_SECONDS,
        'NX',
      );
      if (fresh !== 'OK') continue;
      const { dedupeKey, ...rest } = message;
      await this.notifier.notify({
        ...rest,
        workspaceId: configuration.workspaceId,
        userId,
        data: { ...(message.data ?? {}), concern, event: dedupeKey },
      });
      told.push(userId);
    }
    return told;
  }

  /** Everyone concerned, each once, with the closest reason (owner before flow owner before admin). */
  async audience(
    configuration: Pick<Configuration, 'id' | 'workspaceId' | 'ownerId' | 'sharing'>,
    options: { flows?: readonly FlowDocument[]; alsoTell?: readonly string[] } = {},
  ): Promise<Map<string, Concern>> {
    const audience = new Map<string, Concern>([[configuration.ownerId, 'configuration-owner']]);
    const flows = options.flows ?? (await this.flows.listEnabledByConfiguration(configuration.id));
    for (const flow of flows) {
      if (flow.workspaceId === configuration.workspaceId && !audience.has(flow.ownerId))
        audience.set(flow.ownerId, 'flow-owner');
    }
    for (const userId of options.alsoTell ?? [])
      if (!audience.has(userId)) audience.set(userId, 'flow-owner');
    if (configuration.sharing.mode !== 'private') {
      for (const user of await this.users.listByWorkspace(configuration.workspaceId)) {
        const role = user.memberships.find((entry) => entry.workspaceId === configuration.workspaceId)?.role;
        if (role && roleAtLeast(role, 'admin') && !audience.has(user.id))
          audience.set(user.id, 'workspace-admin');
      }
    }
    return audience;
  }
}
