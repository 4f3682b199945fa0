import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateTypes } from '../src/generate-types';
import { schemaNames } from '../src/schema-files';

/**
 * Writes schemas/src/generated/*.ts from the schema files. With --check it writes nothing and
 * exits 1 naming every generated file that is out of date (the drift test runs it that way).
 */
async function main(): Promise<void> {
  const check = process.argv.includes('--check');
  const stale: string[] = [];
  for (const name of schemaNames) {
    const file = join(__dirname, '..', 'src', 'generated', `${name}.ts`);
    const source = await generateTypes(name);
    if (check) {
      let current = '';
      try {
        current = readFileSync(file, 'utf8');
      } catch {
        // a missing file is stale
      }
      if (current !== source) stale.push(`schemas/src/generated/${name}.ts`);
    } else {
      writeFileSync(file, source);
      process.stdout.write(`wrote ${file}\n`);
    }
  }
  if (stale.length > 0) {
    process.stderr.write(`out of date (run npm run generate): ${stale.join(', ')}\n`);
    process.exitCode = 1;
  }
}

void main();
