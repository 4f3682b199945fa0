import type Ajv from 'ajv';
import type { ValidateFunction } from 'ajv';
import type { CardSpec, ConfigurationKindSpec, ConnectorManifestSpec } from '@flowcard/schemas';
import type { ErrorCodeSpec } from '../errors/error-code';
import { createManifestProblem, type ManifestProblem } from './manifest-problem';

/** A card file that parsed and matched the card schema. */
export interface ParsedCard {
  readonly spec: CardSpec;
  /** File as shown in problems (`sample/cards/echo.json`). */
  readonly file: string;
  /** File name without `.json`: what the key must equal. */
  readonly fileKey: string;
}

export interface CompiledCardSchemas {
  readonly input?: ValidateFunction;
  readonly output?: ValidateFunction;
}

/** The configuration kind a card uses, by key. */
export interface ResolvedKind {
  readonly key: string;
  readonly kind: ConfigurationKindSpec;
}

/**
 * What the semantic checks of one connector share: the parsed files, one ajv instance for the
 * connector's own schemas (a fresh one per load, so a reloaded connector never collides with the
 * `$id`s of its previous version), and the problem list.
 */
export class ConnectorCheckContext {
  readonly problems: ManifestProblem[] = [];
  readonly compiled = new Map<ParsedCard, CompiledCardSchemas>();
  readonly kinds = new Map<ParsedCard, ResolvedKind>();

  constructor(
    /** Absolute folder holding connector.json, cards/ and handlers/. */
    readonly root: string,
    readonly manifestFile: string,
    /** Set only when connector.json matched the connector schema. */
    readonly manifest: ConnectorManifestSpec | undefined,
    readonly cards: readonly ParsedCard[],
    /** Keys of every card file that parsed, valid or not, so references to a broken card are not reported twice. */
    readonly knownKeys: ReadonlySet<string>,
    readonly ajv: Ajv,
  ) {}

  report(
    spec: ErrorCodeSpec,
    file: string,
    jsonPath: string,
    params: Record<string, unknown>,
    hint: string,
  ): void {
    this.problems.push(createManifestProblem(spec, { file, jsonPath }, params, hint));
  }

  card(key: string): ParsedCard | undefined {
    return this.cards.find((card) => card.spec.key === key);
  }
}
