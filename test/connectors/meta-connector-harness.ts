import { join } from 'node:path';
import type { JsonValue } from '@flowcard/sdk';
import { startMetaEmulator, type MetaEmulator } from '@flowcard/meta-emulator';
import {
  CardExecutor,
  HandlerSandbox,
  formatManifestProblem,
  loadConnector,
  type ExecuteCardResult,
  type LoadedCard,
  type LoadedConnector,
  type PollTriggerResult,
  type ResolvedConfiguration,
  type TriggerCursor,
  type TriggerRequestKind,
} from '@flowcard/engine';

export type MetaConnectorName = 'workplace' | 'facebook-pages' | 'facebook-leads';

/**
 * One connector, loaded by the real loader, run by the real executor over HTTP against an
 * in-process Meta emulator whose clock the executor shares (handlers that check times, like
 * schedule-post, see the emulator's "now").
 */
export interface MetaConnectorHarness {
  readonly emulator: MetaEmulator;
  readonly connector: LoadedConnector;
  card(key: string): LoadedCard;
  /** Runs an action card; `configuration` defaults to the connector's seeded configuration for the card's kind. */
  run(
    key: string,
    input?: Record<string, unknown>,
    configuration?: ResolvedConfiguration,
  ): Promise<ExecuteCardResult>;
  poll(
    key: string,
    input?: Record<string, unknown>,
    cursor?: TriggerCursor,
    configuration?: ResolvedConfiguration,
  ): Promise<PollTriggerResult>;
  triggerRequest(
    key: string,
    kind: TriggerRequestKind,
    input: Record<string, unknown>,
    event?: unknown,
    configuration?: ResolvedConfiguration,
  ): Promise<ExecuteCardResult>;
  /** The seeded configuration of a kind: `default` (Graph) or `scim`. */
  configuration(kind?: string): ResolvedConfiguration;
  /** A raw Graph GET, to check the emulator's state without going through the cards under test. */
  graphGet<T = Record<string, JsonValue>>(
    path: string,
    token: string,
    query?: Record<string, string>,
  ): Promise<T>;
  close(): Promise<void>;
}

export async function startMetaConnectorHarness(name: MetaConnectorName): Promise<MetaConnectorHarness> {
  const loaded = await loadConnector(join(__dirname, '..', '..', 'connectors', name));
  if (!loaded.connector)
    throw new Error(
      `connector ${name} did not load:\n${loaded.problems.map(formatManifestProblem).join('\n')}`,
    );
  const connector = loaded.connector;
  const emulator = await startMetaEmulator();
  // FLOWCARD_TEST_SANDBOX=all runs the connector's handlers in the handler sandbox, as a runtime with
  // FLOWCARD_SANDBOX=all does: the same suite then proves the shipped handlers work there too.
  const sandbox = process.env.FLOWCARD_TEST_SANDBOX === 'all' ? new HandlerSandbox() : undefined;
  const executor = new CardExecutor({
    clock: { now: () => emulator.control.now() },
    ...(sandbox ? { sandbox } : {}),
  });

  const card = (key: string): LoadedCard => {
    const found = connector.cards.get(key);
    if (!found) throw new Error(`${name} has no card ${key}`);
    return found;
  };
  const configuration = (kind = 'default'): ResolvedConfiguration =>
    seededConfiguration(name, kind, emulator);
  const configurationFor = (key: string, given?: ResolvedConfiguration): ResolvedConfiguration =>
    given ?? configuration(card(key).configurationKey);

  return {
    emulator,
    connector,
    card,
    configuration,
    run: (key, input = {}, given) =>
      executor.execute({ card: card(key), configuration: configurationFor(key, given), input }),
    poll: (key, input = {}, cursor, given) =>
      executor.pollTrigger(card(key), configurationFor(key, given), input, cursor),
    triggerRequest: (key, kind, input, event, given) =>
      executor.runTriggerRequest(card(key), kind, configurationFor(key, given), input, event),
    graphGet: async <T>(path: string, token: string, query: Record<string, string> = {}): Promise<T> => {
      const url = new URL(`${emulator.graphUrl}/v25.0${path}`);
      for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
      const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
      return (await response.json()) as T;
    },
    close: async () => {
      await sandbox?.close();
      await emulator.close();
    },
  };
}

/** The configuration a user would save for the emulator's seed data (the Bakery page for Pages and Lead Ads). */
function seededConfiguration(
  name: MetaConnectorName,
  kind: string,
  emulator: MetaEmulator,
): ResolvedConfiguration {
  const f = emulator.fixtures;
  if (name === 'workplace' && kind === 'scim') {
    return {
      id: 'scim',
      values: { connectionName: 'Emulated SCIM', instanceUrl: emulator.scimUrl },
      secrets: { accessToken: f.scim.token },
    };
  }
  if (name === 'workplace') {
    return {
      id: 'workplace',
      values: { graphBaseUrl: emulator.graphUrl, graphVersion: 'v25.0' },
      secrets: { accessToken: f.workplace.adminToken },
    };
  }
  const bakery = f.pages[0];
  return {
    id: `page-${bakery.id}`,
    values: {
      pageId: bakery.id,
      pageName: bakery.name,
      graphBaseUrl: emulator.graphUrl,
      graphVersion: 'v25.0',
    },
    secrets: { accessToken: bakery.accessToken, userAccessToken: f.user.accessToken },
  };
}
