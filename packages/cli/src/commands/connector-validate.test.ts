import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const repo = join(__dirname, '..', '..', '..', '..');
const fixtures = join('packages', 'engine', 'test', 'fixtures');

/** Runs the real `flowcard` command in a child process, from the repository root. */
function flowcard(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [join('packages', 'cli', 'bin', 'flowcard.js'), ...args], {
    cwd: repo,
    encoding: 'utf8',
    timeout: 60000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('flowcard connector validate', () => {
  it('accepts the valid sample connector and counts its cards', () => {
    const result = flowcard('connector', 'validate', join(fixtures, 'sample'));
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe('✓ sample@1.0.0: 2 cards valid\n');
    expect(result.status).toBe(0);
  });

  it('rejects a card with an undeclared input, printing each problem with file and JSON path', () => {
    const result = flowcard('connector', 'validate', join(fixtures, 'broken-input-reference'));
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr.split('\n')).toEqual([
      'broken-input-reference/cards/echo.json: /request/path: template {{input.channel.id}} names input "channel", which the input schema does not declare. Declare "channel" under /input/properties, or correct the template',
      'broken-input-reference/cards/echo.json: /request/body/message: template {{input.mesage}} names input "mesage", which the input schema does not declare. Declare "mesage" under /input/properties, or correct the template',
      `✗ ${join(fixtures, 'broken-input-reference')}: 2 problems`,
      '',
    ]);
  });

  it('rejects a folder without connector.json', () => {
    const result = flowcard('connector', 'validate', join(fixtures, 'broken-missing-manifest'));
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(
      'broken-missing-manifest: no connector manifest: broken-missing-manifest/connector.json does not exist.',
    );
    expect(result.stderr).toContain(`✗ ${join(fixtures, 'broken-missing-manifest')}: 1 problem\n`);
  });

  it('rejects a folder that does not exist', () => {
    const result = flowcard('connector', 'validate', join(fixtures, 'no-such-connector'));
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(`✗ ${join(fixtures, 'no-such-connector')}: no such folder\n`);
  });
});
