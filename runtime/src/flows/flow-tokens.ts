import { token } from '../container/token';
import type { FlowEngine } from './flow-engine';
import type { FlowService } from './flow-service';
import type { FlowStorePorts } from './flow-store-ports';
import type { MetaAppSubscription } from './meta-app-subscription';

/** Bindings of the flow engine in the runtime (one engine per process). */
export const FlowTokens = {
  ports: token<FlowStorePorts>('flows.ports'),
  engine: token<FlowEngine>('flows.engine'),
  service: token<FlowService>('flows.service'),
  /** Embedded mode: this runtime's webhook callback registered with the emulator's app. */
  metaAppSubscription: token<MetaAppSubscription>('flows.metaAppSubscription'),
} as const;
