import { useMemo, useState, type ReactElement } from 'react';
import type { Catalog } from './use-catalog';
import { fuzzyScore } from './use-catalog';
import type { CardView, ConnectorView } from './flow-types';

export const CARD_DRAG_TYPE = 'application/x-flowcard-card';

/**
 * The card palette: search (fuzzy over title, connector and description), cards grouped by
 * connector with its lifecycle. A sunset connector's cards are listed greyed with the reason and
 * cannot be added, unless the person may use a configuration of it (a sunset connector may keep
 * working against a compatible endpoint set in its configuration, like Workplace against an
 * archive or the emulator); they are then addable with the sunset notice shown. Each card is a button (Enter adds it where the editor is inserting) and can be
 * dragged onto the canvas or an edge.
 */
export function Palette(props: {
  catalog: Catalog;
  /** Trigger cards while the flow has no trigger, action cards otherwise. */
  wantTrigger: boolean;
  insertingAt: string;
  /** Connectors the person has a usable configuration of. */
  usableConnectors: ReadonlySet<string>;
  onPick: (card: CardView) => void;
  searchRef?: React.Ref<HTMLInputElement>;
}): ReactElement {
  const [query, setQuery] = useState('');
  const groups = useMemo(() => {
    const result: Array<{ connector: ConnectorView; cards: CardView[] }> = [];
    for (const connector of props.catalog.connectors) {
      const cards = connector.cards
        .filter((card) => (props.wantTrigger ? card.kind === 'trigger' : card.kind !== 'trigger'))
        .map((card) => ({
          card,
          score: fuzzyScore(
            query,
            `${card.title} ${connector.title} ${connector.name} ${card.description ?? ''}`,
          ),
        }))
        .filter((entry) => entry.score > 0)
        .sort((a, b) => b.score - a.score)
        .map((entry) => entry.card);
      if (cards.length) result.push({ connector, cards });
    }
    return result;
  }, [props.catalog, props.wantTrigger, query]);

  return (
    <aside className="palette" aria-label="Cards">
      <h2>{props.wantTrigger ? 'Choose a trigger' : 'Add a step'}</h2>
      <p className="hint palette-target">{props.insertingAt}</p>
      <label htmlFor="palette-search" className="visually-hidden">
        Search cards
      </label>
      <input
        id="palette-search"
        ref={props.searchRef}
        type="search"
        placeholder="Search cards"
        value={query}
        onChange={(event) => setQuery(event.target.value)}
      />
      {groups.length === 0 && <p className="hint">No card matches “{query}”.</p>}
      {groups.map(({ connector, cards }) => {
        const sunset = connector.lifecycle.status === 'sunset' && !props.usableConnectors.has(connector.name);
        return (
          <section
            key={`${connector.name}@${connector.major}`}
            className="palette-group"
            aria-label={connector.title}
          >
            <h3>
              <span className="connector-icon" aria-hidden="true">
                {connector.title.charAt(0)}
              </span>
              {connector.title}
              {props.catalog.connectors.filter((c) => c.name === connector.name).length > 1 &&
                ` ${connector.major}.x`}
              {connector.lifecycle.status !== 'active' && (
                <span className={`badge ${sunset ? 'badge-danger' : 'badge-warn'}`}>
                  {connector.lifecycle.status}
                </span>
              )}
            </h3>
            {connector.lifecycle.status !== 'active' && (
              <p className="hint">
                {connector.lifecycle.notice}
                {sunset &&
                  ' Its cards can be added once you have a configuration of it (a compatible endpoint).'}
              </p>
            )}
            <ul>
              {cards.map((card) => (
                <li key={card.ref}>
                  <button
                    type="button"
                    className="palette-card"
                    draggable={!sunset}
                    aria-disabled={sunset || undefined}
                    title={sunset ? connector.lifecycle.notice : card.description}
                    data-card-ref={card.ref}
                    onDragStart={(event) => {
                      if (sunset) return event.preventDefault();
                      event.dataTransfer.setData(CARD_DRAG_TYPE, card.ref);
                      event.dataTransfer.setData('text/plain', card.ref);
                      event.dataTransfer.effectAllowed = 'copy';
                    }}
                    onClick={() => !sunset && props.onPick(card)}
                  >
                    <span className="palette-card-title">{card.title}</span>
                    {sunset && (
                      <span className="visually-hidden">
                        {' '}
                        (cannot be added: {connector.lifecycle.notice})
                      </span>
                    )}
                  </button>
                </li>
              ))}
            </ul>
          </section>
        );
      })}
    </aside>
  );
}
