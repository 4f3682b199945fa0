import { Container } from 'inversify';
import { PortTokens, type Clock, type ConfigurationRepository, type FlowcardStore } from '@flowcard/engine';
import { useTestDatabase } from '../../../test/support/mongo';
import { StoreContainerModule } from './store-container-module';
import { StoreTokens } from './store-tokens';

const database = useTestDatabase(__filename);

describe('StoreContainerModule', () => {
  it('binds the store and each repository port to one shared store on the given connection and clock', async () => {
    const container = new Container();
    const fixed = new Date('2030-01-01T00:00:00.000Z');
    container.bind(StoreTokens.Connection).toConstantValue(database().connection);
    container.bind<Clock>(PortTokens.Clock).toConstantValue({ now: () => fixed });
    await container.load(StoreContainerModule);

    const store = container.get<FlowcardStore>(PortTokens.FlowcardStore);
    await store.ensureIndexes();
    const configurations = container.get<ConfigurationRepository>(PortTokens.ConfigurationRepository);
    expect(configurations).toBe(store.configurations);
    expect(container.get(PortTokens.AuditRepository)).toBe(store.audit);
    expect(container.get(PortTokens.FlowRepository)).toBe(store.flows);
    expect(container.get(PortTokens.RunRepository)).toBe(store.runs);
    expect(container.get(PortTokens.TriggerStateRepository)).toBe(store.triggerState);
    expect(container.get(PortTokens.SessionRepository)).toBe(store.sessions);
    expect(container.get(PortTokens.InviteRepository)).toBe(store.invites);

    const created = await configurations.create({
      workspaceId: 'w',
      connector: 'workplace',
      kind: 'bearer',
      nickname: 'HR',
      ownerId: 'u',
    });
    expect(created.createdAt).toEqual(fixed);
  });
});
