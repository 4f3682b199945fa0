import { compileTemplate } from './compile-template';
import { renderDeep } from './render-deep';
import { renderTemplate } from './render-template';

const context = {
  input: { pageId: '101', count: 3, tags: ['a', 'b'], person: { name: 'Ada' }, empty: null },
  config: { baseUrl: 'http://x' },
  steps: { notify: { output: { id: 'm1' } } },
  trigger: { output: { email: 'a@b.c' } },
};

describe('renderTemplate', () => {
  it('keeps the type of a value when the template is the whole string', () => {
    expect(renderTemplate('{{input.count}}', context)).toBe(3);
    expect(renderTemplate('{{ input.tags }}', context)).toEqual(['a', 'b']);
    expect(renderTemplate('  {{input.person}} ', context)).toEqual({ name: 'Ada' });
  });

  it('interpolates mixed strings, objects as JSON and nothing for missing values', () => {
    expect(renderTemplate('/{{input.pageId}}/feed', context)).toBe('/101/feed');
    expect(renderTemplate('n={{input.count}} p={{input.person}}', context)).toBe('n=3 p={"name":"Ada"}');
    expect(renderTemplate('[{{input.nope}}|{{input.empty}}]', context)).toBe('[|]');
  });

  it('reads flow step and trigger outputs and array indexes', () => {
    expect(renderTemplate('{{steps.notify.output.id}}', context)).toBe('m1');
    expect(renderTemplate('{{trigger.output.email}}', context)).toBe('a@b.c');
    expect(renderTemplate('{{input.tags.1}}{{input.tags[0]}}', context)).toBe('ba');
  });

  it('renders a missing whole-value template as undefined', () => {
    expect(renderTemplate('{{input.nothing.deeper}}', context)).toBeUndefined();
  });

  it('leaves text without templates untouched', () => {
    expect(renderTemplate('plain {text}', context)).toBe('plain {text}');
  });
});

describe('renderDeep', () => {
  it('renders nested objects and arrays and drops keys that render to nothing', () => {
    const mapping = {
      message: '{{input.person.name}}',
      link: '{{input.link}}',
      nested: { n: '{{input.count}}', list: ['{{input.pageId}}', '{{input.nope}}', 7] },
      fixed: true,
    };
    expect(renderDeep(mapping, context)).toEqual({
      message: 'Ada',
      nested: { n: 3, list: ['101', 7] },
      fixed: true,
    });
  });

  it('returns the same result when a mapping object is rendered again (cached compile)', () => {
    const mapping = { id: '{{steps.notify.output.id}}' };
    expect(renderDeep(mapping, context)).toEqual({ id: 'm1' });
    expect(renderDeep(mapping, { ...context, steps: { notify: { output: { id: 'm2' } } } })).toEqual({
      id: 'm2',
    });
  });

  it('marks values without templates as constant so they cost nothing to render', () => {
    expect(compileTemplate({ a: 1, b: ['x'] }).constant).toBe(true);
    expect(compileTemplate({ a: '{{input.count}}' }).constant).toBe(false);
  });
});
