import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { duplicateErrorCodes, errorRegistry } from './error-registry';

/** How a message appears in a Markdown table cell: pipes escaped, line breaks written as \n. */
const asCell = (message: string): string => message.replace(/\|/g, '\\|').replace(/\n/g, '\\n');

/** The rows of the "Error codes" table of the engine README, as code → [status, category, message]. */
function readmeRows(): Map<string, [string, string, string]> {
  const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
  const section = readme.split(/^## /m).find((part) => part.startsWith('Error codes'));
  if (!section) throw new Error('packages/engine/README.md has no "## Error codes" section');
  const rows = new Map<string, [string, string, string]>();
  for (const line of section.split('\n')) {
    const match =
      /^\|\s*`?(FLOWCARD_ERR_[A-Z0-9_]+)`?\s*\|\s*(\d+)\s*\|\s*([a-z_]+)\s*\|\s*(.*?)\s*\|\s*$/.exec(line);
    if (match) rows.set(match[1], [match[2], match[3], match[4]]);
  }
  return rows;
}

describe('the engine error registry', () => {
  it('has codes of the form FLOWCARD_ERR_<AREA>_<WHAT>', () => {
    const malformed = [...errorRegistry.keys()].filter((code) => !/^FLOWCARD_ERR_[A-Z0-9_]+$/.test(code));
    expect(malformed).toEqual([]);
  });

  it('declares each code in one group only', () => {
    expect(duplicateErrorCodes).toEqual([]);
  });

  it('keys every spec by its own code', () => {
    const mismatched = [...errorRegistry.entries()].filter(([key, spec]) => key !== spec.code);
    expect(mismatched).toEqual([]);
  });

  it('is documented row by row in the README table (code | status | category | message)', () => {
    const rows = readmeRows();
    const expected = new Map(
      [...errorRegistry.values()].map((spec) => [
        spec.code,
        [String(spec.status), spec.category, `\`${asCell(spec.message)}\``],
      ]),
    );
    const documented = new Map(
      [...rows].map(([code, [status, category, message]]) => [code, [status, category, message]]),
    );
    expect(Object.fromEntries(documented)).toEqual(Object.fromEntries(expected));
  });
});
