/** Shapes of the API answers the Studio reads (see /docs for the full schemas). */

export type Role = 'owner' | 'admin' | 'member';

export interface Me {
  user: { id: string; name?: string; email?: string };
  workspace: { id: string; name: string };
  role: Role;
  auth?: 'session' | 'api-key';
  csrfToken?: string;
}

export interface SignedIn {
  user: { id: string; name: string; email: string };
  workspace: { id: string; name: string };
  role: Role;
  csrfToken: string;
}

export interface Member {
  id: string;
  name: string;
  email: string;
  role: Role;
  lastSeenAt: string | null;
  isYou: boolean;
}

export interface Invite {
  id: string;
  email: string;
  role: Role;
  createdAt: string;
  expiresAt: string;
  status: 'pending' | 'accepted' | 'expired' | 'revoked';
}

export interface ApiKey {
  id: string;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface Lifecycle {
  status: 'active' | 'deprecated' | 'sunset';
  notice: string;
  message?: string;
  deprecatedAt?: string;
  readOnlyAt?: string;
  sunsetAt?: string;
  replacedBy?: string;
}

export interface ConnectorSummary {
  name: string;
  title: string;
  description?: string;
  version?: string;
  major: number;
  lifecycle: Lifecycle;
  cardCount?: number;
}

export interface ConfigurationKind {
  key: string;
  title: string;
  description?: string;
  auth?: { kind: string; provider?: string; scopes?: string[] };
  requiresRole?: Role;
  schema: Record<string, unknown>;
  secretFields?: string[];
  testCard?: string;
}

export interface ConnectorDetail extends ConnectorSummary {
  configurations: ConfigurationKind[];
}

export type ConfigurationStatus = 'active' | 'expiring' | 'expired' | 'needs_reauth' | 'revoked';

export interface Configuration {
  id: string;
  connector: string;
  kind: string;
  nickname: string;
  ownerId: string;
  sharing: { mode: 'private' | 'workspace' | 'users'; userIds: string[] };
  values: Record<string, unknown>;
  status: ConfigurationStatus;
  expiresAt: string | null;
  dataAccessExpiresAt: string | null;
  grantedScopes: string[];
  consentAt: string | null;
  authorizedBy: string | null;
  externalIds: Record<string, string>;
  lastUsedAt: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
  /** Whether Meta still sends this Page's webhooks (null when no enabled flow listens through it). */
  subscription?: {
    status: 'subscribed' | 'resubscribed' | 'failing';
    field?: string;
    checkedAt?: string;
    detail?: string | null;
    failingSince?: string | null;
  } | null;
}

export interface Notification {
  id: string;
  kind: string;
  title: string;
  body: string;
  configurationId?: string | null;
  createdAt: string;
  readAt?: string | null;
}

export interface ConnectMessage {
  code: string;
  message: string;
  whatToDo: string;
}

export interface MetaApp {
  source: 'shared' | 'workspace';
  appId: string;
  appSecret?: { set: boolean };
}

export interface Flow {
  id: string;
  name?: string;
  spec?: {
    name?: string;
    steps?: Array<{ configurationId?: string }>;
    trigger?: { configurationId?: string };
  };
}
