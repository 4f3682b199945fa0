import Form from '@rjsf/core';
import type { ErrorSchema, RJSFSchema, UiSchema } from '@rjsf/utils';
import validator from '@rjsf/validator-ajv8';
import { useState, type ReactElement } from 'react';

export interface SchemaFormProps {
  /** The JSON Schema the API validates with (from the catalog). */
  readonly schema: Record<string, unknown>;
  /** Write-only fields: password inputs, never pre-filled. */
  readonly secretFields?: readonly string[];
  readonly hiddenFields?: readonly string[];
  readonly initial?: Record<string, unknown>;
  /** Messages from the API per top-level field, shown next to it. */
  readonly fieldErrors?: Record<string, string>;
  readonly submitLabel: string;
  readonly busy?: boolean;
  onSubmit(values: Record<string, unknown>): void;
}

/**
 * A form generated from a JSON Schema (@rjsf/core + ajv8, loaded only when a form opens: it is
 * most of the Studio's JavaScript). The same schema validates in the browser and in the API.
 */
export default function SchemaForm(props: SchemaFormProps): ReactElement {
  const [formData, setFormData] = useState<Record<string, unknown>>(props.initial ?? {});
  const uiSchema: UiSchema = { 'ui:submitButtonOptions': { norender: true } };
  for (const field of props.secretFields ?? [])
    uiSchema[field] = { 'ui:widget': 'password', 'ui:autocomplete': 'off' };
  for (const field of props.hiddenFields ?? []) uiSchema[field] = { 'ui:widget': 'hidden' };
  const extraErrors: ErrorSchema = {};
  for (const [field, message] of Object.entries(props.fieldErrors ?? {}))
    (extraErrors as Record<string, unknown>)[field] = { __errors: [message] };
  return (
    <Form
      schema={props.schema as RJSFSchema}
      uiSchema={uiSchema}
      formData={formData}
      validator={validator}
      extraErrors={extraErrors}
      showErrorList={false}
      noHtml5Validate
      onChange={(event) => setFormData(event.formData as Record<string, unknown>)}
      onSubmit={(event) => props.onSubmit(event.formData as Record<string, unknown>)}
    >
      <button type="submit" className="button-primary" disabled={props.busy}>
        {props.busy ? 'Testing the connection…' : props.submitLabel}
      </button>
    </Form>
  );
}
