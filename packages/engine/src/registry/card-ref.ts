/** A parsed `<connector>/<card>@<major>` reference; `major` is undefined for "newest". */
export interface CardRef {
  readonly connector: string;
  readonly card: string;
  readonly major?: number;
}

const CARD_REF = /^([a-z][a-z0-9]*(?:-[a-z0-9]+)*)\/([a-z][a-z0-9]*(?:-[a-z0-9]+)*)(?:@(0|[1-9]\d*))?$/;

/** Parses `connector/card@major` or `connector/card`; undefined when the text is neither. */
export function parseCardRef(ref: string): CardRef | undefined {
  const match = CARD_REF.exec(ref);
  if (!match) return undefined;
  return {
    connector: match[1],
    card: match[2],
    major: match[3] === undefined ? undefined : Number(match[3]),
  };
}
