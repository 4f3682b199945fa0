import type { Configuration } from '@flowcard/engine';

/** A secret field as the API shows it: whether it holds a value, never the value. */
export interface SecretFieldView {
  readonly set: boolean;
}

/** A configuration as every route answers it. */
export interface ConfigurationView {
  readonly id: string;
  readonly connector: string;
  readonly kind: string;
  readonly nickname: string;
  readonly ownerId: string;
  readonly sharing: { readonly mode: string; readonly userIds: readonly string[] };
  readonly values: Readonly<Record<string, unknown>>;
  readonly status: string;
  readonly expiresAt: string | null;
  readonly dataAccessExpiresAt: string | null;
  readonly grantedScopes: readonly string[];
  readonly consentAt: string | null;
  readonly authorizedBy: string | null;
  readonly externalIds: Readonly<Record<string, string>>;
  readonly lastUsedAt: string | null;
  readonly version: number;
  readonly createdAt: string;
  readonly updatedAt: string;
  /**
   * The last check that Meta still sends this configuration's webhooks (Page `subscribed_apps`);
   * null when not checked (no enabled flow listens through it). Added by the service (`get`, `list`).
   */
  readonly subscription?: {
    readonly status: 'subscribed' | 'resubscribed' | 'failing';
    readonly field: string;
    readonly checkedAt: string;
    readonly detail: string | null;
    readonly failingSince: string | null;
  } | null;
}

/**
 * The one place a stored configuration becomes an answer. Secret fields are listed from the kind's
 * schema and shown as `{ set }` computed from the names alone: the sealed blob is never opened here.
 */
export function configurationView(
  configuration: Configuration,
  secretFields: readonly string[],
  setSecretFields: readonly string[],
): ConfigurationView {
  const values: Record<string, unknown> = { ...configuration.values };
  for (const field of secretFields)
    values[field] = { set: setSecretFields.includes(field) } satisfies SecretFieldView;
  return {
    id: configuration.id,
    connector: configuration.connector,
    kind: configuration.kind,
    nickname: configuration.nickname,
    ownerId: configuration.ownerId,
    sharing: { mode: configuration.sharing.mode, userIds: [...configuration.sharing.userIds] },
    values,
    status: configuration.status,
    expiresAt: iso(configuration.expiresAt),
    dataAccessExpiresAt: iso(configuration.dataAccessExpiresAt),
    grantedScopes: [...configuration.grantedScopes],
    consentAt: iso(configuration.consentAt),
    authorizedBy: configuration.authorizedBy,
    externalIds: { ...configuration.externalIds },
    lastUsedAt: iso(configuration.lastUsedAt),
    version: configuration.version,
    createdAt: configuration.createdAt.toISOString(),
    updatedAt: configuration.updatedAt.toISOString(),
  };
}

const iso = (date: Date | null): string | null => (date ? date.toISOString() : null);
