import { useEffect, useState } from 'react';
import { api } from '../api/api-client';
import type { ApiError } from '../api/api-error';
import type { CardView, ConnectorView } from './flow-types';

export interface Catalog {
  readonly connectors: readonly ConnectorView[];
  card(ref: string): CardView | undefined;
  connectorOf(ref: string): ConnectorView | undefined;
}

let pending: Promise<Catalog> | undefined;

async function loadCatalog(): Promise<Catalog> {
  const list = await api<{ connectors: Array<{ name: string; versions: Array<{ major: number }> }> }>(
    'GET',
    '/v1/catalog/connectors',
  );
  const details = await Promise.all(
    list.connectors.flatMap((connector) =>
      connector.versions.map((version) =>
        api<ConnectorView>(
          'GET',
          `/v1/catalog/connectors/${encodeURIComponent(connector.name)}?major=${version.major}`,
        ),
      ),
    ),
  );
  const cards = new Map<string, { card: CardView; connector: ConnectorView }>();
  for (const connector of details)
    for (const card of connector.cards) cards.set(card.ref, { card, connector });
  return {
    connectors: details,
    card: (ref) => cards.get(ref)?.card,
    connectorOf: (ref) => cards.get(ref)?.connector,
  };
}

/** The installed connectors with their cards (every major), loaded once per page load. */
export function useCatalog(): { catalog?: Catalog; error?: ApiError } {
  const [state, setState] = useState<{ catalog?: Catalog; error?: ApiError }>({});
  useEffect(() => {
    let live = true;
    pending ??= loadCatalog();
    pending.then(
      (catalog) => live && setState({ catalog }),
      (error: ApiError) => {
        pending = undefined;
        if (live) setState({ error });
      },
    );
    return () => {
      live = false;
    };
  }, []);
  return state;
}

/** Fuzzy match: every query character in order; a higher score for contiguous and word-start hits. */
export function fuzzyScore(query: string, text: string): number {
  const q = query.toLowerCase().replace(/\s+/g, '');
  if (!q) return 1;
  const t = text.toLowerCase();
  let score = 0;
  let at = 0;
  let previous = -2;
  for (const char of q) {
    const found = t.indexOf(char, at);
    if (found < 0) return 0;
    score += found === previous + 1 ? 3 : 1;
    if (found === 0 || /[\s\-/·]/.test(t[found - 1] ?? '')) score += 2;
    previous = found;
    at = found + 1;
  }
  return score;
}

const fullCards = new Map<string, Promise<CardView | undefined>>();

/** Cards with their examples (the connector listing leaves examples out), fetched once per ref. */
export function useFullCards(refs: readonly string[]): ReadonlyMap<string, CardView> {
  const [cards, setCards] = useState<ReadonlyMap<string, CardView>>(new Map());
  const key = [...new Set(refs)].sort().join(' ');
  useEffect(() => {
    let live = true;
    const wanted = key ? key.split(' ') : [];
    void Promise.all(
      wanted.map(async (ref) => {
        const parts = /^([^/]+)\/([^@]+)@(\d+)$/.exec(ref);
        if (!parts) return [ref, undefined] as const;
        let pending = fullCards.get(ref);
        if (!pending) {
          pending = api<CardView>(
            'GET',
            `/v1/catalog/connectors/${encodeURIComponent(parts[1]!)}/cards/${encodeURIComponent(parts[2]!)}?major=${parts[3]}`,
          ).catch(() => {
            fullCards.delete(ref);
            return undefined;
          });
          fullCards.set(ref, pending);
        }
        return [ref, await pending] as const;
      }),
    ).then((entries) => {
      if (!live) return;
      const map = new Map<string, CardView>();
      for (const [ref, card] of entries) if (card) map.set(ref, card);
      setCards(map);
    });
    return () => {
      live = false;
    };
  }, [key]);
  return cards;
}
