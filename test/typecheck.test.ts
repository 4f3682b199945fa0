import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

describe('the whole monorepo', () => {
  it('type-checks under strict TypeScript', () => {
    const root = join(__dirname, '..');
    let output = '';
    try {
      execFileSync(
        process.execPath,
        [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.json', '--noEmit'],
        {
          cwd: root,
          encoding: 'utf8',
          stdio: 'pipe',
        },
      );
    } catch (error) {
      const e = error as { stdout?: string; stderr?: string };
      output = `${e.stdout ?? ''}${e.stderr ?? ''}`;
    }
    expect(output).toBe('');
  }, 180000);
});
