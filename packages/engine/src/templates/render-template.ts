import { compileTemplate, type CompiledTemplate } from './compile-template';
import type { TemplateContext } from './template-context';

// Step input mappings repeat across runs of the same flow, so compiled templates are kept;
// bounded so that user-provided strings cannot grow the cache without limit.
const MAX_CACHED = 5000;
const cache = new Map<string, CompiledTemplate>();

/**
 * Renders one template string. A string that is exactly one `{{ path }}` keeps the value's type;
 * a mixed string interpolates (objects as JSON, nothing for undefined). Compiled strings are cached.
 */
export function renderTemplate(template: string, context: TemplateContext): unknown {
  let compiled = cache.get(template);
  if (!compiled) {
    if (cache.size >= MAX_CACHED) cache.clear();
    compiled = compileTemplate(template);
    cache.set(template, compiled);
  }
  return compiled.render(context);
}
