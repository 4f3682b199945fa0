import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { runtimeErrorCodes } from '../http/errors/runtime-error-codes';
import { configVariables } from './config-variables';

describe('the configuration table of the README', () => {
  const readme = readFileSync(resolve(__dirname, '../../README.md'), 'utf8');
  const documented = [...readme.matchAll(/^\|\s*`([A-Z0-9_]+)`\s*\|\s*(?:`[^`]*`|—)\s*\|/gm)].map(
    (match) => match[1],
  );

  it('documents every variable the runtime reads, in the same order', () => {
    expect(documented).toEqual(configVariables.map((variable) => variable.name));
  });

  it('lists every variable the code reads through loadConfig', () => {
    const source = ['load-config.ts', 'sandbox-config.ts']
      .map((file) => readFileSync(resolve(__dirname, file), 'utf8'))
      .join('\n');
    const read = new Set([...source.matchAll(/read\('([A-Z0-9_]+)'\)/g)].map((match) => match[1]));
    expect([...read].sort()).toEqual(configVariables.map((variable) => variable.name).sort());
  });
});

describe('the error table of the README', () => {
  it('lists every runtime error code with its status and message', () => {
    const readme = readFileSync(resolve(__dirname, '../../README.md'), 'utf8');
    const rows = [...readme.matchAll(/^\|\s*`(FLOWCARD_ERR_[A-Z_]+)`\s*\|\s*(\d+)\s*\|\s*(.*?)\s*\|$/gm)].map(
      (match) => [match[1], Number(match[2]), match[3]!.replace(/\\\|/g, '|')],
    );
    expect(rows).toEqual(
      Object.values(runtimeErrorCodes).map((spec) => [spec.code, spec.status, spec.message]),
    );
  });
});
