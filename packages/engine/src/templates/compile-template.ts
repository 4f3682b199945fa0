import { getAtPath, parsePath, type PathSegments } from './object-path';
import type { TemplateContext } from './template-context';

/**
 * A template compiled once: strings are split into literal and `{{ path }}` parts, objects and
 * arrays into compiled children. Rendering then only walks paths (no parsing on the hot path).
 */
export interface CompiledTemplate {
  /** True when nothing in the value is templated: render returns the source as is. */
  readonly constant: boolean;
  render(context: TemplateContext): unknown;
}

// `{{ a.b.c }}` — paths only, by design: conditions and computation belong to JSONata transforms.
const TEMPLATE = /\{\{\s*([^{}]*?)\s*\}\}/g;
const WHOLE = /^\s*\{\{\s*([^{}]*?)\s*\}\}\s*$/;

type Part = string | PathSegments;

export function compileTemplate(source: unknown): CompiledTemplate {
  if (typeof source === 'string') return compileString(source);
  if (Array.isArray(source)) return compileArray(source);
  if (source !== null && typeof source === 'object') return compileObject(source as Record<string, unknown>);
  return constant(source);
}

function constant(value: unknown): CompiledTemplate {
  return { constant: true, render: () => value };
}

function compileString(source: string): CompiledTemplate {
  const whole = WHOLE.exec(source);
  if (whole) {
    // A template that is the whole value keeps the value's type (number, object, array…).
    const segments = parsePath(whole[1]);
    return { constant: false, render: (context) => getAtPath(context, segments) };
  }
  const parts: Part[] = [];
  let last = 0;
  for (const match of source.matchAll(TEMPLATE)) {
    if (match.index > last) parts.push(source.slice(last, match.index));
    parts.push(parsePath(match[1]));
    last = match.index + match[0].length;
  }
  if (parts.length === 0) return constant(source);
  if (last < source.length) parts.push(source.slice(last));
  return {
    constant: false,
    render: (context) => {
      let out = '';
      for (const part of parts) out += typeof part === 'string' ? part : stringify(getAtPath(context, part));
      return out;
    },
  };
}

/** Inside a longer string: nothing for undefined/null, JSON for objects, text for the rest. */
function stringify(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function compileArray(source: unknown[]): CompiledTemplate {
  const items = source.map(compileTemplate);
  if (items.every((item) => item.constant)) return constant(source);
  return {
    constant: false,
    render: (context) => {
      const out: unknown[] = [];
      for (const item of items) {
        const value = item.render(context);
        // "Renders as nothing": an element whose template is undefined is left out.
        if (value !== undefined) out.push(value);
      }
      return out;
    },
  };
}

function compileObject(source: Record<string, unknown>): CompiledTemplate {
  const entries = Object.entries(source).map(([key, value]) => [key, compileTemplate(value)] as const);
  if (entries.every(([, value]) => value.constant)) return constant(source);
  return {
    constant: false,
    render: (context) => {
      const out: Record<string, unknown> = {};
      for (const [key, template] of entries) {
        const value = template.render(context);
        // A key whose template renders to nothing is dropped (optional query/body fields).
        if (value !== undefined) out[key] = value;
      }
      return out;
    },
  };
}
