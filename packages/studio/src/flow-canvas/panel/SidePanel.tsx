import { lazy, Suspense, useEffect, useRef, useState, type ReactElement } from 'react';
import { api } from '../../api/api-client';
import type { ApiError } from '../../api/api-error';
import { useApi } from '../../app/use-api';
import { Link } from '../../components/Link';
import { Loading } from '../../components/Loading';
import type { Configuration } from '../../api/api-types';
import { useFullCards, type Catalog } from '../use-catalog';
import { TRIGGER_NODE, type Draft } from '../flow-draft';
import { isCardStep, parseCardRef, type CardView } from '../flow-types';
import {
  FORM_ID_PREFIX,
  FORM_ID_SEPARATOR,
  getAt,
  outputFields,
  setAt,
  type DataField,
} from './schema-fields';

const InputForm = lazy(() => import('./InputForm'));

const STATUS_LABEL: Record<string, string> = {
  active: 'connected',
  expiring: 'expiring soon',
  expired: 'expired',
  needs_reauth: 'needs re-authorisation',
  revoked: 'revoked',
};

export interface PanelTarget {
  readonly nodeId: string;
  readonly cardRef: string;
  readonly configurationId: string;
  readonly input: Record<string, unknown>;
  readonly condition?: string;
  readonly stepIndex: number | null;
}

/**
 * The side panel of the selected card: its configuration (usable ones with status, connect,
 * reconnect), its input form from the card's schema, the insert-data picker and the condition.
 */
export function SidePanel(props: {
  draft: Draft;
  target: PanelTarget;
  catalog: Catalog;
  problems: ReadonlyArray<{ field: string[]; message: string }>;
  editable: boolean;
  onConfiguration(id: string): void;
  onInput(input: Record<string, unknown>, field?: string): void;
  onCondition(condition: string | undefined): void;
  onDelete(): void;
  onClose(): void;
  /** Outputs of the trigger sample and of tested steps: the data templates read in Test step. */
  samples: Samples;
  onSample(nodeId: string, output: unknown): void;
}): ReactElement {
  const { target, catalog } = props;
  const card = catalog.card(target.cardRef);
  const connector = catalog.connectorOf(target.cardRef);
  const parts = parseCardRef(target.cardRef);
  const lastField = useRef<{ id: string; start: number; end: number } | null>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => headingRef.current?.focus(), [target.nodeId]);

  const insertData = (field: DataField): void => {
    const focused = lastField.current;
    if (!focused) return;
    const path = focused.id.split(FORM_ID_SEPARATOR).slice(1);
    if (path[0] === FORM_ID_PREFIX) path.shift();
    const current = getAt(target.input, path);
    const text = typeof current === 'string' ? current : '';
    const start = Math.min(focused.start, text.length);
    const end = Math.min(focused.end, text.length);
    const next = text.slice(0, start) + field.template + text.slice(end);
    props.onInput(setAt(target.input, path, next), `${focused.id}:insert`);
    const caret = start + field.template.length;
    lastField.current = { id: focused.id, start: caret, end: caret };
    requestAnimationFrame(() => {
      const element = document.getElementById(focused.id) as HTMLInputElement | HTMLTextAreaElement | null;
      element?.focus();
      element?.setSelectionRange?.(caret, caret);
    });
  };

  const rememberCaret = (id: string): void => {
    const element = document.getElementById(id) as HTMLInputElement | HTMLTextAreaElement | null;
    lastField.current = {
      id,
      start: element?.selectionStart ?? Number.MAX_SAFE_INTEGER,
      end: element?.selectionEnd ?? Number.MAX_SAFE_INTEGER,
    };
  };

  const earlier = target.stepIndex === null ? [] : props.draft.steps.slice(0, target.stepIndex);
  const fullCards = useFullCards([
    ...(props.draft.trigger ? [props.draft.trigger.card] : []),
    ...earlier.filter(isCardStep).map((step) => step.card),
  ]);
  const available = dataBefore(
    props.draft,
    target.stepIndex,
    (ref) => fullCards.get(ref) ?? catalog.card(ref),
  );
  const panelProblems = props.problems.filter(
    (problem) => problem.field.length === 0 || !inForm(problem.field[0], card),
  );

  return (
    <aside className="side-panel" aria-labelledby="side-panel-title">
      <div className="side-panel-head">
        <h2 id="side-panel-title" tabIndex={-1} ref={headingRef}>
          {card?.title ?? target.cardRef}
        </h2>
        <button type="button" className="button-plain" onClick={props.onClose} aria-label="Close the panel">
          ×
        </button>
      </div>
      <p className="hint">
        {connector?.title ?? parts?.connector} ·{' '}
        {target.nodeId === TRIGGER_NODE ? 'trigger' : `step ${target.nodeId.slice(5)}`}
      </p>
      {card?.description && <p className="hint">{card.description}</p>}
      {connector && connector.lifecycle.status !== 'active' && (
        <div className={`notice ${connector.lifecycle.status === 'sunset' ? 'notice-error' : 'notice-warn'}`}>
          <p>{connector.lifecycle.notice}</p>
        </div>
      )}
      {panelProblems.length > 0 && (
        <div className="notice notice-error" role="alert">
          {panelProblems.map((problem, i) => (
            <p key={i}>{problem.message}</p>
          ))}
        </div>
      )}
      {!card ? (
        <p className="notice notice-error">This runtime has no card {target.cardRef}.</p>
      ) : (
        <>
          <ConfigurationPicker
            connector={parts?.connector ?? ''}
            kind={card.configuration}
            value={target.configurationId}
            onChange={props.onConfiguration}
            disabled={!props.editable}
            problem={props.problems.find((p) => p.field[0] === 'configurationId')?.message}
          />
          <h3>Input</h3>
          <Suspense fallback={<Loading />}>
            <InputForm
              card={card}
              optionsCardOf={(key) =>
                parts ? catalog.card(`${parts.connector}/${key}@${parts.major}`) : undefined
              }
              configurationId={target.configurationId}
              value={target.input}
              problems={props.problems.filter((problem) => inForm(problem.field[0], card))}
              onChange={(value, id) => {
                props.onInput(value, id);
                if (id) rememberCaret(id);
              }}
              onFocusField={rememberCaret}
            />
          </Suspense>
          {target.stepIndex !== null && (
            <DataPicker
              fields={available}
              onInsert={insertData}
              hasTarget={() => lastField.current !== null}
            />
          )}
          {props.editable && (
            <TestStep
              target={target}
              samples={props.samples}
              onSample={(output) => props.onSample(target.nodeId, output)}
            />
          )}
          {target.stepIndex !== null && (
            <ConditionField
              value={target.condition}
              onChange={props.onCondition}
              disabled={!props.editable}
            />
          )}
        </>
      )}
      {props.editable && (
        <div className="actions">
          <button type="button" className="button button-danger" onClick={props.onDelete}>
            Delete {target.nodeId === TRIGGER_NODE ? 'trigger' : 'step'}
          </button>
        </div>
      )}
    </aside>
  );
}

