import { findTemplateReferences } from './template-references';

describe('findTemplateReferences', () => {
  it('finds the paths of templates inside a string, trimmed', () => {
    expect(findTemplateReferences('/{{ input.pageId }}/feed?x={{config.v}}')).toEqual([
      'input.pageId',
      'config.v',
    ]);
  });

  it('walks arrays and object values deeply, in order', () => {
    const value = { a: '{{input.a}}', b: [1, '{{ input.b.c }}', { d: 'x {{event.id}} y' }], e: null };
    expect(findTemplateReferences(value)).toEqual(['input.a', 'input.b.c', 'event.id']);
  });

  it('ignores object keys and strings without templates', () => {
    expect(findTemplateReferences({ '{{event.page_id}}': 'plain', n: 3 })).toEqual([]);
  });

  it('does not treat single braces or unclosed templates as references', () => {
    expect(findTemplateReferences('{input.a} {{input.b')).toEqual([]);
  });
});
