import { useCallback, useEffect, useMemo, useState, type ReactElement } from 'react';
import { api } from '../../api/api-client';
import type { ApiError } from '../../api/api-error';
import { formatDate } from '../../app/format';
import { navigate, useLocation } from '../../app/router';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Link } from '../../components/Link';
import { FlowCanvas } from '../../flow-canvas/FlowCanvas';
import { TRIGGER_NODE, allSteps, draftFromSpec, findStep, stepNodeId } from '../../flow-canvas/flow-draft';
import {
  isCardStep,
  RUN_STATUS_BADGE,
  RUN_STATUS_LABEL,
  type FlowView,
  type RunStepView,
  type RunView,
} from '../../flow-canvas/flow-types';
import { useCatalog } from '../../flow-canvas/use-catalog';
import '../flows/flows.css';

const FINAL = new Set(['succeeded', 'failed']);
const POLL_MS = 2000;
const NO_PROBLEMS: ReadonlyMap<string, number> = new Map();

const STEP_BADGE: Record<string, string> = {
  ...RUN_STATUS_BADGE,
  skipped: 'badge-muted',
  retrying: 'badge-warn',
};

/**
 * One run on the flow's canvas: each step's status; for the selected step every attempt with its
 * redacted input, output, error code and message, and timing. Polls until the run is final.
 * Failed: re-run from the failed step. Waiting for re-authorisation: a link to the configuration.
 */
