import { useCallback, useEffect, useState, type ReactElement } from 'react';
import { api } from '../../api/api-client';
import { formatDate } from '../../app/format';
import { navigate } from '../../app/router';
import { useSession } from '../../app/session-context';
import { useApi } from '../../app/use-api';
import { useSubmit } from '../../app/use-submit';
import { Dialog } from '../../components/Dialog';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Link } from '../../components/Link';
import { Loading } from '../../components/Loading';
import { cardTitle } from '../../flow-canvas/card-titles';
import {
  RUN_STATUS_BADGE,
  RUN_STATUS_LABEL,
  type FlowView,
  type RunView,
} from '../../flow-canvas/flow-types';
import './flows.css';

interface MemberName {
  id: string;
  name: string;
  email: string;
}

/**
 * The flows of the workspace: name, trigger, enabled, last run, owner; create (opens a draft in the
 * editor: a flow is stored on its first save, once it has a trigger and a step), duplicate, rename,
 * delete (confirmed), enable/disable and run now.
 */
export default function FlowsPage(): ReactElement {
  const session = useSession();
  const flows = useApi<{ flows: FlowView[] }>('/v1/flows?limit=500');
  const [lastRuns, setLastRuns] = useState<Record<string, RunView | null>>({});
  const [members, setMembers] = useState<MemberName[]>();
  const [renaming, setRenaming] = useState<FlowView>();
  const [deleting, setDeleting] = useState<FlowView>();
  const [creating, setCreating] = useState(false);
  const [message, setMessage] = useState<{ text: string; runId?: string }>();
  const action = useSubmit();

  const loadLastRuns = useCallback(async (list: FlowView[]) => {
    const entries = await Promise.all(
      list.map(async (flow) => {
        const answer = await api<{ runs: RunView[] }>('GET', `/v1/flows/${flow.id}/runs?limit=1`).catch(
          () => ({ runs: [] }),
        );
        return [flow.id, answer.runs[0] ?? null] as const;
      }),
    );
    setLastRuns(Object.fromEntries(entries));
  }, []);

  useEffect(() => {
    if (flows.data) void loadLastRuns(flows.data.flows);
  }, [flows.data, loadLastRuns]);

  useEffect(() => {
    api<{ members: MemberName[] }>('GET', '/v1/team/members')
      .then((answer) => setMembers(answer.members))
      .catch(() => setMembers([]));
  }, []);

  const ownerName = (ownerId: string): string => {
    if (ownerId === session.me.user.id) return 'You';
    const member = members?.find((candidate) => candidate.id === ownerId);
    return member ? member.name || member.email : 'Another member';
  };

  const mayManage = (flow: FlowView): boolean => session.isAdmin || flow.ownerId === session.me.user.id;

  const act = (flow: FlowView, label: string, work: () => Promise<string | void>, runId?: boolean) =>
    void action.run(async () => {
      const result = await work();
      setMessage({
        text: `${label}: ${flow.name}`,
        runId: runId && typeof result === 'string' ? result : undefined,
      });
      await flows.reload();
    });

  const toggle = (flow: FlowView): void =>
    act(flow, flow.enabled ? 'Disabled' : 'Enabled', async () => {
      await api('POST', `/v1/flows/${flow.id}/${flow.enabled ? 'disable' : 'enable'}`);
    });

  const runNow = (flow: FlowView): void =>
    act(
      flow,
      'Run started',
      async () => (await api<{ runId: string }>('POST', `/v1/flows/${flow.id}/run`, {})).runId,
      true,
    );

  const duplicate = (flow: FlowView): void =>
    act(flow, 'Duplicated', async () => {
      const copy = { ...flow.spec, name: copyName(flow.name, flows.data?.flows ?? []) };
      await api('POST', '/v1/flows', { spec: copy });
    });

  if (flows.loading && !flows.data) return <Loading />;
  const list = flows.data?.flows ?? [];
  return (
    <section className="flows-page">
      <div className="section-head">
        <h1>Flows</h1>
        <button type="button" className="button button-primary" onClick={() => setCreating(true)}>
          New flow
        </button>
      </div>
      <ErrorNotice error={flows.error} />
      <ErrorNotice error={action.error} />
      {message && (
        <div className="notice notice-ok" role="status">
          <p>
            {message.text}
            {message.runId && (
              <>
                {' '}
                <Link to={`/runs/${message.runId}`}>Open the run</Link>
              </>
            )}
          </p>
        </div>
      )}
      {list.length === 0 ? (
        <div className="card">
          <p>No flows yet. A flow starts with a trigger card (a new lead, a schedule) and runs its steps.</p>
        </div>
      ) : (
        <div className="table-wrap">
          <table className="flows-table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Trigger</th>
                <th scope="col">Enabled</th>
                <th scope="col">Last run</th>
                <th scope="col">Owner</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.map((flow) => {
                const last = lastRuns[flow.id];
                const manage = mayManage(flow);
                return (
                  <tr key={flow.id} data-flow-id={flow.id}>
                    <td>
                      <Link to={`/flows/${flow.id}`}>{flow.name}</Link>
                    </td>
                    <td>{cardTitle(flow.spec.trigger.card)}</td>
                    <td>
                      <label className="switch">
                        <input
                          type="checkbox"
                          role="switch"
                          checked={flow.enabled}
                          disabled={!manage || action.busy}
                          onChange={() => toggle(flow)}
                          aria-label={`${flow.name} enabled`}
                        />
                        <span>{flow.enabled ? 'On' : 'Off'}</span>
                      </label>
                    </td>
                    <td>
                      {last === undefined ? (
                        '…'
                      ) : last === null ? (
                        <span className="hint">Never run</span>
                      ) : (
                        <Link to={`/runs/${last.id}`} className="last-run">
                          <span className={`badge ${RUN_STATUS_BADGE[last.status] ?? 'badge-muted'}`}>
                            {RUN_STATUS_LABEL[last.status] ?? last.status}
                          </span>{' '}
                          {formatDate(last.createdAt)}
                        </Link>
                      )}
                    </td>
                    <td>{ownerName(flow.ownerId)}</td>
                    <td className="row-actions">
                      <button
                        type="button"
                        className="button"
                        disabled={!manage}
                        onClick={() => runNow(flow)}
                      >
                        Run now
                      </button>
                      <button type="button" className="button" onClick={() => duplicate(flow)}>
                        Duplicate
                      </button>
                      <button
                        type="button"
                        className="button"
                        disabled={!manage}
                        onClick={() => setRenaming(flow)}
                        aria-label={`Rename ${flow.name}`}
                      >
                        Rename
                      </button>
                      <button
                        type="button"
                        className="button button-danger"
                        disabled={!manage}
                        onClick={() => setDeleting(flow)}
                        aria-label={`Delete ${flow.name}`}
                      >
                        Delete
                      </button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {creating && <CreateDialog onClose={() => setCreating(false)} />}
      {renaming && (
        <RenameDialog
          flow={renaming}
          onClose={() => setRenaming(undefined)}
          onDone={async (name) => {
            setRenaming(undefined);
            setMessage({ text: `Renamed to ${name}` });
            await flows.reload();
          }}
        />
      )}
      {deleting && (
        <DeleteDialog
          flow={deleting}
          onClose={() => setDeleting(undefined)}
          onDone={async () => {
            setMessage({ text: `Deleted: ${deleting.name}` });
            setDeleting(undefined);
            await flows.reload();
          }}
        />
      )}
    </section>
  );
}

function copyName(name: string, flows: readonly FlowView[]): string {
  const taken = new Set(flows.map((flow) => flow.name));
  for (let n = 1; ; n++) {
    const candidate = n === 1 ? `${name} (copy)` : `${name} (copy ${n})`;
    if (!taken.has(candidate)) return candidate.slice(0, 120);
  }
}

function CreateDialog(props: { onClose: () => void }): ReactElement {
  const [name, setName] = useState('');
  return (
    <Dialog title="New flow" onClose={props.onClose}>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          navigate(`/flows/new?name=${encodeURIComponent(name.trim() || 'Untitled flow')}`);
        }}
      >
        <div className="field">
          <label htmlFor="new-flow-name">Name</label>
          <input id="new-flow-name" value={name} maxLength={120} onChange={(e) => setName(e.target.value)} />
          <p className="hint">The flow is saved once it has a trigger and a step.</p>
        </div>
        <div className="actions">
          <button type="submit" className="button button-primary">
            Open the editor
          </button>
        </div>
      </form>
    </Dialog>
  );
}

function RenameDialog(props: {
  flow: FlowView;
  onClose: () => void;
  onDone: (name: string) => Promise<void>;
}): ReactElement {
  const [name, setName] = useState(props.flow.name);
  const submit = useSubmit();
  return (
    <Dialog title={`Rename ${props.flow.name}`} onClose={props.onClose}>
      <form
        onSubmit={submit.handler(async () => {
          await api('PUT', `/v1/flows/${props.flow.id}`, {
            spec: { ...props.flow.spec, name: name.trim() },
            expectedVersion: props.flow.version,
          });
          await props.onDone(name.trim());
        })}
      >
        <div className="field">
          <label htmlFor="rename-flow">Name</label>
          <input
            id="rename-flow"
            value={name}
            maxLength={120}
            required
            onChange={(e) => setName(e.target.value)}
            aria-invalid={submit.fieldError('/spec/name') || submit.fieldError('/name') ? true : undefined}
          />
        </div>
        <ErrorNotice error={submit.error}>
          {submit.error?.code === 'FLOWCARD_ERR_STORE_VERSION_CONFLICT' && (
            <p>Someone changed this flow meanwhile: close this dialog, the list shows the new version.</p>
          )}
        </ErrorNotice>
        <div className="actions">
          <button type="submit" className="button button-primary" disabled={submit.busy}>
            Rename
          </button>
        </div>
      </form>
    </Dialog>
  );
}

function DeleteDialog(props: {
  flow: FlowView;
  onClose: () => void;
  onDone: () => Promise<void>;
}): ReactElement {
  const submit = useSubmit();
  return (
    <Dialog title={`Delete ${props.flow.name}?`} onClose={props.onClose}>
      <p>
        The flow stops listening{props.flow.enabled ? ' (it is enabled now)' : ''} and is deleted. Its runs
        stay readable under Runs.
      </p>
      <ErrorNotice error={submit.error} />
      <div className="actions">
        <button type="button" className="button" onClick={props.onClose}>
          Keep it
        </button>
        <button
          type="button"
          className="button button-danger button-primary"
          disabled={submit.busy}
          onClick={() =>
            void submit.run(async () => {
              await api('DELETE', `/v1/flows/${props.flow.id}`);
              await props.onDone();
            })
          }
        >
          Delete the flow
        </button>
      </div>
    </Dialog>
  );
}
