import Form from '@rjsf/core';
import type { ErrorSchema, RJSFSchema, WidgetProps } from '@rjsf/utils';
import validator from '@rjsf/validator-ajv8';
import { useCallback, useEffect, useMemo, useState, type ReactElement } from 'react';
import { api } from '../../api/api-client';
import type { ApiError } from '../../api/api-error';
import { parseCardRef, type CardView, type JsonSchema } from '../flow-types';
import { FORM_ID_PREFIX, FORM_ID_SEPARATOR, uiSchemaFor } from './schema-fields';

/** What the dynamic dropdowns need to ask the API for their choices. */
interface FormContext {
  readonly card: CardView;
  readonly optionsCardOf: (key: string) => CardView | undefined;
  readonly configurationId: string;
  readonly input: Record<string, unknown>;
}

function TemplateText(props: WidgetProps): ReactElement {
  return (
    <input
      id={props.id}
      name={props.id}
      type="text"
      className="form-control"
      value={typeof props.value === 'string' ? props.value : (props.value ?? '')}
      required={props.required}
      disabled={props.disabled || props.readonly}
      aria-invalid={props.rawErrors?.length ? true : undefined}
      aria-describedby={props.rawErrors?.length ? `${props.id}__error` : undefined}
      onChange={(event) => props.onChange(event.target.value === '' ? undefined : event.target.value)}
      onBlur={() => props.onBlur(props.id, props.value)}
      onFocus={() => props.onFocus(props.id, props.value)}
    />
  );
}

function TemplateTextarea(props: WidgetProps): ReactElement {
  return (
    <textarea
      id={props.id}
      name={props.id}
      rows={4}
      value={typeof props.value === 'string' ? props.value : ''}
      required={props.required}
      disabled={props.disabled || props.readonly}
      aria-invalid={props.rawErrors?.length ? true : undefined}
      onChange={(event) => props.onChange(event.target.value === '' ? undefined : event.target.value)}
      onBlur={() => props.onBlur(props.id, props.value)}
      onFocus={() => props.onFocus(props.id, props.value)}
    />
  );
}

/** A secret: typed, never shown back (the flow stores it; the run history redacts it). */
function Secret(props: WidgetProps): ReactElement {
  return (
    <input
      id={props.id}
      type="password"
      autoComplete="new-password"
      value={typeof props.value === 'string' ? props.value : ''}
      onChange={(event) => props.onChange(event.target.value === '' ? undefined : event.target.value)}
      onBlur={() => props.onBlur(props.id, props.value)}
      onFocus={() => props.onFocus(props.id, props.value)}
    />
  );
}

/** A date picker, or a template (a date from earlier data) typed as text. */
function DateOrTemplate(props: WidgetProps): ReactElement {
  const value = typeof props.value === 'string' ? props.value : '';
  const templated = value.includes('{{');
  const kind = props.schema.format === 'date' ? 'date' : 'datetime-local';
  return (
    <input
      id={props.id}
      type={templated ? 'text' : kind}
      value={kind === 'datetime-local' && !templated ? value.slice(0, 16) : value}
      onChange={(event) => {
        const next = event.target.value;
        if (!next) return props.onChange(undefined);
        props.onChange(
          kind === 'datetime-local' && !next.includes('{{') ? new Date(next).toISOString() : next,
        );
      }}
      onFocus={() => props.onFocus(props.id, props.value)}
      onBlur={() => props.onBlur(props.id, props.value)}
    />
  );
}

interface Option {
  label: string;
  value: string;
}

/**
 * A dropdown filled by the card's `x-options` card through POST /v1/catalog/options. It depends on
 * the inputs the options card accepts (e.g. the form list depends on nothing but the configuration;
 * a member list on the group): it reloads when those values or the configuration change, keeps the
 * chosen value while it is still offered, has a refresh button and says what went wrong in words.
 */
