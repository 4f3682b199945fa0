// The storage and infrastructure ports of the engine: interfaces and DTOs only.
export type * from './audit-repository';
export type * from './clock';
export type * from './configuration-repository';
export type * from './connector-registry-repository';
export type * from './flow-repository';
export type * from './flowcard-store';
export type * from './key-provider';
export type * from './notification-repository';
export type * from './oauth-state-repository';
export type * from './run-repository';
export type * from './sealed-secrets';
export type * from './sealed-secrets-holder';
export type * from './trigger-state-repository';
export type * from './user-repository';
export type * from './workspace-repository';
export { storeCodes } from './store-error-codes';
export { PortTokens } from './tokens';
