import { locateJsonError } from './locate-json-error';

describe('locateJsonError', () => {
  it('returns nothing for valid JSON', () => {
    expect(locateJsonError('{ "a": [1, -2.5e3, "x\\n", true, null], "b": {} }\n')).toBeUndefined();
  });

  it('points at a missing comma between properties', () => {
    expect(locateJsonError('{\n  "a": 1\n  "b": 2\n}')).toEqual({
      line: 3,
      column: 3,
      reason: `expected ',' or '}' after a property value but found '"'`,
    });
  });

  it('reports a trailing comma', () => {
    expect(locateJsonError('[1,\n]')).toEqual({ line: 2, column: 1, reason: 'trailing comma before ]' });
  });

  it('reports a truncated file', () => {
    expect(locateJsonError('{"a": ')).toEqual({
      line: 1,
      column: 7,
      reason: 'expected a value but found the end of the file',
    });
  });

  it('reports single-quoted property names', () => {
    expect(locateJsonError("{'a': 1}")?.reason).toBe(
      `expected a property name in double quotes but found '''`,
    );
  });

  it('reports text after the document', () => {
    expect(locateJsonError('{} x')).toEqual({
      line: 1,
      column: 4,
      reason: `unexpected 'x' after the end of the document`,
    });
  });
});
