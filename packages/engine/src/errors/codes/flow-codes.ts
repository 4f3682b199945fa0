import { defineErrorCodes } from '../error-code';

/**
 * Codes of flows, runs and triggers: problems found when a flow is saved (validateFlow), and what
 * the flow runner fails or parks a run with when the failure is not a card's own CardError.
 */
export const flowCodes = defineErrorCodes({
  FLOWCARD_ERR_FLOW_INVALID: {
    message: 'The flow cannot be saved: {problems}',
    status: 422,
    category: 'client',
  },
  FLOWCARD_ERR_FLOW_SCHEMA: { message: '{path} {reason}', status: 422, category: 'client' },
  FLOWCARD_ERR_FLOW_STEP_DUPLICATE: {
    message: 'step id "{stepId}" is used twice; step ids must be unique',
    status: 422,
    category: 'client',
  },
  FLOWCARD_ERR_FLOW_CARD_UNKNOWN: {
    message: '{path}: card "{card}" is not loaded{reason}',
    status: 422,
    category: 'client',
  },
  FLOWCARD_ERR_FLOW_CARD_KIND: {
    message: '{path}: card "{card}" is of kind {actual}; this place needs kind {expected}',
    status: 422,
    category: 'client',
  },
  FLOWCARD_ERR_FLOW_CONFIGURATION_UNUSABLE: {
    message: '{path}: configuration "{configurationId}" {reason}',
    status: 422,
    category: 'client',
  },
  FLOWCARD_ERR_FLOW_CONFIGURATION_REQUIRED: {
    message:
      '{path}: card "{card}" needs a configuration ({kind}); choose one you own or one shared with you',
    status: 422,
    category: 'client',
  },
  FLOWCARD_ERR_FLOW_TEMPLATE_REFERENCE: {
    message: '{path}: template {template} {reason}',
    status: 422,
    category: 'client',
  },
  FLOWCARD_ERR_FLOW_TEMPLATE_SYNTAX: {
    message: '{path}: template {template} {reason}',
    status: 422,
    category: 'client',
  },
  FLOWCARD_ERR_FLOW_INPUT_INVALID: { message: '{path}: {reason}', status: 422, category: 'client' },
  FLOWCARD_ERR_FLOW_CONDITION_INVALID: {
    message: '{path}: the condition is not valid JSONata: {reason}',
    status: 422,
    category: 'client',
  },
  FLOWCARD_ERR_FLOW_NOT_FOUND: { message: 'Flow {flowId} was not found', status: 404, category: 'client' },
  FLOWCARD_ERR_RUN_NOT_FOUND: { message: 'Run {runId} was not found', status: 404, category: 'client' },
  FLOWCARD_ERR_RUN_NOT_RERUNNABLE: {
    message: 'Run {runId} is {status}; only a failed run can be re-run',
    status: 409,
    category: 'client',
  },
  FLOWCARD_ERR_RUN_STEP_MISSING: {
    message: 'Step {stepId} is not part of flow {flowId} version {version}',
    status: 500,
    category: 'invalid',
  },
  FLOWCARD_ERR_RUN_CARD_UNAVAILABLE: {
    message: 'Card {card} of step {stepId} is not loaded on this worker{reason}',
    status: 503,
    category: 'invalid',
  },
  FLOWCARD_ERR_RUN_CONFIGURATION_MISSING: {
    message: 'Configuration {configurationId} of step {stepId} no longer exists',
    status: 422,
    category: 'invalid',
  },
  FLOWCARD_ERR_RUN_NEEDS_REAUTH: {
    message:
      'Configuration {configurationId} must be re-authorised; the run waits and resumes by itself afterwards',
    status: 401,
    category: 'auth',
  },
  FLOWCARD_ERR_RUN_CONDITION_FAILED: {
    message: 'The condition of step {stepId} failed: {message}',
    status: 400,
    category: 'invalid',
  },
  FLOWCARD_ERR_RUN_FOREACH_NOT_A_LIST: {
    message: 'forEach step {stepId}: {items} is {actual}, not a list',
    status: 400,
    category: 'invalid',
  },
  FLOWCARD_ERR_RUN_FOREACH_TOO_MANY: {
    message:
      'forEach step {stepId} got {count} items; it accepts at most {maxItems} (raise maxItems, up to 10000, or narrow the list)',
    status: 400,
    category: 'invalid',
  },
  FLOWCARD_ERR_RUN_STEP_CRASHED: {
    message: 'Step {stepId} failed unexpectedly ({name}): {message}',
    status: 500,
    category: 'retry',
  },
  FLOWCARD_ERR_RUN_RETRIES_EXHAUSTED: {
    message: 'Step {stepId} failed {attempts} times; last error {code}: {message}',
    status: 502,
    category: 'retry',
  },
});
