import { defineErrorCodes } from '../error-code';

/**
 * Codes of card execution: what the classifier (classify-http-error.ts) and the card executor
 * fail with. The category is the flow signal the runner acts on.
 */
export const executionCodes = defineErrorCodes({
  FLOWCARD_ERR_HTTP_NETWORK: { message: 'Could not reach {host}: {reason}', status: 502, category: 'retry' },
  FLOWCARD_ERR_HTTP_TIMEOUT: {
    message: 'No answer from {host} within {timeoutMs} ms',
    status: 504,
    category: 'retry',
  },
  FLOWCARD_ERR_UPSTREAM_UNAVAILABLE: {
    message: 'The service answered HTTP {status}: {message}',
    status: 502,
    category: 'retry',
  },
  FLOWCARD_ERR_GRAPH_TRANSIENT: {
    message: 'Meta reported a temporary problem (code {graphCode}): {message}',
    status: 503,
    category: 'retry',
  },
  FLOWCARD_ERR_RATE_LIMITED: {
    message: 'Rate limited ({limit}): {message}',
    status: 429,
    category: 'rate_limited',
  },
  FLOWCARD_ERR_TEMPORARILY_BLOCKED: {
    message: 'Meta temporarily blocked this action (code 368): {message}',
    status: 429,
    category: 'rate_limited',
  },
  FLOWCARD_ERR_AUTH_INVALID_TOKEN: {
    message: "The configuration's credentials are no longer valid ({reason}): {message}",
    status: 401,
    category: 'auth',
  },
  FLOWCARD_ERR_AUTH_MISSING_CREDENTIAL: {
    message: 'The configuration has no value for {field}; reconnect or edit it',
    status: 401,
    category: 'auth',
  },
  FLOWCARD_ERR_PERMISSION_MISSING: {
    message: 'Permission missing ({permission}): {message}',
    status: 403,
    category: 'permission',
  },
  FLOWCARD_ERR_PAGE_TOKEN_UNAVAILABLE: {
    message: "No page token for page {pageId}: the configuration's user does not manage this Page",
    status: 403,
    category: 'permission',
  },
  FLOWCARD_ERR_INVALID_REQUEST: {
    message: 'The service refused the request (HTTP {status}): {message}',
    status: 400,
    category: 'invalid',
  },
  FLOWCARD_ERR_INPUT_INVALID: { message: 'Invalid input: {errors}', status: 400, category: 'invalid' },
  FLOWCARD_ERR_OUTPUT_INVALID: {
    message: "The response does not match the card's output schema: {errors}",
    status: 502,
    category: 'invalid',
  },
  FLOWCARD_ERR_TRANSFORM_FAILED: {
    message: 'The output transform of {card} failed: {message}',
    status: 500,
    category: 'invalid',
  },
  FLOWCARD_ERR_BASE_URL_INVALID: {
    message: 'The base URL of {card} rendered to "{baseUrl}", which is not an absolute http(s) URL',
    status: 400,
    category: 'invalid',
  },
  FLOWCARD_ERR_CARD_NOT_EXECUTABLE: {
    message: 'Card {card} has nothing to {what}',
    status: 400,
    category: 'invalid',
  },
  FLOWCARD_ERR_HANDLER_FAILED: {
    message: 'The handler of {card} failed: {message}',
    status: 500,
    category: 'retry',
  },
  FLOWCARD_ERR_HANDLER_BUG: {
    message: 'The handler of {card} has a bug ({name}): {message}',
    status: 500,
    category: 'invalid',
  },
  FLOWCARD_ERR_HANDLER_INVALID: {
    message: 'The handler module {path} does not export a function as default',
    status: 500,
    category: 'invalid',
  },
  FLOWCARD_ERR_SANDBOX_CPU_LIMIT: {
    message: 'The handler of {card} used more than {limitMs} ms of CPU time and was stopped',
    status: 500,
    category: 'invalid',
  },
  FLOWCARD_ERR_SANDBOX_WALL_LIMIT: {
    message: 'The handler of {card} did not finish within {limitMs} ms and was stopped',
    status: 504,
    category: 'retry',
  },
  FLOWCARD_ERR_SANDBOX_MEMORY_LIMIT: {
    message: 'The handler of {card} used more than {limitMb} MB of memory and was stopped',
    status: 500,
    category: 'invalid',
  },
  FLOWCARD_ERR_SANDBOX_PROCESS_EXITED: {
    message: 'The handler of {card} ended its sandbox process ({reason})',
    status: 500,
    category: 'invalid',
  },
  FLOWCARD_ERR_SANDBOX_IMPORT_FAILED: {
    message: 'The handler module {module} of {card} failed to load ({name}): {message}',
    status: 500,
    category: 'invalid',
  },
  FLOWCARD_ERR_SANDBOX_DENIED: {
    message: 'The handler of {card} was refused: {message}',
    status: 403,
    category: 'invalid',
  },
  FLOWCARD_ERR_SANDBOX_UNAVAILABLE: {
    message: 'The handler sandbox could not start: {reason}',
    status: 503,
    category: 'retry',
  },
});