export default function RunPage(): ReactElement {
  const { pathname } = useLocation();
  const runId = decodeURIComponent(pathname.split('/')[2] ?? '');
  const { catalog } = useCatalog();
  const [details, setDetails] = useState<{ run: RunView; steps: RunStepView[] }>();
  const [flow, setFlow] = useState<FlowView | null>();
  const [error, setError] = useState<ApiError>();
  const [selected, setSelected] = useState<string | null>(null);
  const [rerunError, setRerunError] = useState<ApiError>();

  const load = useCallback(async () => {
    try {
      const answer = await api<{ run: RunView; steps: RunStepView[] }>(
        'GET',
        `/v1/runs/${encodeURIComponent(runId)}`,
      );
      setDetails(answer);
      setError(undefined);
      return answer;
    } catch (caught) {
      setError(caught as ApiError);
      return undefined;
    }
  }, [runId]);

  useEffect(() => {
    let timer: number | undefined;
    let live = true;
    const tick = async (): Promise<void> => {
      const answer = await load();
      if (live && (!answer || !FINAL.has(answer.run.status)))
        timer = window.setTimeout(() => void tick(), POLL_MS);
    };
    void tick();
    return () => {
      live = false;
      window.clearTimeout(timer);
    };
  }, [load]);

  const flowId = details?.run.flowId;
  useEffect(() => {
    if (!flowId) return;
    api<FlowView>('GET', `/v1/flows/${encodeURIComponent(flowId)}`)
      .then(setFlow)
      .catch(() => setFlow(null));
  }, [flowId]);

  const draft = useMemo(() => (flow ? draftFromSpec(flow.spec) : undefined), [flow]);

  const latestByStep = useMemo(() => {
    const latest = new Map<string, RunStepView>();
    for (const step of details?.steps ?? []) {
      const seen = latest.get(step.stepId);
      if (!seen || step.attempt >= seen.attempt) latest.set(step.stepId, step);
    }
    return latest;
  }, [details]);

  const statusByNode = useMemo(() => {
    const map = new Map<string, { label: string; badge: string }>();
    if (details) map.set(TRIGGER_NODE, { label: 'Started the run', badge: 'badge-ok' });
    for (const [stepId, step] of latestByStep)
      map.set(stepNodeId(stepId), {
        label: RUN_STATUS_LABEL[step.status] ?? step.status,
        badge: STEP_BADGE[step.status] ?? 'badge-muted',
      });
    if (details?.run.status === 'waiting_for_reauth' && details.run.currentStepId)
      map.set(stepNodeId(details.run.currentStepId), {
        label: RUN_STATUS_LABEL.waiting_for_reauth!,
        badge: 'badge-warn',
      });
    return map;
  }, [latestByStep, details]);

  if (error && !details)
    return (
      <section>
        <h1>Run</h1>
        <ErrorNotice error={error} />
      </section>
    );
  if (!details) return <p className="loading">Loading…</p>;
  const { run } = details;
  const parkedStep =
    run.status === 'waiting_for_reauth' && draft && run.currentStepId
      ? findStep(draft, run.currentStepId)?.step
      : undefined;
  const parkedConfiguration =
    run.status === 'waiting_for_reauth'
      ? ((parkedStep && isCardStep(parkedStep) ? parkedStep.configurationId : undefined) ??
        (run.currentStepId ? undefined : draft?.trigger?.configurationId))
      : undefined;
  const selectedStepId = selected?.startsWith('step:') ? selected.slice(5) : null;
  const attempts = (details.steps ?? []).filter((step) => step.stepId === selectedStepId);

  return (
    <div className="run-view">
      <div className="editor-bar">
        <Link to={`/runs?flow=${run.flowId}`} className="back-link">
          ← Runs
        </Link>
        <h1>
          {flow?.name ?? 'Run'} · {formatDate(run.createdAt)}
        </h1>
        <span className={`badge ${RUN_STATUS_BADGE[run.status] ?? 'badge-muted'}`} data-testid="run-status">
          {RUN_STATUS_LABEL[run.status] ?? run.status}
        </span>
        <div className="editor-tools">
          {flow && (
            <Link to={`/flows/${flow.id}`} className="button">
              Open the flow
            </Link>
          )}
          {run.status === 'failed' && (
            <button
              type="button"
              className="button button-primary"
              onClick={() =>
                void api<{ runId: string }>('POST', `/v1/runs/${run.id}/rerun`)
                  .then((answer) => navigate(`/runs/${answer.runId}`))
                  .catch((caught: ApiError) => setRerunError(caught))
              }
            >
              Re-run from the failed step
            </button>
          )}
        </div>
      </div>
      <div className="editor-messages">
        <ErrorNotice error={rerunError} />
        {run.error && (
          <div className={`notice ${run.status === 'waiting_for_reauth' ? 'notice-warn' : 'notice-error'}`}>
            <p>
              <code>{run.error.code}</code> {run.error.message}
            </p>
          </div>
        )}
        {run.status === 'waiting_for_reauth' && (
          <div className="notice notice-warn" role="status">
            <p>
              Waiting for re-authorisation: the run continues by itself once the configuration is connected
              again.{' '}
              {parkedConfiguration ? (
                <Link to={`/settings/integrations?configuration=${encodeURIComponent(parkedConfiguration)}`}>
                  Reauthenticate the configuration
                </Link>
              ) : (
                <Link to="/settings/integrations">Open Integrations</Link>
              )}
            </p>
          </div>
        )}
        {flow && flow.version !== run.flowVersion && (
          <p className="hint">
            The flow changed since this run (run on version {run.flowVersion}, now {flow.version}); the canvas
            shows the current version.
          </p>
        )}
      </div>
      <div className="editor-body">
        {draft && catalog ? (
          <FlowCanvas
            draft={draft}
            cardOf={catalog.card}
            selected={selected}
            problemsByNode={NO_PROBLEMS}
            statusByNode={statusByNode}
            editable={false}
            onSelect={setSelected}
          />
        ) : (
          <div className="flow-canvas">
            {flow === null ? <p>The flow was deleted.</p> : <p className="loading">Loading…</p>}
          </div>
        )}
        <aside className="side-panel" aria-label="Run details">
          {selected === TRIGGER_NODE || !selectedStepId ? (
            <>
              <h2>Trigger output</h2>
              <JsonBlock value={run.triggerOutput} label="Trigger output" />
              <h3>Steps</h3>
              <ol className="run-steps">
                {(draft ? allSteps(draft.steps) : []).map((step) => {
                  const latest = latestByStep.get(step.id);
                  return (
                    <li key={step.id}>
                      <button
                        type="button"
                        className="button-plain"
                        onClick={() => setSelected(stepNodeId(step.id))}
                      >
                        {step.id}
                      </button>{' '}
                      <span
                        className={`badge ${latest ? (STEP_BADGE[latest.status] ?? 'badge-muted') : 'badge-muted'}`}
                      >
                        {latest ? (RUN_STATUS_LABEL[latest.status] ?? latest.status) : 'Not run'}
                      </span>
                    </li>
                  );
                })}
              </ol>
            </>
          ) : (
            <>
              <h2>Step {selectedStepId}</h2>
              {attempts.length === 0 && <p className="hint">This step has not run (yet) in this run.</p>}
              {attempts.map((attempt) => (
                <section key={attempt.id} className="attempt" aria-label={`Attempt ${attempt.attempt}`}>
                  <h3>
                    Attempt {attempt.attempt}{' '}
                    <span className={`badge ${STEP_BADGE[attempt.status] ?? 'badge-muted'}`}>
                      {RUN_STATUS_LABEL[attempt.status] ?? attempt.status}
                    </span>
                  </h3>
                  <p className="hint">
                    {formatDate(attempt.startedAt)} · {attempt.durationMs} ms
                  </p>
                  {attempt.error && (
                    <p className="field-error">
                      <code>{attempt.error.code}</code> {attempt.error.message}
                    </p>
                  )}
                  <h4>Input (secrets redacted)</h4>
                  <JsonBlock value={attempt.input} label="Input" />
                  <h4>Output</h4>
                  <JsonBlock value={attempt.output} label="Output" />
                </section>
              ))}
            </>
          )}
        </aside>
      </div>
    </div>
  );
}

function JsonBlock(props: { value: unknown; label: string }): ReactElement {
  if (props.value === undefined || props.value === null) return <p className="hint">—</p>;
  return (
    <pre className="json-block" tabIndex={0} aria-label={props.label}>
      {JSON.stringify(props.value, null, 2)}
    </pre>
  );
}