export interface Samples {
  readonly trigger?: unknown;
  readonly steps: Readonly<Record<string, unknown>>;
}

interface TestAnswer {
  ok: boolean;
  source?: 'run' | 'recent' | 'example';
  durationMs: number;
  output?: unknown;
  error?: { code: string; message: string; permission?: string };
}

/**
 * Test step (actions) / Load sample (triggers) through POST /v1/flows/test-step: the card runs once
 * with this input and configuration, templates filled from the samples so far; nothing is stored in
 * the run history. A good answer becomes this card's sample for the steps after it.
 */
function TestStep(props: {
  target: PanelTarget;
  samples: Samples;
  onSample: (output: unknown) => void;
}): ReactElement {
  const [state, setState] = useState<{ busy: boolean; answer?: TestAnswer; error?: ApiError }>({
    busy: false,
  });
  const trigger = props.target.stepIndex === null;
  const run = async (): Promise<void> => {
    setState({ busy: true });
    try {
      const answer = await api<TestAnswer>('POST', '/v1/flows/test-step', {
        card: props.target.cardRef,
        configurationId: props.target.configurationId,
        input: props.target.input,
        data: {
          trigger: { output: props.samples.trigger ?? {} },
          steps: Object.fromEntries(
            Object.entries(props.samples.steps).map(([id, output]) => [id, { output }]),
          ),
        },
      });
      setState({ busy: false, answer });
      if (answer.ok) props.onSample(answer.output);
    } catch (error) {
      setState({ busy: false, error: error as ApiError });
    }
  };
  const { answer } = state;
  return (
    <div className="test-step">
      <button
        type="button"
        className="button"
        disabled={state.busy || !props.target.configurationId}
        onClick={() => void run()}
        title={props.target.configurationId ? undefined : 'Choose a configuration first'}
      >
        {state.busy ? 'Running…' : trigger ? 'Load sample' : 'Test step'}
      </button>
      <div aria-live="polite">
        {state.error && <p className="field-error">{state.error.message}</p>}
        {answer?.ok && (
          <>
            <p className="notice notice-ok test-result">
              {answer.source === 'recent'
                ? 'A recent real item'
                : answer.source === 'example'
                  ? "No recent item: the card's example"
                  : `The step worked (${answer.durationMs} ms)`}
              ; later steps' data picker and tests use it.
            </p>
            <pre className="json-block" tabIndex={0} aria-label="Test output">
              {JSON.stringify(answer.output, null, 2)}
            </pre>
          </>
        )}
        {answer && !answer.ok && answer.error && (
          <div className="notice notice-error test-result">
            <p>
              The step failed: {answer.error.message} <code>{answer.error.code}</code>
            </p>
          </div>
        )}
      </div>
    </div>
  );
}

