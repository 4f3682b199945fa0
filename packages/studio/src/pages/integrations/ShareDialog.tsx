import { useState, type ReactElement } from 'react';
import { api } from '../../api/api-client';
import { useSubmit } from '../../app/use-submit';
import { Dialog } from '../../components/Dialog';
import { ErrorNotice } from '../../components/ErrorNotice';
import type { ConfigurationDialogProps } from './configuration-dialog-props';

type Mode = 'private' | 'workspace' | 'users';

/**
 * Share: nobody else, the whole workspace, or people picked by name or email. Sharing lets them
 * use the configuration in flows; nobody can read its secrets.
 */
export function ShareDialog(props: ConfigurationDialogProps): ReactElement {
  const { configuration, data } = props;
  const submit = useSubmit();
  const [mode, setMode] = useState<Mode>(configuration.sharing.mode);
  const [userIds, setUserIds] = useState<string[]>(configuration.sharing.userIds);
  const [query, setQuery] = useState('');
  const candidates = data.members.filter((member) => member.id !== configuration.ownerId);
  const needle = query.trim().toLowerCase();
  const shown = candidates.filter(
    (member) =>
      userIds.includes(member.id) ||
      needle === '' ||
      member.name.toLowerCase().includes(needle) ||
      member.email.toLowerCase().includes(needle),
  );
  const toggle = (id: string): void =>
    setUserIds(userIds.includes(id) ? userIds.filter((other) => other !== id) : [...userIds, id]);
  const save = submit.handler(async () => {
    await api('PUT', `/v1/configurations/${encodeURIComponent(configuration.id)}/sharing`, {
      mode,
      userIds: mode === 'users' ? userIds : [],
    });
    await props.onDone();
  });
  const option = (value: Mode, label: string): ReactElement => (
    <label className="radio">
      <input
        type="radio"
        name="sharing-mode"
        value={value}
        checked={mode === value}
        onChange={() => setMode(value)}
      />{' '}
      {label}
    </label>
  );
  return (
    <Dialog title={`Share ${configuration.nickname}`} onClose={props.onClose}>
      <form onSubmit={save}>
        <p>People you share with can use it in their flows. Nobody but Flowcard ever reads its token.</p>
        <fieldset className="field">
          <legend>Who may use it</legend>
          {option('private', 'Only the owner')}
          {option('workspace', 'Everyone in the workspace')}
          {option('users', 'Selected people')}
        </fieldset>
        {mode === 'users' ? (
          <fieldset className="field">
            <legend>People</legend>
            <label htmlFor="share-search">Find by name or email</label>
            <input
              id="share-search"
              type="search"
              value={query}
              onChange={(event) => setQuery(event.target.value)}
            />
            {shown.map((member) => (
              <label key={member.id} className="radio">
                <input
                  type="checkbox"
                  checked={userIds.includes(member.id)}
                  onChange={() => toggle(member.id)}
                />{' '}
                {member.name} ({member.email})
              </label>
            ))}
            {shown.length === 0 ? <p className="hint">Nobody matches.</p> : null}
          </fieldset>
        ) : null}
        <ErrorNotice error={submit.error} />
        <div className="actions">
          <button type="submit" className="button-primary" disabled={submit.busy}>
            Save sharing
          </button>
          <button type="button" className="button-secondary" onClick={props.onClose}>
            Cancel
          </button>
        </div>
      </form>
    </Dialog>
  );
}
