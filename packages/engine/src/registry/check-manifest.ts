import type { AuthSpec, ConfigurationKindSpec } from '@flowcard/schemas';
import { manifestCodes } from '../errors/codes/manifest-codes';
import { parsePath } from '../templates/object-path';
import { findTemplateReferences } from '../templates/template-references';
import type { ConnectorCheckContext } from './connector-check-context';
import { jsonPointer } from './json-pointer';

/**
 * The checks of connector.json that its JSON Schema cannot express, per configuration kind: auth
 * fields name declared secret fields, the base URL's templates name declared fields, the
 * configuration schema compiles, the connection-test card exists and fits. Needs a manifest that
 * matched the schema; the test-card check also needs the cards (run after they are parsed).
 */
export function checkManifest(ctx: ConnectorCheckContext): void {
  const manifest = ctx.manifest;
  if (!manifest) return;
  for (const [key, kind] of Object.entries(manifest.configurations)) {
    const base = jsonPointer('/configurations', key);
    checkAuthFields(ctx, key, kind, base);
    checkBaseUrl(ctx, kind, base);
    checkConfigurationSchema(ctx, kind, base);
    checkTestCard(ctx, key, kind, base);
  }
}

/** [property, field name, must be secret] for every configuration field the auth section names. */
function authFields(auth: AuthSpec): Array<[string, string, boolean]> {
  switch (auth.kind) {
    case 'bearer':
    case 'oauth2': {
      const fields: Array<[string, string, boolean]> = [['tokenField', auth.tokenField, true]];
      if (auth.appsecretProof)
        fields.push(['appsecretProof/secretField', auth.appsecretProof.secretField, true]);
      return fields;
    }
    case 'basic':
      return [
        ['usernameField', auth.usernameField, false],
        ['passwordField', auth.passwordField, true],
      ];
    case 'none':
      return [];
  }
}

function checkAuthFields(
  ctx: ConnectorCheckContext,
  key: string,
  kind: ConfigurationKindSpec,
  base: string,
): void {
  const properties = `${base}/schema/properties`;
  for (const [property, field, secret] of authFields(kind.auth)) {
    const at = `${base}/auth/${property}`;
    const declared = kind.schema.properties[field];
    const name = property.replace('appsecretProof/', 'appsecretProof.');
    if (!declared) {
      const hint = `Declare "${field}" under ${properties}${secret ? ' with "x-secret": true' : ''}, or correct the name`;
      ctx.report(
        manifestCodes.FLOWCARD_ERR_MANIFEST_AUTH_FIELD,
        ctx.manifestFile,
        at,
        { property: name, field, reason: `is not a field of configuration kind "${key}"` },
        hint,
      );
    } else if (secret && declared['x-secret'] !== true) {
      const hint = `Add "x-secret": true to ${jsonPointer(properties, field)} so the credential is sealed at rest and never returned`;
      ctx.report(
        manifestCodes.FLOWCARD_ERR_MANIFEST_AUTH_FIELD,
        ctx.manifestFile,
        at,
        { property: name, field, reason: 'is not marked "x-secret": true' },
        hint,
      );
    }
  }
}

function checkBaseUrl(ctx: ConnectorCheckContext, kind: ConfigurationKindSpec, base: string): void {
  for (const reference of findTemplateReferences(kind.baseUrl)) {
    const [root, name] = parsePath(reference);
    const template = `{{${reference}}}`;
    const field = name === undefined ? undefined : kind.schema.properties[name];
    const reason =
      root !== 'config' || name === undefined
        ? 'is not a configuration field (a base URL can only use {{config.<field>}})'
        : !field
          ? `names field "${name}", which the configuration schema does not declare`
          : field['x-secret'] === true
            ? `reads secret field "${name}"`
            : undefined;
    if (!reason) continue;
    ctx.report(
      manifestCodes.FLOWCARD_ERR_MANIFEST_TEMPLATE,
      ctx.manifestFile,
      `${base}/baseUrl`,
      { template, reason },
      `Declare a non-secret field under ${base}/schema/properties and use it as {{config.<field>}}`,
    );
  }
}

function checkConfigurationSchema(
  ctx: ConnectorCheckContext,
  kind: ConfigurationKindSpec,
  base: string,
): void {
  try {
    ctx.ajv.compile(kind.schema);
  } catch (error) {
    ctx.report(
      manifestCodes.FLOWCARD_ERR_MANIFEST_SCHEMA_UNCOMPILABLE,
      ctx.manifestFile,
      `${base}/schema`,
      { reason: (error as Error).message },
      'Fix the JSON Schema (draft-07, strict: unknown keywords and formats are refused; Flowcard adds x-secret, x-options, x-order, x-multiline)',
    );
  }
}

function checkTestCard(
  ctx: ConnectorCheckContext,
  key: string,
  kind: ConfigurationKindSpec,
  base: string,
): void {
  const name = kind.test?.card;
  if (name === undefined) return;
  const at = `${base}/test/card`;
  const card = ctx.card(name);
  if (!card) {
    if (ctx.knownKeys.has(name)) return; // the card exists but is broken: reported on its own
    const hint = `Name one of this connector's cards: ${ctx.cards.map((c) => c.spec.key).join(', ') || '(none yet)'}`;
    ctx.report(
      manifestCodes.FLOWCARD_ERR_MANIFEST_TEST_CARD,
      ctx.manifestFile,
      at,
      { card: name, reason: 'does not exist' },
      hint,
    );
    return;
  }
  const cardKind = card.spec.configuration ?? key;
  const required = card.spec.input.required ?? [];
  const reason =
    cardKind !== key
      ? `uses configuration kind "${cardKind}", not "${key}"`
      : required.length > 0
        ? `needs input (${required.join(', ')}), but a connection test runs without input`
        : undefined;
  if (reason) {
    const hint =
      'Use a card of this configuration kind that needs no input, e.g. one that reads the current user or account';
    ctx.report(
      manifestCodes.FLOWCARD_ERR_MANIFEST_TEST_CARD,
      ctx.manifestFile,
      at,
      { card: name, reason },
      hint,
    );
  }
}
