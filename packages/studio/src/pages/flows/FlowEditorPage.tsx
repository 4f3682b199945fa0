import { useCallback, useEffect, useMemo, useRef, useState, type ReactElement } from 'react';
import { api } from '../../api/api-client';
import { ApiError } from '../../api/api-error';
import { formatDate } from '../../app/format';
import { navigate, useLocation } from '../../app/router';
import { useSession } from '../../app/session-context';
import { useApi } from '../../app/use-api';
import type { Configuration } from '../../api/api-types';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Link } from '../../components/Link';
import { Loading } from '../../components/Loading';
import { FlowCanvas } from '../../flow-canvas/FlowCanvas';
import { Palette } from '../../flow-canvas/Palette';
import {
  TRIGGER_NODE,
  draftFromSpec,
  findStep,
  insertStep,
  moveStep,
  placeProblem,
  removeNode,
  setTrigger,
  specFromDraft,
  stepNodeId,
  updateStep,
  updateTrigger,
  type Draft,
  type PlacedProblem,
} from '../../flow-canvas/flow-draft';
import { isCardStep, type CardView, type FlowView } from '../../flow-canvas/flow-types';
import { SidePanel, type PanelTarget, type Samples } from '../../flow-canvas/panel/SidePanel';
import { useCatalog } from '../../flow-canvas/use-catalog';
import { useUndoable } from '../../flow-canvas/use-history';
import './flows.css';

const isTyping = (target: EventTarget | null): boolean =>
  target instanceof HTMLElement &&
  (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));

/**
 * The flow editor: palette, canvas and the side panel of the selected card. `/flows/new?name=`
 * edits a draft that is created on its first save; `/flows/:id` loads the flow and saves with its
 * version, so a concurrent change is refused and offered for reload instead of overwritten.
 */
