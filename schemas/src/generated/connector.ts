/* generated — do not edit. Source: schemas/connector.schema.json; run `npm run generate`. */

/**
 * How credentials from the configuration are sent.
 *
 * This interface was referenced by `ConnectorManifestSpec`'s JSON-Schema
 * via the `definition` "auth".
 */
export type AuthSpec = BearerAuthSpec | OAuth2AuthSpec | BasicAuthSpec | NoAuthSpec;
/**
 * header: Authorization: Bearer <token> (default). query: access_token=<token>.
 *
 * This interface was referenced by `ConnectorManifestSpec`'s JSON-Schema
 * via the `definition` "tokenPlacement".
 */
export type TokenPlacement = 'header' | 'query';

/**
 * The manifest of a connector package (connector.json): identity, lifecycle, the kinds of saved configuration it accepts and how their credentials are sent. Cards live in cards/*.json beside it.
 */
export interface ConnectorManifestSpec {
  /**
   * Optional path or URL of this schema, for editors.
   */
  $schema?: string;
  /**
   * Unique connector name: lower-case words joined by dashes. Cards are referenced as <name>/<card>@<major>.
   */
  name: string;
  /**
   * Semantic version (major.minor.patch). A change that breaks a card's input or output needs a new major.
   */
  version: string;
  /**
   * Display name in the catalog.
   */
  title: string;
  /**
   * One or two sentences for the catalog.
   */
  description: string;
  /**
   * Documentation of the service.
   */
  homepage?: string;
  lifecycle: LifecycleSpec;
  /**
   * The kinds of saved configuration this connector accepts, by key. Most connectors have one, named "default"; a card names the kind it needs when there are several.
   */
  configurations: {
    [k: string]: ConfigurationKindSpec;
  };
}
/**
 * Where the connector's service stands. deprecated: still works, a replacement is advised. sunset: the service is read-only or gone; the catalog shows the message and dates.
 *
 * This interface was referenced by `ConnectorManifestSpec`'s JSON-Schema
 * via the `definition` "lifecycle".
 */
export interface LifecycleSpec {
  status: 'active' | 'deprecated' | 'sunset';
  /**
   * Plain words for users: what happened and what to do.
   */
  message?: string;
  /**
   * Date the connector was deprecated.
   */
  deprecatedAt?: string;
  /**
   * Date the service stopped accepting writes.
   */
  readOnlyAt?: string;
  /**
   * Date the service shuts (or shut) down.
   */
  sunsetAt?: string;
  /**
   * Name of a connector to use instead.
   */
  replacedBy?: string;
}
/**
 * One kind of saved configuration: its fields (JSON Schema, secret fields marked x-secret), how its credentials are sent, the base URL of requests, and who may create it.
 *
 * This interface was referenced by `ConnectorManifestSpec`'s JSON-Schema
 * via the `definition` "configurationKind".
 */
export interface ConfigurationKindSpec {
  title: string;
  description?: string;
  auth: AuthSpec;
  /**
   * Base URL of every request of cards using this kind; may use {{config.<field>}} templates (e.g. a configurable Graph host).
   */
  baseUrl: string;
  schema: ConfigurationSchemaSpec;
  /**
   * Lowest workspace role allowed to create a configuration of this kind.
   */
  requiresRole?: 'owner' | 'admin' | 'member';
  /**
   * Connection test run on save: the key of a card (of this connector, using this kind) that needs no input.
   */
  test?: {
    card: string;
  };
}
/**
 * A token pasted by an admin (e.g. a Workplace custom-integration token).
 *
 * This interface was referenced by `ConnectorManifestSpec`'s JSON-Schema
 * via the `definition` "bearerAuth".
 */
export interface BearerAuthSpec {
  kind: 'bearer';
  /**
   * Configuration field (x-secret) holding the token.
   */
  tokenField: string;
  placement?: TokenPlacement;
  appsecretProof?: AppsecretProofSpec;
}
/**
 * Send appsecret_proof = hex HMAC-SHA256(key = app secret, message = token) with every request when the secret field is set.
 *
 * This interface was referenced by `ConnectorManifestSpec`'s JSON-Schema
 * via the `definition` "appsecretProof".
 */
export interface AppsecretProofSpec {
  /**
   * Configuration field (x-secret) holding the app secret.
   */
  secretField: string;
}
/**
 * A token obtained through an OAuth consent (Connect Meta). The app id and secret come from the workspace's Meta app.
 *
 * This interface was referenced by `ConnectorManifestSpec`'s JSON-Schema
 * via the `definition` "oauth2Auth".
 */
export interface OAuth2AuthSpec {
  kind: 'oauth2';
  provider: 'meta';
  /**
   * Permissions requested at consent; all are required.
   *
   * @minItems 1
   */
  scopes: [string, ...string[]];
  /**
   * Configuration field (x-secret) holding the token.
   */
  tokenField: string;
  placement?: TokenPlacement;
  appsecretProof?: AppsecretProofSpec;
}
/**
 * This interface was referenced by `ConnectorManifestSpec`'s JSON-Schema
 * via the `definition` "basicAuth".
 */
export interface BasicAuthSpec {
  kind: 'basic';
  usernameField: string;
  /**
   * Configuration field (x-secret) holding the password.
   */
  passwordField: string;
}
/**
 * This interface was referenced by `ConnectorManifestSpec`'s JSON-Schema
 * via the `definition` "noAuth".
 */
export interface NoAuthSpec {
  kind: 'none';
}
/**
 * JSON Schema of a configuration's fields. Fields marked "x-secret": true are sealed at rest and never returned.
 *
 * This interface was referenced by `ConnectorManifestSpec`'s JSON-Schema
 * via the `definition` "configurationSchema".
 */
export interface ConfigurationSchemaSpec {
  type: 'object';
  properties: {
    [k: string]: ConfigurationFieldSpec;
  };
  required?: string[];
}
/**
 * This interface was referenced by `ConnectorManifestSpec`'s JSON-Schema
 * via the `definition` "configurationField".
 */
export interface ConfigurationFieldSpec {
  type: 'string' | 'number' | 'integer' | 'boolean';
  title?: string;
  description?: string;
  /**
   * Sealed at rest, write-only through the API.
   */
  'x-secret'?: boolean;
}
