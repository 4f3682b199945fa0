import type { ServiceDefinition } from './runtime-service';
import { configurationInvalidationService } from '../configurations/configuration-invalidation-service';
import { flowEngineService } from '../flows/flow-engine-service';
import { flowSchedulerService } from '../flows/flow-scheduler-service';
import { flowWorkerService } from '../flows/flow-worker-service';
import { tokenLifecycleService } from '../lifecycle/token-lifecycle-service';
import { handlerSandboxService } from './handler-sandbox-service';
import { sessionHousekeepingService } from '../people/session-housekeeping-service';
import { heartbeatService } from './heartbeat-service';
import { publishedConnectorsService } from './published-connectors-service';

/**
 * Every background service, one line each (the flow worker, the scheduler's token-lifecycle job,
 * trigger polling…). A service runs in every process whose roles include one of its roles; when a
 * process plays several roles, each service still starts once.
 */
export const runtimeServices: readonly ServiceDefinition[] = [
  heartbeatService,
  handlerSandboxService,
  publishedConnectorsService,
  configurationInvalidationService,
  tokenLifecycleService,
  flowEngineService,
  flowWorkerService,
  flowSchedulerService,
  sessionHousekeepingService,
];