function DynamicOptions(props: WidgetProps): ReactElement {
  const context = props.registry.formContext as FormContext;
  const optionsKey = String(props.schema['x-options']);
  const optionsCard = context.optionsCardOf(optionsKey);
  const parts = parseCardRef(context.card.ref);
  const dependencyKeys = Object.keys(optionsCard?.input.properties ?? {});
  const dependencies: Record<string, unknown> = {};
  for (const key of dependencyKeys)
    if (context.input[key] !== undefined) dependencies[key] = context.input[key];
  const dependencyKey = JSON.stringify(dependencies);
  const [state, setState] = useState<{ options?: Option[]; error?: ApiError; loading: boolean }>({
    loading: false,
  });
  const configurationId = context.configurationId;

  const load = useCallback(async () => {
    if (!configurationId || !parts) return setState({ loading: false });
    setState((current) => ({ ...current, loading: true, error: undefined }));
    try {
      const answer = await api<{ options: Option[] }>('POST', '/v1/catalog/options', {
        card: `${parts.connector}/${optionsKey}@${parts.major}`,
        configurationId,
        input: JSON.parse(dependencyKey) as Record<string, unknown>,
      });
      setState({ options: answer.options, loading: false });
    } catch (error) {
      setState({ error: error as ApiError, loading: false });
    }
    // parts is derived from the card ref, which the key below covers
  }, [configurationId, optionsKey, dependencyKey, context.card.ref]);

  useEffect(() => {
    void load();
  }, [load]);

  const value = typeof props.value === 'string' ? props.value : '';
  const offered = state.options?.some((option) => option.value === value) ?? true;
  return (
    <div className="dynamic-options">
      <div className="dynamic-options-row">
        <select
          id={props.id}
          value={value}
          disabled={!configurationId || state.loading}
          aria-invalid={props.rawErrors?.length || !offered ? true : undefined}
          aria-busy={state.loading || undefined}
          onChange={(event) => props.onChange(event.target.value || undefined)}
          onFocus={() => props.onFocus(props.id, props.value)}
          onBlur={() => props.onBlur(props.id, props.value)}
        >
          <option value="">
            {!configurationId
              ? 'Choose a configuration first'
              : state.loading
                ? 'Loading…'
                : props.required
                  ? 'Choose…'
                  : '(none)'}
          </option>
          {value && !offered && <option value={value}>{value} (no longer offered)</option>}
          {state.options?.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
        <button
          type="button"
          className="button button-plain"
          onClick={() => void load()}
          disabled={!configurationId || state.loading}
          aria-label={`Refresh the choices of ${props.label || props.name}`}
          title="Refresh the choices"
        >
          ↻
        </button>
      </div>
      {state.error && (
        <p className="field-error" role="alert">
          Could not list the choices: {state.error.message}
        </p>
      )}
      {!offered && <p className="field-error">The chosen value is no longer offered; choose another.</p>}
    </div>
  );
}

const widgets = {
  templateText: TemplateText,
  templateTextarea: TemplateTextarea,
  secret: Secret,
  dateOrTemplate: DateOrTemplate,
  dynamicOptions: DynamicOptions,
};

/**
 * The card's input form, generated from its input JSON Schema by @rjsf/core (this module and rjsf
 * are their own chunk). There is no submit: every change goes into the draft, the API validates on
 * save and its problems come back as `extraErrors` on the fields concerned.
 */
export default function InputForm(props: {
  card: CardView;
  optionsCardOf: (key: string) => CardView | undefined;
  configurationId: string;
  value: Record<string, unknown>;
  problems: ReadonlyArray<{ field: string[]; message: string }>;
  onChange: (value: Record<string, unknown>, field?: string) => void;
  onFocusField: (id: string) => void;
}): ReactElement {
  const schema = props.card.input as RJSFSchema;
  const uiSchema = useMemo(() => uiSchemaFor(props.card.input as JsonSchema), [props.card.input]);
  const extraErrors = useMemo(() => {
    const errors: Record<string, unknown> = {};
    for (const problem of props.problems) {
      if (problem.field.length === 0) continue;
      let node = errors;
      for (const key of problem.field) node = (node[key] ??= {}) as Record<string, unknown>;
      ((node.__errors ??= []) as string[]).push(problem.message);
    }
    return errors as ErrorSchema;
  }, [props.problems]);
  const formContext: FormContext = {
    card: props.card,
    optionsCardOf: props.optionsCardOf,
    configurationId: props.configurationId,
    input: props.value,
  };
  return (
    <Form
      schema={schema}
      uiSchema={uiSchema}
      formData={props.value}
      validator={validator}
      widgets={widgets}
      formContext={formContext}
      extraErrors={extraErrors}
      showErrorList={false}
      noHtml5Validate
      idPrefix={FORM_ID_PREFIX}
      idSeparator={FORM_ID_SEPARATOR}
      onChange={(event, id) => props.onChange((event.formData ?? {}) as Record<string, unknown>, id)}
      onFocus={(id) => props.onFocusField(id)}
      tagName="div"
    />
  );
}
