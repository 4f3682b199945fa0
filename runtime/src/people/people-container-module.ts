import { ContainerModule } from 'inversify';
import type { ResolvedConfig } from '../config/runtime-config';
import { ShiftableClock } from '../configurations/shiftable-clock';
import { Ports } from '../container/port-tokens';
import { RuntimeTokens } from '../container/runtime-tokens';
import { ConfigurationTokens } from '../configurations/configuration-tokens';
import type { FlowEngine } from '../flows/flow-engine';
import type { FlowStorePorts } from '../flows/flow-store-ports';
import { FlowTokens } from '../flows/flow-tokens';
import { HttpTokens } from '../http/http-tokens';
import { WebhookNotificationChannel } from '../notifications/webhook-notification-channel';
import { InviteService } from './invite-service';
import { LastSeenRecorder } from './last-seen-recorder';
import { PeopleService } from './people-service';
import { PeopleTokens } from './people-tokens';
import { SessionService } from './session-service';
import { TeamService } from './team-service';

/**
 * People and sign-in: sessions (also the HTTP layer's session authenticator), setup and sign-in,
 * team management and invites. Session lifetimes come from `config.sessions`.
 */
export function peopleContainerModule(config: ResolvedConfig): ContainerModule {
  return new ContainerModule(({ bind }) => {
    const T = PeopleTokens;
    bind(T.clock).toDynamicValue((c) => new ShiftableClock(c.get(Ports.clock)));
    bind(T.lastSeen).toDynamicValue((c) => new LastSeenRecorder(c.get(Ports.users), c.get(T.clock)));
    bind(T.sessions).toDynamicValue(
      (c) =>
        new SessionService(
          {
            sessions: c.get(Ports.sessions),
            users: c.get(Ports.users),
            workspaces: c.get(Ports.workspaces),
            clock: c.get(T.clock),
            lastSeen: c.get(T.lastSeen),
          },
          config.sessions,
        ),
    );
    bind(HttpTokens.sessionAuthenticator).toDynamicValue((c) => c.get(T.sessions));
    bind(T.people).toDynamicValue(
      (c) =>
        new PeopleService({
          users: c.get(Ports.users),
          workspaces: c.get(Ports.workspaces),
          sessions: c.get(T.sessions),
          redis: c.get(RuntimeTokens.redis),
          redisPrefix: config.redisPrefix,
          clock: c.get(T.clock),
          logger: c.get(RuntimeTokens.logger),
        }),
    );
    bind(T.team).toDynamicValue((c) => {
      const engine = c.get<FlowEngine>(FlowTokens.engine);
      return new TeamService({
        users: c.get(Ports.users),
        configurations: c.get(Ports.configurations),
        configurationService: c.get(ConfigurationTokens.service),
        registry: c.get(Ports.connectors),
        flows: c.get<FlowStorePorts>(FlowTokens.ports).flows,
        flowChanged: (flowId) => engine.flowChanged(flowId),
        sessions: c.get(T.sessions),
        audit: c.get(Ports.audit),
        redis: c.get(RuntimeTokens.redis),
        redisPrefix: config.redisPrefix,
        clock: c.get(T.clock),
      });
    });
    bind(T.invites).toDynamicValue(
      (c) =>
        new InviteService({
          invites: c.get(Ports.invites),
          users: c.get(Ports.users),
          workspaces: c.get(Ports.workspaces),
          people: c.get(T.people),
          sessions: c.get(T.sessions),
          team: c.get(T.team),
          clock: c.get(T.clock),
          publicUrl: config.publicUrl,
          webhook: config.notifyWebhookUrl
            ? new WebhookNotificationChannel(config.notifyWebhookUrl)
            : undefined,
          logger: c.get(RuntimeTokens.logger),
        }),
    );
  });
}
