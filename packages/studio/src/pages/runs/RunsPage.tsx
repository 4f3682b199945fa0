import { useCallback, useEffect, useState, type ReactElement } from 'react';
import { api } from '../../api/api-client';
import type { ApiError } from '../../api/api-error';
import { formatDate } from '../../app/format';
import { navigate, useLocation } from '../../app/router';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Link } from '../../components/Link';
import {
  RUN_STATUS_BADGE,
  RUN_STATUS_LABEL,
  type FlowView,
  type RunView,
} from '../../flow-canvas/flow-types';
import '../flows/flows.css';

/** The statuses the runs API filters by today. */
const FILTERS = ['queued', 'running', 'succeeded', 'failed', 'filtered', 'waiting_for_reauth'] as const;
const POLL_MS = 3000;

/**
 * Runs of one flow (`?flow=`) or of every flow, newest first, filtered by status, refreshed every
 * few seconds while the page is visible (live runs appear the moment they start).
 */
export default function RunsPage(): ReactElement {
  const { search } = useLocation();
  const flowId = search.get('flow');
  const status = search.get('status') ?? '';
  const [flows, setFlows] = useState<FlowView[]>();
  const [runs, setRuns] = useState<RunView[]>();
  const [error, setError] = useState<ApiError>();

  const load = useCallback(async () => {
    try {
      const list = (await api<{ flows: FlowView[] }>('GET', '/v1/flows?limit=500')).flows;
      setFlows(list);
      const chosen = flowId ? list.filter((flow) => flow.id === flowId) : list;
      const query = `?limit=50${status ? `&status=${encodeURIComponent(status)}` : ''}`;
      const answers = await Promise.all(
        chosen.map((flow) => api<{ runs: RunView[] }>('GET', `/v1/flows/${flow.id}/runs${query}`)),
      );
      setRuns(
        answers
          .flatMap((answer) => answer.runs)
          .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
          .slice(0, 100),
      );
      setError(undefined);
    } catch (caught) {
      setError(caught as ApiError);
    }
  }, [flowId, status]);

  useEffect(() => {
    void load();
    const timer = window.setInterval(() => {
      if (document.visibilityState === 'visible') void load();
    }, POLL_MS);
    return () => window.clearInterval(timer);
  }, [load]);

  const setQuery = (key: string, value: string): void => {
    const next = new URLSearchParams(search);
    if (value) next.set(key, value);
    else next.delete(key);
    const text = next.toString();
    navigate(`/runs${text ? `?${text}` : ''}`, { replace: true });
  };
  const flowName = (id: string): string => flows?.find((flow) => flow.id === id)?.name ?? 'Deleted flow';

  return (
    <section className="runs-page">
      <h1>{flowId ? `Runs of ${flowName(flowId)}` : 'Runs'}</h1>
      <div className="filters">
        <div className="field">
          <label htmlFor="runs-flow">Flow</label>
          <select
            id="runs-flow"
            value={flowId ?? ''}
            onChange={(event) => setQuery('flow', event.target.value)}
          >
            <option value="">Every flow</option>
            {flows?.map((flow) => (
              <option key={flow.id} value={flow.id}>
                {flow.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="runs-status">Status</label>
          <select
            id="runs-status"
            value={status}
            onChange={(event) => setQuery('status', event.target.value)}
          >
            <option value="">Any status</option>
            {FILTERS.map((value) => (
              <option key={value} value={value}>
                {RUN_STATUS_LABEL[value]}
              </option>
            ))}
          </select>
        </div>
      </div>
      <ErrorNotice error={error} />
      {runs === undefined ? (
        <p className="loading">Loading…</p>
      ) : runs.length === 0 ? (
        <div className="card">
          <p>No runs{status ? ` with status “${RUN_STATUS_LABEL[status] ?? status}”` : ''} yet.</p>
        </div>
      ) : (
        <div className="table-wrap">
          <table aria-live="polite">
            <thead>
              <tr>
                <th scope="col">Started</th>
                <th scope="col">Flow</th>
                <th scope="col">Status</th>
                <th scope="col">Duration</th>
                <th scope="col">Problem</th>
              </tr>
            </thead>
            <tbody>
              {runs.map((run) => (
                <tr key={run.id} data-run-id={run.id}>
                  <td>
                    <Link to={`/runs/${run.id}`}>{formatDate(run.createdAt)}</Link>
                  </td>
                  <td>{flowName(run.flowId)}</td>
                  <td>
                    <span className={`badge ${RUN_STATUS_BADGE[run.status] ?? 'badge-muted'}`}>
                      {RUN_STATUS_LABEL[run.status] ?? run.status}
                    </span>
                  </td>
                  <td>{run.durationMs === null ? '…' : `${(run.durationMs / 1000).toFixed(1)} s`}</td>
                  <td>{run.error ? run.error.message : ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