export default function FlowEditorPage(): ReactElement {
  const { pathname, search } = useLocation();
  const id = decodeURIComponent(pathname.split('/')[2] ?? '');
  const isNew = id === 'new';
  const session = useSession();
  const { catalog, error: catalogError } = useCatalog();
  const [flow, setFlow] = useState<FlowView>();
  const [loadError, setLoadError] = useState<ApiError>();
  const history = useUndoable<Draft>({
    name: search.get('name') ?? 'Untitled flow',
    trigger: null,
    steps: [],
  });
  const [saved, setSaved] = useState<Draft>();
  const [selected, setSelected] = useState<string | null>(null);
  const [insertIndex, setInsertIndex] = useState<number>();
  const [problems, setProblems] = useState<PlacedProblem[]>([]);
  const [saveError, setSaveError] = useState<ApiError>();
  const [conflict, setConflict] = useState<FlowView>();
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<{ text: string; runId?: string }>();
  const searchRef = useRef<HTMLInputElement>(null);
  const [samples, setSamples] = useState<Samples>({ steps: {} });
  const configurations = useApi<{ configurations: Configuration[] }>('/v1/configurations');
  const usableConnectors = useMemo(
    () =>
      new Set((configurations.data?.configurations ?? []).map((configuration) => configuration.connector)),
    [configurations.data],
  );
  const draft = history.present;

  const load = useCallback(async () => {
    if (isNew) return;
    try {
      const loaded = await api<FlowView>('GET', `/v1/flows/${encodeURIComponent(id)}`);
      const initial = draftFromSpec(loaded.spec);
      setFlow(loaded);
      history.reset(initial);
      setSaved(initial);
      setProblems([]);
      setConflict(undefined);
      setSaveError(undefined);
    } catch (error) {
      setLoadError(error as ApiError);
    }
    // history.reset is stable
  }, [id, isNew]);

  useEffect(() => {
    void load();
  }, [load]);

  const editable = isNew || !flow || session.isAdmin || flow.ownerId === session.me.user.id;
  const dirty = saved === undefined ? draft.trigger !== null || draft.steps.length > 0 : draft !== saved;

  const change = useCallback(
    (next: (current: Draft) => Draft, key?: string) => {
      history.set(next, key);
      setNotice(undefined);
    },
    [history],
  );

  const addCard = useCallback(
    (card: CardView, at?: number | 'trigger') => {
      if (card.kind === 'trigger' || at === 'trigger') {
        if (card.kind !== 'trigger') return;
        change((current) => setTrigger(current, card.ref));
        setSelected(TRIGGER_NODE);
        return;
      }
      const result = insertStep(draft, at ?? insertIndex ?? draft.steps.length, card.ref);
      change(() => result.draft);
      setInsertIndex(undefined);
      setSelected(stepNodeId(result.stepId));
    },
    [change, insertIndex, draft],
  );

  const deleteSelected = useCallback(() => {
    if (!selected || !editable) return;
    change((current) => removeNode(current, selected));
    setSelected(null);
  }, [selected, editable, change]);

  const save = useCallback(async () => {
    setBusy(true);
    setSaveError(undefined);
    setConflict(undefined);
    try {
      const spec = specFromDraft(draft);
      const answer = isNew
        ? await api<FlowView>('POST', '/v1/flows', { spec })
        : (
            await api<{ flow: FlowView }>('PUT', `/v1/flows/${encodeURIComponent(id)}`, {
              spec,
              expectedVersion: flow?.version,
            })
          ).flow;
      setFlow(answer);
      setSaved(draft);
      setProblems([]);
      setNotice({ text: `Saved (version ${answer.version}).` });
      if (isNew) navigate(`/flows/${answer.id}`, { replace: true });
    } catch (caught) {
      const error = caught instanceof ApiError ? caught : new ApiError(0, 'STUDIO_ERROR', String(caught));
      if (error.code === 'FLOWCARD_ERR_STORE_VERSION_CONFLICT') {
        const latest = await api<FlowView>('GET', `/v1/flows/${encodeURIComponent(id)}`).catch(
          () => undefined,
        );
        setConflict(latest);
      }
      const placed = error.problems.map((problem) => placeProblem(draft, problem.path, problem.message));
      setProblems(placed);
      setSaveError(error);
      const first = placed.find((problem) => problem.nodeId);
      if (first?.nodeId) setSelected(first.nodeId);
    } finally {
      setBusy(false);
    }
  }, [draft, flow?.version, id, isNew]);

  const toggleEnabled = async (): Promise<void> => {
    if (!flow) return;
    setBusy(true);
    setSaveError(undefined);
    try {
      const answer = await api<{ flow: FlowView; warnings?: Array<{ message?: string } | string> }>(
        'POST',
        `/v1/flows/${flow.id}/${flow.enabled ? 'disable' : 'enable'}`,
      );
      setFlow(answer.flow);
      setNotice({ text: answer.flow.enabled ? 'Enabled: the flow listens for its trigger.' : 'Disabled.' });
    } catch (error) {
      setSaveError(error as ApiError);
    } finally {
      setBusy(false);
    }
  };

  const runNow = async (): Promise<void> => {
    if (!flow) return;
    try {
      const answer = await api<{ runId: string }>('POST', `/v1/flows/${flow.id}/run`, {});
      setNotice({ text: 'Run started.', runId: answer.runId });
    } catch (error) {
      setSaveError(error as ApiError);
    }
  };

  useEffect(() => {
    const onKey = (event: KeyboardEvent): void => {
      const mod = event.ctrlKey || event.metaKey;
      if (mod && event.key.toLowerCase() === 's') {
        event.preventDefault();
        if (editable) void save();
        return;
      }
      if (isTyping(event.target)) return;
      if (mod && event.key.toLowerCase() === 'z') {
        event.preventDefault();
        if (event.shiftKey) history.redo();
        else history.undo();
      } else if (mod && event.key.toLowerCase() === 'y') {
        event.preventDefault();
        history.redo();
      } else if ((event.key === 'Delete' || event.key === 'Backspace') && selected) {
        event.preventDefault();
        deleteSelected();
      } else if (event.key === '/' && editable) {
        event.preventDefault();
        searchRef.current?.focus();
      } else if (event.key === 'Escape') setSelected(null);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [history, selected, deleteSelected, save, editable]);

  useEffect(() => {
    if (!dirty) return;
    const warn = (event: BeforeUnloadEvent): void => event.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty]);

  const problemsByNode = useMemo(() => {
    const counts = new Map<string, number>();
    for (const problem of problems)
      if (problem.nodeId) counts.set(problem.nodeId, (counts.get(problem.nodeId) ?? 0) + 1);
    return counts;
  }, [problems]);

  const target = useMemo((): PanelTarget | undefined => {
    if (selected === TRIGGER_NODE && draft.trigger)
      return {
        nodeId: TRIGGER_NODE,
        cardRef: draft.trigger.card,
        configurationId: draft.trigger.configurationId,
        input: draft.trigger.input ?? {},
        stepIndex: null,
      };
    const found = selected?.startsWith('step:') ? findStep(draft, selected.slice(5)) : undefined;
    const step = found?.step;
    if (!step || !isCardStep(step)) return undefined;
    return {
      nodeId: stepNodeId(step.id),
      cardRef: step.card,
      configurationId: step.configurationId,
      input: step.input,
      condition: step.condition,
      stepIndex: found.topIndex,
    };
  }, [selected, draft]);

  const greyedOf = useCallback(
    (ref: string): string | undefined => {
      const connector = catalog?.connectorOf(ref);
      return connector?.lifecycle.status === 'sunset' ? connector.lifecycle.notice : undefined;
    },
    [catalog],
  );
  const onPlus = useCallback((index: number) => {
    setInsertIndex(index);
    searchRef.current?.focus();
  }, []);

  if (loadError)
    return (
      <section>
        <h1>Flow</h1>
        <ErrorNotice error={loadError} />
        <Link to="/flows">Back to the flows</Link>
      </section>
    );
  if ((!isNew && !flow) || (!catalog && !catalogError)) return <Loading />;
  if (!catalog)
    return (
      <section>
        <h1>Flow</h1>
        <ErrorNotice error={catalogError} />
      </section>
    );

  const stepProblems = problems.filter((problem) => problem.nodeId === target?.nodeId);
  const generalProblems = problems.filter((problem) => !problem.nodeId);
  const insertingAt = !draft.trigger
    ? 'The flow starts with a trigger.'
    : insertIndex !== undefined
      ? `Adding at position ${insertIndex + 1}.`
      : 'Click or drag a card; it is added last unless you drop it on an edge.';

  return (
    <div className="flow-editor">
      <div className="editor-bar">
        <Link to="/flows" className="back-link">
          ← Flows
        </Link>
        <label htmlFor="flow-name" className="visually-hidden">
          Flow name
        </label>
        <input
          id="flow-name"
          className="flow-name"
          value={draft.name}
          maxLength={120}
          disabled={!editable}
          aria-invalid={problems.some((p) => !p.nodeId && p.field[0] === 'name') || undefined}
          onChange={(event) => {
            const name = event.target.value;
            change((current) => ({ ...current, name }), 'name');
          }}
        />
        <span className="hint" aria-live="polite">
          {dirty ? 'Unsaved changes' : flow ? `Saved · version ${flow.version}` : ''}
        </span>
        <div className="editor-tools">
          <button
            type="button"
            className="button"
            onClick={history.undo}
            disabled={!history.canUndo}
            title="Undo (Ctrl+Z)"
          >
            Undo
          </button>
          <button
            type="button"
            className="button"
            onClick={history.redo}
            disabled={!history.canRedo}
            title="Redo (Ctrl+Shift+Z)"
          >
            Redo
          </button>
          {flow && (
            <>
              <Link to={`/runs?flow=${flow.id}`} className="button">
                Runs
              </Link>
              <button
                type="button"
                className="button"
                onClick={() => void runNow()}
                disabled={!editable || dirty}
              >
                Run now
              </button>
              <label className="switch">
                <input
                  type="checkbox"
                  role="switch"
                  checked={flow.enabled}
                  disabled={!editable || busy || dirty}
                  onChange={() => void toggleEnabled()}
                />
                <span>Enabled</span>
              </label>
            </>
          )}
          <button
            type="button"
            className="button button-primary"
            onClick={() => void save()}
            disabled={!editable || busy || !dirty}
            title="Save (Ctrl+S)"
          >
            {busy ? 'Saving…' : 'Save'}
          </button>
        </div>
      </div>
      <div className="editor-messages">
        {!editable && (
          <div className="notice notice-info">
            <p>Only the flow's owner or an admin can change it; you are reading it.</p>
          </div>
        )}
        {conflict ? (
          <div className="notice notice-warn" role="alert">
            <p>
              Someone else saved this flow while you were editing (version {conflict.version},{' '}
              {formatDate(conflict.updatedAt)}). Your changes are not saved.
            </p>
            <button type="button" className="button" onClick={() => void load()}>
              Reload their version
            </button>
          </div>
        ) : (
          <ErrorNotice error={saveError}>
            {generalProblems.length > 0 && (
              <ul>
                {generalProblems.map((problem, i) => (
                  <li key={i}>{problem.message}</li>
                ))}
              </ul>
            )}
            {problems.some((p) => p.nodeId) && (
              <p>The cards concerned are marked; select one to see its fields.</p>
            )}
          </ErrorNotice>
        )}
        {notice && (
          <div className="notice notice-ok" role="status">
            <p>
              {notice.text}
              {notice.runId && (
                <>
                  {' '}
                  <Link to={`/runs/${notice.runId}`}>Open the run</Link>
                </>
              )}
            </p>
          </div>
        )}
      </div>
      <div className="editor-body">
        {editable && (
          <Palette
            catalog={catalog}
            wantTrigger={!draft.trigger}
            insertingAt={insertingAt}
            usableConnectors={usableConnectors}
            onPick={(card) => addCard(card)}
            searchRef={searchRef}
          />
        )}
        <FlowCanvas
          draft={draft}
          cardOf={catalog.card}
          greyedOf={greyedOf}
          selected={selected}
          problemsByNode={problemsByNode}
          editable={editable}
          insertIndex={insertIndex}
          onSelect={setSelected}
          onPlus={onPlus}
          onDropCard={(ref, at) => {
            const card = catalog.card(ref);
            const connector = catalog.connectorOf(ref);
            const greyed = connector?.lifecycle.status === 'sunset' && !usableConnectors.has(connector.name);
            if (card && !greyed) addCard(card, at);
          }}
          onMove={(from, to) => change((current) => moveStep(current, from, to))}
        />
        {target && (
          <SidePanel
            key={target.nodeId}
            draft={draft}
            target={target}
            catalog={catalog}
            problems={stepProblems}
            editable={editable}
            onClose={() => setSelected(null)}
            samples={samples}
            onSample={(nodeId, output) =>
              setSamples((current) =>
                nodeId === TRIGGER_NODE
                  ? { ...current, trigger: output }
                  : { ...current, steps: { ...current.steps, [nodeId.slice(5)]: output } },
              )
            }
            onDelete={deleteSelected}
            onConfiguration={(configurationId) =>
              change((current) =>
                target.stepIndex === null
                  ? updateTrigger(current, { configurationId })
                  : updateStep(current, target.nodeId.slice(5), { configurationId }),
              )
            }
            onInput={(input, field) =>
              change(
                (current) =>
                  target.stepIndex === null
                    ? updateTrigger(current, { input })
                    : updateStep(current, target.nodeId.slice(5), { input }),
                field ? `${target.nodeId}:${field}` : undefined,
              )
            }
            onCondition={(condition) =>
              change(
                (current) => updateStep(current, target.nodeId.slice(5), { condition }),
                `${target.nodeId}:condition`,
              )
            }
          />
        )}
      </div>
    </div>
  );
}
