import { readFile, writeFile } from 'node:fs/promises';

/** Reads a JSON file, lets `edit` change it in place, and writes it back: a connector file edited by hand. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- connector files are edited by hand, like an author would
export async function editJsonFile(path: string, edit: (value: any) => void): Promise<void> {
  const value = JSON.parse(await readFile(path, 'utf8'));
  edit(value);
  await writeFile(path, JSON.stringify(value, null, 2));
}
