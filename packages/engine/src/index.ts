export * from './ports';
export * from './secrets';
export { FlowcardError } from './errors/flowcard-error';
export { CardExecutor, type CardExecutorOptions } from './executor/card-executor';
export { HandlerSandbox, type HandlerSandboxOptions, type SandboxRequest } from './sandbox/handler-sandbox';
export {
  DEFAULT_SANDBOX_LIMITS,
  DEFAULT_SANDBOX_PROCESSES,
  type SandboxLimits,
} from './sandbox/sandbox-limits';
export type {
  ExecuteCardRequest,
  ExecuteCardResult,
  ResolvedConfiguration,
  PollTriggerResult,
  TriggerItem,
  TriggerCursor,
  TriggerRequestKind,
} from './executor/execute-card.types';
export {
  ConnectorHttpClient,
  joinUrl,
  type HttpResponse,
  type CallTarget,
  type CallAuth,
  type ConnectorHttpClientOptions,
} from './http/connector-http-client';
export { createAxiosInstance, type AxiosInstanceOptions } from './http/create-axios-instance';
export { appsecretProof } from './http/applied-auth';
export { redactSecrets } from './http/redact-secrets';
export {
  parseUsageHeaders,
  regainAccessMinutes,
  type UsageHeaders,
  type AppUsage,
  type BusinessUseCaseUsage,
} from './http/usage-headers';
export { classifyHttpError, type HttpFailure } from './errors/classify-http-error';
export { classifyHandlerError } from './errors/classify-handler-error';
export { executionCodes } from './errors/codes/execution-codes';
export { compileTemplate, type CompiledTemplate } from './templates/compile-template';
export { renderTemplate } from './templates/render-template';
export { renderDeep } from './templates/render-deep';
export type { TemplateContext } from './templates/template-context';
export {
  compareConnectorVersions,
  type ConnectorVersionContent,
} from './publishing/compare-connector-versions';
export { formatSchemaChange, type SchemaChange, type CompatibilityReport } from './publishing/schema-change';
export { formatBreakingChangeRefusal, BREAKING_CHANGE_HEADLINE } from './publishing/breaking-change-refusal';
export {
  compareSemanticVersions,
  parseSemanticVersion,
  type SemanticVersion,
} from './publishing/semantic-version';
export {
  PACKED_CONNECTOR_FORMAT,
  packedConnectorFileName,
  type PackedConnector,
} from './publishing/packed-connector';
export { packConnector, type PackConnectorResult } from './publishing/pack-connector';
export { bundleContentHash } from './publishing/bundle-content-hash';
export { verifyPackedConnector } from './publishing/verify-packed-connector';
export { writePackedConnector } from './publishing/write-packed-connector';
export { publishingCodes } from './errors/codes/publishing-codes';
export { createAjv } from './validation/create-ajv';
export { defineErrorCodes, formatErrorMessage, type ErrorCodeSpec } from './errors/error-code';
export { errorRegistry } from './errors/error-registry';
export { manifestCodes } from './errors/codes/manifest-codes';
export type { LoadedConnector, LoadedCard } from './registry/loaded-connector';
export {
  loadConnector,
  type ConnectorLoadResult,
  type LoadConnectorOptions,
} from './registry/load-connector';
export {
  ConnectorRegistry,
  type WorkspaceConnectors,
  type ConnectorSources,
  type ConnectorLoadFailure,
  type RegistryLoadReport,
  type ConnectorRegistryOptions,
} from './registry/connector-registry';
export { formatManifestProblem, type ManifestProblem } from './registry/manifest-problem';
export { parseCardRef, type CardRef } from './registry/card-ref';
export { findTemplateReferences } from './templates/template-references';
export {
  runCardExamples,
  type CardExampleOutcome,
  type RunCardExamplesOptions,
} from './publishing/run-card-examples';
export {
  publishPackedConnector,
  type PublishPackedConnectorRequest,
  type PublishOutcome,
  type InstalledConnectorVersion,
} from './publishing/publish-packed-connector';
export {
  installPublishedConnector,
  isNewer,
  type InstallResult,
} from './publishing/install-published-connector';
export {
  PublishedConnectorLoader,
  type PublishedConnectorLoaderOptions,
} from './publishing/published-connector-loader';
// Flows, runs, triggers, rate limiting (flow engine).
export type * from './ports/flow-repository';
export type * from './ports/run-repository';
export { IN_FLIGHT_RUN_STATUSES } from './ports/run-repository';
export type * from './ports/trigger-state-repository';
export { flowCodes } from './errors/codes/flow-codes';
export {
  MetaRateLimiter,
  type MetaRateLimiterOptions,
  type RateLimitKeys,
  type RateLimitDecision,
  type RateLimitBudget,
} from './rate-limit/meta-rate-limiter';
export {
  validateFlow,
  formatFlowProblems,
  type FlowProblem,
  type FlowCardLookup,
  type CanUseConfiguration,
} from './flows/validate-flow';
export { flowTriggerKey, webhookRouteKey } from './flows/flow-trigger-key';
export {
  allSteps,
  cardSteps,
  configurationIdsOf,
  mapCardSteps,
  isCardStep,
  isForEachStep,
  isPathsStep,
  stepIndex,
  type AnyStepSpec,
  type StepPlace,
} from './flows/flow-steps';
export { formatAddress, parseAddress, type LoopFrame, type StepAddress } from './runs/step-address';
export { FlowCache, type FlowCacheOptions } from './flows/flow-cache';
export { FlowLifecycle, type FlowLifecycleOptions, type TriggerSubscriber } from './flows/flow-lifecycle';
export {
  FlowRunner,
  STEP_QUEUE,
  stepJobId,
  dedupedRunId,
  type FlowRunnerOptions,
  type FlowRunnerRetryOptions,
  type StartRunOptions,
  type StartedRun,
  type StepWorkerOptions,
} from './runs/flow-runner';
export {
  StepJobHandler,
  type StepJobData,
  type StepJobOutcome,
  type StepJobHandlerOptions,
  type CardLookup,
  type StepExecutor,
} from './runs/step-job-handler';
export {
  decideStepFailure,
  describeFailure,
  type StepFailureAction,
  type StepFailureContext,
} from './runs/step-failure-policy';
export { RunStateStore, type RunStateStoreOptions, type LiveRun } from './runs/run-state-store';
export { RunHistoryWriter, type RunHistoryWriterOptions } from './runs/run-history-writer';
export { RunHistory } from './runs/run-history';
export {
  RunRecovery,
  unknownOutcomeField,
  type RunRecoveryOptions,
  type RecoveryOutcome,
  type ResumeOptions,
} from './runs/run-recovery';
export { resumePoint } from './runs/run-resume-point';
export {
  RunReconciler,
  type RunReconcilerOptions,
  type ReconcileReport,
  type ScheduleAssertion,
} from './runs/run-reconciler';
export { ParkedSteps, type ParkedStepsOptions } from './runs/parked-steps';
export { ConfigurationCache, type ConfigurationCacheOptions } from './runs/configuration-cache';
export { defaultRateLimitKeys, type RateLimitKeyResolver } from './runs/rate-limit-keys';
export type {
  StepConfiguration,
  StepConfigurationSource,
  ConfigurationStatusPort,
} from './runs/step-configuration-source';
export { verifyMetaSignature, signMetaBody, type MetaSignatureCheck } from './triggers/meta-signature';
export { answerMetaHandshake, type MetaHandshakeAnswer } from './triggers/meta-webhook-handshake';
export { parseMetaWebhook, type MetaWebhookChange } from './triggers/meta-webhook-payload';
export { TriggerRunStarter, type RunStarter } from './triggers/trigger-run-starter';
export { effectivePause } from './flows/flow-pause';
export {
  WebhookRouter,
  type BlockedTriggerItem,
  type BlockedTriggerItems,
  type WebhookRouterOptions,
  type WebhookIngestResult,
  type WebhookJobData,
} from './triggers/webhook-router';
export { TriggerPoller, type TriggerPollerOptions, type PollJobData } from './triggers/trigger-poller';
export { TriggerWorker, TRIGGER_QUEUE, type TriggerWorkerOptions } from './triggers/trigger-worker';
export {
  connectorLifecycleOf,
  connectorSunsetError,
  type ConnectorLifecycleStatus,
} from './publishing/connector-lifecycle';
export { SunsetAwareStepExecutor, looksLikeServiceGone } from './publishing/sunset-aware-step-executor';
export {
  setConnectorLifecycle,
  type SetConnectorLifecycleRequest,
  type SetConnectorLifecycleOutcome,
} from './publishing/set-connector-lifecycle';
export { applyLifecycleOverride, withLifecycle } from './publishing/apply-lifecycle-override';
