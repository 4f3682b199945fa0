import { compileTemplate, type CompiledTemplate } from './compile-template';
import { renderTemplate } from './render-template';
import type { TemplateContext } from './template-context';

// Flow definitions (and their step input mappings) are long-lived objects, so compiled mappings
// are kept per object identity; a WeakMap lets them go with the definition.
const compiledByObject = new WeakMap<object, CompiledTemplate>();

/**
 * Renders every template inside an object or array (e.g. a flow step's input mapping); keys whose
 * template renders to nothing are dropped, whole-value templates keep their type. The compiled
 * form is cached per object, so treat the mapping as immutable once rendered.
 */
export function renderDeep(value: unknown, context: TemplateContext): unknown {
  if (typeof value === 'string') return renderTemplate(value, context);
  if (value === null || typeof value !== 'object') return value;
  let compiled = compiledByObject.get(value);
  if (!compiled) {
    compiled = compileTemplate(value);
    compiledByObject.set(value, compiled);
  }
  return compiled.render(context);
}
