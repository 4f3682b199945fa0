import { defineErrorCodes } from '@flowcard/engine';

/**
 * Error codes of the runtime's HTTP API (docs/conventions.md #4). Codes are part of the interface: never rename
 * or reuse one; retire it with `retired: true`. The README's table is checked against this list.
 */
export const runtimeErrorCodes = defineErrorCodes({
  FLOWCARD_ERR_REQUEST_INVALID: {
    message: 'The request is invalid: {summary}',
    status: 400,
    category: 'client',
  },
  FLOWCARD_ERR_AUTH_REQUIRED: {
    message: 'Sign in, or send an API key: "Authorization: Bearer fc_…" or "x-api-key: fc_…"',
    status: 401,
    category: 'client',
  },
  FLOWCARD_ERR_API_KEY_INVALID: {
    message: 'The API key is unknown or revoked',
    status: 401,
    category: 'client',
  },
  FLOWCARD_ERR_ROLE_FORBIDDEN: {
    message: 'Your role ({role}) does not allow this; it needs {required} or higher',
    status: 403,
    category: 'client',
  },
  FLOWCARD_ERR_URL_TOO_LONG: {
    message: 'A part of the URL {url} is longer than 100 characters: no id or name is that long',
    status: 414,
    category: 'client',
  },
  FLOWCARD_ERR_URL_INVALID: {
    message: 'The URL {url} is malformed (check its percent-encoding)',
    status: 400,
    category: 'client',
  },
  FLOWCARD_ERR_OPERATOR_REQUIRED: {
    message:
      'Only the deployment operator may {action} (the operator: {who}); a workspace admin publishes to their own workspace with scope=workspace',
    status: 403,
    category: 'client',
  },
  FLOWCARD_ERR_ROUTE_NOT_FOUND: { message: 'No route {method} {url}', status: 404, category: 'client' },
  FLOWCARD_ERR_CONNECTOR_NOT_FOUND: {
    message: 'No connector named "{name}" is installed',
    status: 404,
    category: 'client',
  },
  FLOWCARD_ERR_CARD_NOT_FOUND: {
    message: 'Connector "{connector}" has no card "{card}"',
    status: 404,
    category: 'client',
  },
  FLOWCARD_ERR_CARD_NOT_OPTIONS: {
    message: 'Card {card} does not list options: it has no "options" section',
    status: 400,
    category: 'client',
  },
  FLOWCARD_ERR_CONFIGURATION_NOT_FOUND: {
    message: 'No configuration {id} that you may use',
    status: 404,
    category: 'client',
  },
  FLOWCARD_ERR_BOOTSTRAP_CLOSED: {
    message: 'Bootstrap is closed: users already exist. Ask an owner or admin for an API key',
    status: 409,
    category: 'client',
  },
  FLOWCARD_ERR_BOOTSTRAP_LOCAL_ONLY: {
    message: 'Bootstrap is only accepted from localhost ({reason})',
    status: 403,
    category: 'client',
  },
  FLOWCARD_ERR_SERVICE_UNAVAILABLE: {
    message: '{what} is not available in this runtime yet',
    status: 503,
    category: 'server',
  },
  // Saved configurations (runtime/src/configurations).
  FLOWCARD_ERR_CONFIGURATION_KIND_NOT_FOUND: {
    message: 'Connector "{connector}" has no configuration kind "{kind}"; it has {kinds}',
    status: 400,
    category: 'client',
  },
  FLOWCARD_ERR_CONFIGURATION_ROLE_FORBIDDEN: {
    message: 'Only an {required} can create a {title} configuration',
    status: 403,
    category: 'client',
  },
  FLOWCARD_ERR_CONFIGURATION_TRANSFER_ROLE_FORBIDDEN: {
    message:
      'A {title} configuration can only be owned by an {required} or higher; the new owner is a {role}',
    status: 403,
    category: 'client',
  },
  FLOWCARD_ERR_CONFIGURATION_INVALID: {
    message: 'The configuration is invalid: {summary}',
    status: 400,
    category: 'client',
  },
  FLOWCARD_ERR_CONFIGURATION_TEST_FAILED: {
    message: 'The connection test ({card}) failed: {reason}',
    status: 422,
    category: 'client',
  },
  FLOWCARD_ERR_CONFIGURATION_CREDENTIALS_REFUSED: {
    message: 'The service refused these credentials ({reason}): {message}',
    status: 422,
    category: 'client',
  },
  FLOWCARD_ERR_CONFIGURATION_URL_NOT_SCIM: {
    message:
      'The instance URL {url} does not answer like a SCIM 2.0 service (nothing at {url}/ServiceProviderConfig): check the URL',
    status: 422,
    category: 'client',
  },
  FLOWCARD_ERR_CONFIGURATION_NICKNAME_BLANK: {
    message: 'The nickname must contain at least one visible character',
    status: 400,
    category: 'client',
  },
  FLOWCARD_ERR_CONFIGURATION_TEST_SKIP_FORBIDDEN: {
    message: 'Only an admin can save a configuration without its connection test (?test=false)',
    status: 403,
    category: 'client',
  },
  FLOWCARD_ERR_CONFIGURATION_MANAGE_FORBIDDEN: {
    message: 'Only the owner of this configuration or a workspace admin can {action} it',
    status: 403,
    category: 'client',
  },
  FLOWCARD_ERR_REMOVAL_NOT_CONFIRMED: {
    message:
      'This removal reaches {summary}: the details list them. Repeat it with ?confirm=true once everyone concerned agrees',
    status: 409,
    category: 'client',
  },
  FLOWCARD_ERR_CONFIGURATION_NOT_MEMBER: {
    message: 'User {userId} is not a member of this workspace',
    status: 400,
    category: 'client',
  },
  // Connect Meta (runtime/src/connect-meta): the seven user-facing messages of docs/architecture.md §5, verbatim.
  FLOWCARD_ERR_META_STATE_INVALID: {
    message: 'Security check failed. Please try connecting again.',
    status: 400,
    category: 'client',
    whatToDo:
      'Click Try again to start a new connection, and finish it in the same browser tab without reusing an old Facebook link.',
  },
  FLOWCARD_ERR_META_STATE_EXPIRED: {
    message: 'The connection link expired.',
    status: 400,
    category: 'client',
    whatToDo: 'Click Try again and finish the Facebook dialog within 10 minutes.',
  },
  FLOWCARD_ERR_META_SESSION_CHANGED: {
    message: 'Your session changed during the connection.',
    status: 403,
    category: 'client',
    whatToDo:
      'Sign in to Flowcard as the person who started the connection, in the same browser, then click Try again.',
  },
  FLOWCARD_ERR_META_PERMISSIONS_DECLINED: {
    message: 'You declined the permissions Facebook requested.',
    status: 400,
    category: 'client',
    whatToDo:
      'Click Try again and allow every permission Facebook asks for: Flowcard needs all of them to work with your Pages.',
  },
  FLOWCARD_ERR_META_NO_PAGES: {
    message: "Your Facebook account doesn't manage any Pages yet.",
    status: 400,
    category: 'client',
    whatToDo:
      'Create a Facebook Page, or ask a Page admin to give your Facebook account a role on one, then click Try again.',
  },
  FLOWCARD_ERR_META_UNAVAILABLE: {
    message: 'Facebook is temporarily unavailable.',
    status: 503,
    category: 'server',
    whatToDo: 'Wait a few minutes, then click Try again.',
  },
  FLOWCARD_ERR_META_ROLE_FORBIDDEN: {
    message: "Your role doesn't allow connecting Meta accounts.",
    status: 403,
    category: 'client',
    whatToDo: 'Ask an owner or admin of your workspace to connect Meta, or to make you an admin.',
  },
  FLOWCARD_ERR_META_REFUSED: {
    message:
      'Facebook refused the connection (Graph error {code}). Check the Meta app settings and try again.',
    status: 502,
    category: 'server',
    whatToDo: 'Check the Meta app settings (App ID and App Secret) under Settings, then click Try again.',
  },
  FLOWCARD_ERR_META_CONNECTOR_INVALID: {
    message: 'Connector "{connector}" is not connected with Meta; use one of {connectors}',
    status: 400,
    category: 'client',
  },
  FLOWCARD_ERR_META_GRANT_NOT_FOUND: {
    message: 'No Meta connection of Facebook user {metaUserId} in this workspace',
    status: 404,
    category: 'client',
  },
  FLOWCARD_ERR_META_APP_REJECTED: {
    message: 'Meta did not accept app {appId} with this app secret (Graph error {code})',
    status: 400,
    category: 'client',
  },
  FLOWCARD_ERR_NOTIFICATION_NOT_FOUND: {
    message: 'No unread notification {id} of yours',
    status: 404,
    category: 'client',
  },
  FLOWCARD_ERR_FLOW_RUN_INPUT_INVALID: {
    message: "The input does not match the flow's Run now form: {errors}",
    status: 422,
    category: 'client',
  },
  FLOWCARD_ERR_FLOW_MANAGE_FORBIDDEN: {
    message: 'Only the owner of this flow or a workspace admin can {action} it',
    status: 403,
    category: 'client',
  },
  // Blocked runs (runtime/src/connections): trigger items that wait for a reconnect.
  FLOWCARD_ERR_RUN_BLOCKED: {
    message: 'Not run yet: {why}. It waits here; replay it once the flow is reconnected',
    status: 409,
    category: 'client',
  },
  FLOWCARD_ERR_RUN_NOT_BLOCKED: {
    message: 'Run {runId} is {status}, not blocked: only blocked runs are replayed',
    status: 409,
    category: 'client',
  },
  FLOWCARD_ERR_RUN_STILL_BLOCKED: {
    message: 'Run {runId} cannot be replayed yet: {why}. Reconnect first, then replay it',
    status: 409,
    category: 'client',
  },
  FLOWCARD_ERR_WEBHOOK_SIGNATURE_INVALID: {
    message: "The delivery is not signed by this deployment's Meta app: {reason}",
    status: 403,
    category: 'client',
  },
  FLOWCARD_ERR_WEBHOOK_HANDSHAKE_REFUSED: {
    message: 'The webhook subscription handshake was refused: {reason}',
    status: 403,
    category: 'client',
  },
  // Incoming webhooks of core/webhook flows (runtime/src/http/routes/hooks-routes.ts).
  FLOWCARD_ERR_HOOK_NOT_FOUND: {
    message:
      'No enabled flow listens on this webhook URL: it is unknown, was rotated, or its flow is disabled',
    status: 404,
    category: 'client',
  },
  FLOWCARD_ERR_HOOK_SIGNATURE_INVALID: {
    message: "The delivery is not signed with this flow's webhook secret: {reason}",
    status: 401,
    category: 'client',
  },
  FLOWCARD_ERR_HOOK_BODY_TOO_LARGE: {
    message: "The delivery's body is larger than {limit} bytes, the most a webhook accepts",
    status: 413,
    category: 'client',
  },
  FLOWCARD_ERR_FLOW_NOT_WEBHOOK: {
    message:
      'Flow {flowId} is not started by an incoming webhook (its trigger is {card}); only core/webhook flows have a webhook URL',
    status: 409,
    category: 'client',
  },
  // People and sign-in (runtime/src/people).
  FLOWCARD_ERR_SESSION_EXPIRED: {
    message: 'Your session has ended; please sign in again',
    status: 401,
    category: 'client',
  },
  FLOWCARD_ERR_CSRF_INVALID: {
    message:
      'The x-csrf-token header is missing or does not match your session; send the csrfToken from sign-in or GET /v1/me',
    status: 403,
    category: 'client',
  },
  FLOWCARD_ERR_SETUP_DONE: {
    message: 'Flowcard is already set up; sign in, or ask an owner or admin for an invite',
    status: 409,
    category: 'client',
  },
  FLOWCARD_ERR_SIGN_IN_FAILED: { message: 'Wrong email or password', status: 401, category: 'client' },
  FLOWCARD_ERR_SIGN_IN_RATE_LIMITED: {
    message: 'Too many sign-in attempts; try again in {seconds} seconds',
    status: 429,
    category: 'client',
  },
  FLOWCARD_ERR_SIGN_IN_NO_WORKSPACE: {
    message: 'You are no longer a member of any workspace; ask an owner or admin for a new invite',
    status: 403,
    category: 'client',
  },
  FLOWCARD_ERR_API_KEY_NOT_FOUND: {
    message: 'No API key {id} of yours that is still active',
    status: 404,
    category: 'client',
  },
  FLOWCARD_ERR_MEMBER_NOT_FOUND: {
    message: 'No member {userId} in this workspace',
    status: 404,
    category: 'client',
  },
  FLOWCARD_ERR_LAST_OWNER: {
    message: 'The workspace needs at least one owner; make someone else an owner first',
    status: 409,
    category: 'client',
  },
  FLOWCARD_ERR_OWNER_ROLE_FORBIDDEN: {
    message: "Only an owner can make someone an owner or change an owner's role",
    status: 403,
    category: 'client',
  },
  FLOWCARD_ERR_MEMBER_OWNS_ITEMS: {
    message:
      '{name} owns {configurations} configuration(s) and {flows} flow(s); choose a member to transfer them to (transferTo)',
    status: 409,
    category: 'client',
  },
  FLOWCARD_ERR_TRANSFER_TARGET_INVALID: {
    message: 'transferTo must be another member of this workspace, not {userId}',
    status: 400,
    category: 'client',
  },
  FLOWCARD_ERR_TEAM_INVITE_NOT_FOUND: {
    message: 'No pending invite {id} in this workspace',
    status: 404,
    category: 'client',
  },
  FLOWCARD_ERR_INVITE_NOT_FOUND: {
    message: 'This invite link is not valid; check that you copied all of it',
    status: 404,
    category: 'client',
  },
  FLOWCARD_ERR_INVITE_EXPIRED: {
    message: 'This invite expired on {expiresAt}; ask an owner or admin for a new one',
    status: 410,
    category: 'client',
  },
  FLOWCARD_ERR_INVITE_USED: {
    message: 'This invite has already been used; sign in, or ask an owner or admin for a new one',
    status: 410,
    category: 'client',
  },
  FLOWCARD_ERR_INVITE_REVOKED: {
    message: 'This invite was withdrawn; ask an owner or admin for a new one',
    status: 410,
    category: 'client',
  },
  FLOWCARD_ERR_INVITE_ACCOUNT_EXISTS: {
    message: "{email} already has a Flowcard account; enter that account's password to join",
    status: 401,
    category: 'client',
  },
  FLOWCARD_ERR_INVITE_ALREADY_MEMBER: {
    message: '{email} is already a member of this workspace',
    status: 409,
    category: 'client',
  },
  FLOWCARD_ERR_INTERNAL: {
    message: 'Something went wrong on our side (request {requestId})',
    status: 500,
    category: 'server',
  },
});
