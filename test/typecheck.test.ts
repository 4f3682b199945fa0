import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

describe('the whole monorepo', () => {
  // The Studio (browser code: DOM, JSX, bundler resolution) has its own project.
  it.each(['tsconfig.json', 'packages/studio/tsconfig.json'])(
    'type-checks %s under strict TypeScript',
    (project) => {
      const root = join(__dirname, '..');
      let output = '';
      try {
        execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', project, '--noEmit'], {
          cwd: root,
          encoding: 'utf8',
          stdio: 'pipe',
        });
      } catch (error) {
        const e = error as { stdout?: string; stderr?: string };
        output = `${e.stdout ?? ''}${e.stderr ?? ''}`;
      }
      expect(output).toBe('');
    },
    180000,
  );
});
