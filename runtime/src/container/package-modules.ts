import { StoreContainerModule, StoreTokens } from '@flowcard/store';
import { ContainerModule } from 'inversify';
import type { ResolvedConfig } from '../config/runtime-config';
import { configurationsContainerModule } from '../configurations/configurations-container-module';
import { flowsContainerModule } from '../flows/flows-container-module';
import { peopleContainerModule } from '../people/people-container-module';
import { engineBindingsModule } from './engine-bindings-module';
import { RuntimeTokens } from './runtime-tokens';

/**
 * One ContainerModule per package (engine, store…), in dependency order. This is where a package's
 * bindings join the runtime: add its module here, nowhere else.
 */
export function packageModules(config: ResolvedConfig): ContainerModule[] {
  return [
    engineBindingsModule(config),
    storeConnectionModule(),
    StoreContainerModule,
    configurationsContainerModule(config),
    flowsContainerModule(config),
    peopleContainerModule(config),
  ];
}

/** The store asks for its connection under its own token; it is the runtime's one connection. */
function storeConnectionModule(): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind(StoreTokens.Connection).toDynamicValue((context) => context.get(RuntimeTokens.mongoConnection));
  });
}
