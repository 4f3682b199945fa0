import type { ValidateFunction } from 'ajv';
import type { CardSpec, ConfigurationKindSpec, ConnectorManifestSpec } from '@flowcard/schemas';

/**
 * A connector after loading: manifest and cards validated, validators compiled once.
 * Produced by the loader, kept by the registry, consumed by the executor and the runtime.
 */
export interface LoadedConnector {
  readonly manifest: ConnectorManifestSpec;
  /** Absolute folder of the connector package (handlers resolve against it). */
  readonly dir: string;
  /** Major version, from manifest.version. Flows pin `<name>/<card>@<major>`. */
  readonly major: number;
  readonly cards: ReadonlyMap<string, LoadedCard>;
}

export interface LoadedCard {
  readonly spec: CardSpec;
  /** `<connector>/<card>@<major>` */
  readonly ref: string;
  readonly connector: LoadedConnector;
  /** The configuration kind this card uses (resolved: card.configuration or the only kind). */
  readonly configurationKey: string;
  readonly configurationKind: ConfigurationKindSpec;
  readonly validateInput: ValidateFunction;
  readonly validateOutput: ValidateFunction;
  /** Absolute path of the handler module, when the card has one. */
  readonly handlerPath?: string;
  /** Absolute path of a polling trigger's handler module (trigger.polling.handler), when it has one. */
  readonly pollingHandlerPath?: string;
}
