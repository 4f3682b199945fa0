import { lazy, Suspense, useState, type ReactElement } from 'react';
import { api } from '../../api/api-client';
import type { Configuration, ConfigurationKind, ConnectorSummary } from '../../api/api-types';
import { useSubmit } from '../../app/use-submit';
import { Dialog } from '../../components/Dialog';
import { Loading } from '../../components/Loading';
import { fieldErrorsOf } from './field-errors-of';
import { WorkplaceTokenSteps } from './WorkplaceTokenSteps';

const SchemaForm = lazy(() => import('../../forms/SchemaForm'));

/** SCIM connections are named like the Workplace admin panel names them. */
const DEFAULT_NAMES: Record<string, string> = { scim: 'Connection-Bearer Token-1' };

/**
 * "+ Connect …": the nickname plus the kind's own fields, as a form generated from the schema the
 * API validates with. Saving runs the connection test; its result is shown in words.
 */
export function NewConfigurationDialog(props: {
  connector: ConnectorSummary;
  kind: ConfigurationKind;
  onClose: () => void;
  onCreated: () => Promise<void>;
}): ReactElement {
  const { connector, kind } = props;
  const submit = useSubmit();
  const [created, setCreated] = useState<Configuration>();
  const kindSchema = kind.schema as { properties?: Record<string, unknown>; required?: string[] };
  const isScim = kind.key === 'scim';
  const schema = {
    type: 'object',
    required: ['nickname', ...(kindSchema.required ?? [])],
    properties: {
      nickname: {
        type: 'string',
        title: isScim ? 'Connection name' : 'Nickname',
        description: isScim ? undefined : 'How your team will recognise this connection.',
        minLength: 1,
        maxLength: 120,
      },
      ...kindSchema.properties,
    },
  };
  const hidden = isScim && kindSchema.properties?.connectionName ? ['connectionName'] : [];
  const save = (formData: Record<string, unknown>): void => {
    void submit.run(async () => {
      const { nickname, ...values } = formData;
      if (hidden.includes('connectionName')) values.connectionName = nickname;
      const answer = await api<Configuration>('POST', '/v1/configurations', {
        connector: connector.name,
        kind: kind.key,
        nickname,
        values,
      });
      setCreated(answer);
      await props.onCreated();
    });
  };
  const title = kind.key === 'default' ? `Connect ${connector.title}` : `${kind.title} connection`;
  const testFailed = submit.error?.code === 'FLOWCARD_ERR_CONFIGURATION_TEST_FAILED';
  return (
    <Dialog title={title} onClose={props.onClose} wide>
      {created ? (
        <>
          <p className="notice notice-ok" role="status">
            Connection test passed: Flowcard reached {connector.title} with this token. “{created.nickname}”
            is saved; its token is stored encrypted and shown only as “set”.
          </p>
          <button type="button" className="button-primary" onClick={props.onClose}>
            Done
          </button>
        </>
      ) : (
        <>
          {kind.description ? <p>{kind.description}</p> : null}
          {connector.name === 'workplace' && kind.key === 'default' ? <WorkplaceTokenSteps /> : null}
          {submit.error && !fieldErrorsOf(submit.error, Object.keys(schema.properties)).shown ? (
            <div className="notice notice-error" role="alert">
              <p>
                {testFailed ? `The connection test failed. ${submit.error.message}` : submit.error.message}
              </p>
              {testFailed ? <p>Check the token and the URL, then save again.</p> : null}
            </div>
          ) : null}
          <Suspense fallback={<Loading />}>
            <SchemaForm
              schema={schema}
              secretFields={kind.secretFields ?? []}
              hiddenFields={hidden}
              initial={DEFAULT_NAMES[kind.key] ? { nickname: DEFAULT_NAMES[kind.key] } : {}}
              fieldErrors={fieldErrorsOf(submit.error, Object.keys(schema.properties)).errors}
              submitLabel="Save and test the connection"
              busy={submit.busy}
              onSubmit={save}
            />
          </Suspense>
        </>
      )}
    </Dialog>
  );
}
