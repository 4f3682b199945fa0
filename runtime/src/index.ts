/**
 * @flowcard/runtime: the deployable. Start it with startRuntime(); extend it by adding a route module
 * to http/route-modules.ts, a background service to services/runtime-services.ts, or a package's
 * ContainerModule to container/package-modules.ts.
 */
export { startRuntime, type StartRuntimeOptions } from './main/start-runtime';
export type { RuntimeHandle } from './main/runtime-handle';
export { runUntilSignal } from './main/run-until-signal';
export { loadConfig } from './config/load-config';
export { ConfigError } from './config/config-error';
export { configVariables, type ConfigVariable } from './config/config-variables';
export {
  runtimeRoles,
  type RuntimeRole,
  type RuntimeConfig,
  type ResolvedConfig,
} from './config/runtime-config';
export { RuntimeTokens } from './container/runtime-tokens';
export { HttpTokens } from './http/http-tokens';
export { token, type Token } from './container/token';
export { defineRouteModule, type RouteModule } from './http/route-module';
export { defineService, type ServiceDefinition, type RunningService } from './services/runtime-service';
export { requireRole, principalOf } from './http/auth/install-authentication';
export { roleAtLeast, workspaceRoles, type Principal, type WorkspaceRole } from './http/auth/principal';
export { apiError } from './http/errors/api-error';
export { errorResponses } from './http/errors/error-body-schema';
export { runtimeErrorCodes } from './http/errors/runtime-error-codes';
export { createLogger } from './logging/create-logger';
export { createAdmin, type CreateAdminRequest, type CreatedAdmin } from './admin/create-admin';
export { createAdminInDatabase } from './admin/create-admin-in-database';
export { Ports } from './container/port-tokens';
export { getBound, getIfBound } from './container/build-container';
export {
  moveEmbeddedDataToMongo,
  type MoveToMongoOptions,
  type MovedToMongo,
} from './embedded/move-to-mongodb';
