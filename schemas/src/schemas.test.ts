import Ajv, { type ErrorObject } from 'ajv';
import addFormats from 'ajv-formats';
import { execFileSync } from 'node:child_process';
import { ajvOptions, flowcardKeywords, readSchema, schemaNames, type AntiExample } from './index';
import { join } from 'node:path';

function compile(name: (typeof schemaNames)[number]) {
  const ajv = new Ajv(ajvOptions);
  addFormats(ajv);
  ajv.addVocabulary([...flowcardKeywords]);
  return ajv.compile(readSchema(name));
}

const describeErrors = (errors: ErrorObject[] | null | undefined): string[] =>
  (errors ?? []).map((e) => `${e.instancePath} ${e.message}`.trim());

describe.each(schemaNames)('%s.schema.json', (name) => {
  const schema = readSchema(name);
  const validate = compile(name);

  it('describes itself and carries examples and anti-examples', () => {
    expect(typeof schema.description).toBe('string');
    expect(Array.isArray(schema.examples) && schema.examples.length).toBeTruthy();
    expect(
      Array.isArray(schema['x-anti-examples']) && (schema['x-anti-examples'] as unknown[]).length,
    ).toBeTruthy();
  });

  it.each((schema.examples as unknown[]).map((example, index) => [index, example]))(
    'accepts example %i',
    (_index, example) => {
      const ok = validate(example);
      expect(describeErrors(validate.errors)).toEqual([]);
      expect(ok).toBe(true);
    },
  );

  it.each((schema['x-anti-examples'] as AntiExample[]).map((anti) => [anti.reason, anti]))(
    'rejects an anti-example because %s',
    (_reason, anti) => {
      expect(validate(anti.value)).toBe(false);
      expect(describeErrors(validate.errors).join('\n')).toContain(anti.error);
    },
  );
});

describe('generated types', () => {
  it('match the schema files (run npm run generate after editing a schema)', () => {
    // Runs in a child process: the generator formats with prettier, which jest's VM cannot load.
    const script = join(__dirname, '..', 'scripts', 'generate-types.ts');
    let failure = '';
    try {
      execFileSync(process.execPath, ['--import', 'tsx', script, '--check'], {
        encoding: 'utf8',
        stdio: 'pipe',
      });
    } catch (error) {
      failure = String((error as { stderr?: string }).stderr ?? error);
    }
    expect(failure).toBe('');
  }, 60000);
});