const inForm = (key: string | undefined, card: CardView | undefined): boolean =>
  !!key && !!card?.input.properties && key in card.input.properties;

/** Data of the trigger and of earlier steps that always run (a step with a condition may be skipped). */
function dataBefore(
  draft: Draft,
  stepIndex: number | null,
  cardOf: (ref: string) => CardView | undefined,
): Array<{ group: string; fields: DataField[] }> {
  if (stepIndex === null) return [];
  const groups: Array<{ group: string; fields: DataField[] }> = [];
  if (draft.trigger)
    groups.push({
      group: `Trigger: ${cardOf(draft.trigger.card)?.title ?? draft.trigger.card}`,
      fields: outputFields(cardOf(draft.trigger.card), 'trigger.output'),
    });
  draft.steps.slice(0, stepIndex).forEach((step) => {
    // A paths or for-each step's inner steps may not run: their data is not offered after them.
    if (!isCardStep(step) || step.condition) return;
    groups.push({
      group: `${step.id}: ${cardOf(step.card)?.title ?? step.card}`,
      fields: outputFields(cardOf(step.card), `steps.${step.id}.output`),
    });
  });
  return groups.filter((group) => group.fields.length > 0);
}

function DataPicker(props: {
  fields: Array<{ group: string; fields: DataField[] }>;
  onInsert: (field: DataField) => void;
  hasTarget: () => boolean;
}): ReactElement {
  const [open, setOpen] = useState(false);
  const [query, setQuery] = useState('');
  const [hint, setHint] = useState<string>();
  return (
    <div className="data-picker">
      <button
        type="button"
        className="button"
        aria-expanded={open}
        aria-controls="data-picker-list"
        onMouseDown={(event) => event.preventDefault()}
        onClick={() => setOpen(!open)}
      >
        Insert data
      </button>
      {open && (
        <div id="data-picker-list" className="data-picker-list">
          <p className="hint">Click a text field, then a value: it is inserted where the cursor is.</p>
          <label htmlFor="data-picker-search" className="visually-hidden">
            Search data
          </label>
          <input
            id="data-picker-search"
            type="search"
            placeholder="Search data"
            value={query}
            onChange={(event) => setQuery(event.target.value)}
          />
          {hint && (
            <p className="field-error" role="alert">
              {hint}
            </p>
          )}
          {props.fields.length === 0 && <p className="hint">No earlier data: add a trigger first.</p>}
          {props.fields.map((group) => {
            const shown = group.fields.filter((field) =>
              field.label.toLowerCase().includes(query.toLowerCase()),
            );
            if (!shown.length) return null;
            return (
              <section key={group.group} aria-label={group.group}>
                <h4>{group.group}</h4>
                <ul>
                  {shown.map((field) => (
                    <li key={field.template}>
                      <button
                        type="button"
                        className="data-chip"
                        onMouseDown={(event) => event.preventDefault()}
                        onClick={() => {
                          if (!props.hasTarget())
                            return setHint('Click the text field to insert into first.');
                          setHint(undefined);
                          props.onInsert(field);
                        }}
                        data-template={field.template}
                        title={`Insert ${field.template}`}
                      >
                        <span className="visually-hidden">Insert </span>
                        {field.label}
                        {field.type && <span className="hint"> {field.type}</span>}
                      </button>
                    </li>
                  ))}
                </ul>
              </section>
            );
          })}
        </div>
      )}
    </div>
  );
}

