import type { Command } from 'commander';
import { startMetaEmulator } from '@flowcard/meta-emulator';

interface EmulatorCommandOptions {
  port: string;
  host: string;
}

/**
 * `flowcard emulator`: runs the Meta emulator standalone so connectors, the demo and manual
 * testing can work offline. Prints where everything lives and the seed tokens, then serves until
 * SIGINT/SIGTERM.
 */
export function register(program: Command): void {
  program
    .command('emulator')
    .description('Run the Meta Graph / OAuth / Workplace / SCIM emulator locally')
    .option('--port <port>', 'port to listen on (0 = any free port)', '4999')
    .option('--host <host>', 'address to bind', '127.0.0.1')
    .action(async (options: EmulatorCommandOptions) => {
      const port = Number(options.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535)
        throw new Error(`--port must be an integer between 0 and 65535, got ${options.port}`);
      const emulator = await startMetaEmulator({ port, host: options.host });
      const f = emulator.fixtures;
      const lines = [
        'Meta emulator running',
        `  base URL:        ${emulator.baseUrl}`,
        `  Graph URL:       ${emulator.graphUrl}/v25.0`,
        `  dialog URL:      ${emulator.dialogUrl}/v25.0/dialog/oauth`,
        `  SCIM URL:        ${emulator.scimUrl}`,
        `  control API:     ${emulator.baseUrl}/__control`,
        `  app id:          ${emulator.app.id}`,
        `  app secret:      ${emulator.app.secret}`,
        `  user token:      ${f.user.accessToken}  (${f.user.name}, ${f.user.id})`,
        `  no-pages user:   ${f.noPagesUser.accessToken}  (${f.noPagesUser.name}, ${f.noPagesUser.id})`,
        ...f.pages.map((p) => `  page token:      ${p.accessToken}  (${p.name}, ${p.id})`),
        `  Workplace token: ${f.workplace.adminToken}  (community ${f.workplace.communityId})`,
        `  SCIM token:      ${f.scim.token}`,
        'Press Ctrl+C to stop.',
      ];
      process.stdout.write(`${lines.join('\n')}\n`);
      await new Promise<void>((resolve) => {
        const stop = (): void => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          resolve();
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
      await emulator.close();
      process.stdout.write('Meta emulator stopped\n');
    });
}
