import { useState, type ReactElement } from 'react';
import { api } from '../../api/api-client';
import { useSubmit } from '../../app/use-submit';
import { Dialog } from '../../components/Dialog';
import { FormField } from '../../components/FormField';
import type { ConfigurationDialogProps } from './configuration-dialog-props';
import { fieldErrorsOf } from './field-errors-of';

/**
 * Rotate a token: paste the new one (the old one is never shown, only that it is set). The
 * connection test runs with the new token before it replaces the old; every flow uses it next step.
 */
export function RotateTokenDialog(props: ConfigurationDialogProps): ReactElement {
  const submit = useSubmit();
  const secretFields = Object.entries(props.configuration.values)
    .filter(([, value]) => typeof value === 'object' && value !== null && 'set' in value)
    .map(([field]) => field);
  const [field, setField] = useState(
    secretFields.includes('accessToken') ? 'accessToken' : (secretFields[0] ?? ''),
  );
  const [token, setToken] = useState('');
  const [rotated, setRotated] = useState(false);
  const errors = fieldErrorsOf(submit.error, secretFields);
  const save = submit.handler(async () => {
    await api('PATCH', `/v1/configurations/${encodeURIComponent(props.configuration.id)}`, {
      values: { [field]: token },
      expectedVersion: props.configuration.version,
    });
    setToken('');
    setRotated(true);
  });
  return (
    <Dialog title={`Rotate a token of ${props.configuration.nickname}`} onClose={props.onClose}>
      {rotated ? (
        <>
          <p className="notice notice-ok" role="status">
            Connection test passed with the new token; it replaced the old one. Flows use it from their next
            step.
          </p>
          <button type="button" className="button-primary" onClick={() => void props.onDone()}>
            Done
          </button>
        </>
      ) : (
        <form onSubmit={save} noValidate>
          {submit.error && !errors.shown ? (
            <p className="notice notice-error" role="alert">
              {submit.error.message}
            </p>
          ) : null}
          {secretFields.length > 1 ? (
            <div className="field">
              <label htmlFor="rotate-field">Field</label>
              <select id="rotate-field" value={field} onChange={(event) => setField(event.target.value)}>
                {secretFields.map((name) => (
                  <option key={name} value={name}>
                    {name} (set)
                  </option>
                ))}
              </select>
            </div>
          ) : (
            <p>{field}: set</p>
          )}
          <FormField
            label="New token"
            name="new-token"
            type="password"
            autoComplete="off"
            required
            value={token}
            onChange={(event) => setToken(event.target.value)}
            error={errors.errors[field]}
          />
          <div className="actions">
            <button type="submit" className="button-primary" disabled={submit.busy || token === ''}>
              {submit.busy ? 'Testing the connection…' : 'Test and replace'}
            </button>
            <button type="button" className="button-secondary" onClick={props.onClose}>
              Cancel
            </button>
          </div>
        </form>
      )}
    </Dialog>
  );
}