function ConfigurationPicker(props: {
  connector: string;
  kind?: string;
  value: string;
  disabled: boolean;
  problem?: string;
  onChange: (id: string) => void;
}): ReactElement {
  const list = useApi<{ configurations: Configuration[] }>(
    props.connector ? `/v1/configurations?connector=${encodeURIComponent(props.connector)}` : null,
  );
  const usable = (list.data?.configurations ?? []).filter((c) => !props.kind || c.kind === props.kind);
  const chosen = usable.find((c) => c.id === props.value);
  const here = `${window.location.pathname}${window.location.search}`;
  return (
    <div className="field configuration-picker">
      <label htmlFor="configuration-picker">Configuration</label>
      <div className="dynamic-options-row">
        <select
          id="configuration-picker"
          value={chosen ? props.value : props.value ? '__unknown' : ''}
          disabled={props.disabled || list.loading}
          aria-invalid={props.problem ? true : undefined}
          aria-describedby={props.problem ? 'configuration-picker-error' : undefined}
          onChange={(event) => props.onChange(event.target.value)}
        >
          <option value="">
            {list.loading ? 'Loading…' : usable.length ? 'Choose…' : 'None you may use yet'}
          </option>
          {props.value && !chosen && !list.loading && (
            <option value="__unknown" disabled>
              Not available to you ({props.value})
            </option>
          )}
          {usable.map((configuration) => (
            <option key={configuration.id} value={configuration.id}>
              {configuration.nickname} — {STATUS_LABEL[configuration.status] ?? configuration.status}
            </option>
          ))}
        </select>
        <button
          type="button"
          className="button button-plain"
          onClick={() => void list.reload()}
          aria-label="Refresh the configurations"
          title="Refresh the configurations"
        >
          ↻
        </button>
      </div>
      {props.problem && (
        <p id="configuration-picker-error" className="field-error">
          {props.problem}
        </p>
      )}
      {list.error && <p className="field-error">Could not list the configurations: {list.error.message}</p>}
      <p className="configuration-links">
        <a
          href={`/settings/integrations?connector=${encodeURIComponent(props.connector)}&return=${encodeURIComponent(here)}`}
          target="_blank"
          rel="noreferrer"
        >
          + Connect
        </a>
        {chosen && (chosen.status === 'needs_reauth' || chosen.status === 'expired') && (
          <>
            {' · '}
            <Link to={`/settings/integrations?configuration=${encodeURIComponent(chosen.id)}`}>
              Reconnect {chosen.nickname}
            </Link>
          </>
        )}
      </p>
    </div>
  );
}

function ConditionField(props: {
  value: string | undefined;
  disabled: boolean;
  onChange: (value: string | undefined) => void;
}): ReactElement {
  const [problem, setProblem] = useState<string>();
  const value = props.value ?? '';
  useEffect(() => {
    let live = true;
    if (!value.trim()) {
      setProblem(undefined);
      return;
    }
    void import('jsonata').then(({ default: jsonata }) => {
      if (!live) return;
      try {
        jsonata(value);
        setProblem(undefined);
      } catch (error) {
        const e = error as { message?: string; position?: number };
        setProblem(
          `${e.message ?? 'Not a JSONata expression'}${e.position !== undefined ? ` (at character ${e.position})` : ''}`,
        );
      }
    });
    return () => {
      live = false;
    };
  }, [value]);
  return (
    <div className="field">
      <label htmlFor="step-condition">Run only if (JSONata, optional)</label>
      <input
        id="step-condition"
        type="text"
        value={value}
        disabled={props.disabled}
        placeholder='e.g. trigger.output.fields.country = "NL"'
        aria-invalid={problem ? true : undefined}
        aria-describedby="step-condition-help"
        onChange={(event) => props.onChange(event.target.value || undefined)}
      />
      <p id="step-condition-help" className={problem ? 'field-error' : 'hint'} aria-live="polite">
        {problem ?? 'Reads trigger and steps; the step is skipped when it is false.'}
      </p>
    </div>
  );
}
