import { resolve } from 'node:path';
import type { Command } from 'commander';

/**
 * `flowcard data move-to-mongodb --to <uri>`: copies the embedded database (the snapshot in
 * FLOWCARD_DATA_DIR, default .flowcard) into an empty MongoDB database, then says how to start on it.
 */
export function register(program: Command): void {
  const data =
    program.commands.find((command) => command.name() === 'data') ??
    program.command('data').description("Manage the embedded runtime's data directory");
  data
    .command('move-to-mongodb')
    .description('Copy the embedded database into an empty MongoDB database (stop `npm start` first)')
    .requiredOption('--to <uri>', 'MongoDB connection string of the target (database in the path)')
    .action(async (options: { to: string }) => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on demand, as in start.ts
      const { moveEmbeddedDataToMongo } = require('@flowcard/runtime') as typeof import('@flowcard/runtime');
      const dataDir = resolve(process.env.FLOWCARD_DATA_DIR ?? '.flowcard');
      const moved = await moveEmbeddedDataToMongo({
        dataDir,
        database: process.env.FLOWCARD_MONGODB_DATABASE ?? 'flowcard',
        uri: options.to,
      });
      process.stdout.write(
        [
          `Copied ${moved.documents} documents in ${moved.collections} collections from ${moved.path}.`,
          'Start on MongoDB with the same master key (sealed secrets need it):',
          `  MONGODB_URI='<the --to URI>' FLOWCARD_MASTER_KEYS="$(cat ${moved.masterKeyFile})" npm start`,
          '',
        ].join('\n'),
      );
    });
}
