import { readFile } from 'node:fs/promises';
import { locateJsonError, type JsonErrorLocation } from './locate-json-error';

export type JsonFileContent = { ok: true; value: unknown } | { ok: false; error: JsonErrorLocation };

/** Reads and parses a JSON file; a syntax error comes back with its line and column. */
export async function readJsonFile(path: string): Promise<JsonFileContent> {
  // Editors on some systems save a byte-order mark, which JSON.parse refuses.
  const text = (await readFile(path, 'utf8')).replace(/^\uFEFF/, '');
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, error: locateJsonError(text) ?? { line: 1, column: 1, reason: 'unreadable JSON' } };
  }
}
