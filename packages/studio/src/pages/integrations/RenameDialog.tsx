import { useState, type ReactElement } from 'react';
import { api } from '../../api/api-client';
import { useSubmit } from '../../app/use-submit';
import { Dialog } from '../../components/Dialog';
import { FormErrorSummary } from '../../components/FormErrorSummary';
import { FormField } from '../../components/FormField';
import type { ConfigurationDialogProps } from './configuration-dialog-props';

/** Rename: a new nickname (flows keep working: they hold the configuration's id). */
export function RenameDialog(props: ConfigurationDialogProps): ReactElement {
  const submit = useSubmit();
  const [nickname, setNickname] = useState(props.configuration.nickname);
  const save = submit.handler(async () => {
    await api('PATCH', `/v1/configurations/${encodeURIComponent(props.configuration.id)}`, {
      nickname,
      expectedVersion: props.configuration.version,
    });
    await props.onDone();
  });
  return (
    <Dialog title={`Rename ${props.configuration.nickname}`} onClose={props.onClose}>
      <form onSubmit={save} noValidate>
        <FormErrorSummary submit={submit} fields={['/nickname']} />
        <FormField
          label="Nickname"
          name="nickname"
          required
          maxLength={120}
          value={nickname}
          onChange={(event) => setNickname(event.target.value)}
          error={submit.fieldError('/nickname')}
        />
        <div className="actions">
          <button type="submit" className="button-primary" disabled={submit.busy}>
            Save
          </button>
          <button type="button" className="button-secondary" onClick={props.onClose}>
            Cancel
          </button>
        </div>
      </form>
    </Dialog>
  );
}
