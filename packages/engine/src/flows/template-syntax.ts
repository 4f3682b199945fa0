/** A `{{` in a flow's input that the template engine would not read as a template. */
export interface TemplateSyntaxProblem {
  /** JSON pointer of the string inside the checked value ('' = the value itself). */
  readonly pointer: string;
  /** The template as written (cut after 60 characters), e.g. `{{trigger.output.name`. */
  readonly template: string;
  readonly reason: string;
}

// A path as templates read it: dot-separated segments without spaces or braces, `[n]` indexes.
const PATH = /^[^\s.[\]{}]+(\.[^\s.[\]{}]+|\[\d+\])*$/;
const SHOWN = 60;

/**
 * Every malformed template in a value (strings, array items, object values): a `{{` never closed by
 * `}}`, an empty `{{ }}`, a brace inside, or a path that is not `a.b.c` / `a[0].b`. The engine
 * leaves such text as it is, so a run would send the braces to the service; saving refuses them.
 */
export function findTemplateSyntaxProblems(value: unknown, pointer = ''): TemplateSyntaxProblem[] {
  const found: TemplateSyntaxProblem[] = [];
  walk(value, pointer, found);
  return found;
}

/** True when a reference (what is between the braces, trimmed) is a path templates can read. */
export function isTemplatePath(reference: string): boolean {
  return PATH.test(reference.trim());
}

function walk(value: unknown, pointer: string, found: TemplateSyntaxProblem[]): void {
  if (typeof value === 'string') scan(value, pointer, found);
  else if (Array.isArray(value)) value.forEach((item, index) => walk(item, `${pointer}/${index}`, found));
  else if (value !== null && typeof value === 'object')
    for (const [key, item] of Object.entries(value)) walk(item, `${pointer}/${escape(key)}`, found);
}

function scan(text: string, pointer: string, found: TemplateSyntaxProblem[]): void {
  let from = 0;
  for (;;) {
    const open = text.indexOf('{{', from);
    if (open < 0) return;
    const close = text.indexOf('}}', open + 2);
    if (close < 0) {
      found.push({
        pointer,
        template: shown(text.slice(open)),
        reason: 'is not closed: end it with "}}"',
      });
      return;
    }
    const inner = text.slice(open + 2, close);
    const nested = inner.indexOf('{{');
    if (nested >= 0) {
      // `{{a <{{b}}`: the first one never closes; the second is checked on its own.
      found.push({
        pointer,
        template: shown(text.slice(open, open + 2 + nested).trimEnd()),
        reason: 'is not closed before the next "{{": end it with "}}"',
      });
      from = open + 2 + nested;
      continue;
    }
    const template = shown(text.slice(open, close + 2));
    const path = inner.trim();
    if (path === '')
      found.push({ pointer, template, reason: 'is empty: name what to read, e.g. {{trigger.output.id}}' });
    else if (!PATH.test(path))
      found.push({
        pointer,
        template,
        reason:
          'is not a path: write dot-separated names without spaces, e.g. {{steps.post.output.id}} or {{trigger.output.items[0].id}}',
      });
    from = close + 2;
  }
}

function shown(template: string): string {
  return template.length > SHOWN ? `${template.slice(0, SHOWN)}…` : template;
}

function escape(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}
