// Child-process half of bundle-outlives-its-installer.test.ts: installs a published entry into a
// data directory the way a runtime does, runs its handler card once, prints the output as JSON.
// Run with `node -r tsx/cjs`, so modules resolve as in a real runtime (not through jest).
import { readFileSync } from 'node:fs';
import {
  CardExecutor,
  ConnectorRegistry,
  installPublishedConnector,
  type RegistryEntry,
} from '@flowcard/engine';

async function main(): Promise<void> {
  const [entryFile, cacheDir, cardKey, inputJson] = process.argv.slice(2);
  const raw = JSON.parse(readFileSync(entryFile, 'utf8')) as RegistryEntry & { publishedAt: string };
  const entry: RegistryEntry = { ...raw, publishedAt: new Date(raw.publishedAt) };
  const installed = await installPublishedConnector(entry, new ConnectorRegistry(), cacheDir);
  const card = installed.connector?.cards.get(cardKey);
  if (!card) throw new Error(`not installed: ${JSON.stringify(installed.problems)}`);
  const result = await new CardExecutor().execute({
    card,
    // The scaffold's configuration has a base URL; the handler never calls it.
    configuration: { values: { baseUrl: 'http://127.0.0.1:9' }, secrets: { accessToken: 'unused' } },
    input: JSON.parse(inputJson) as Record<string, unknown>,
  });
  process.stdout.write(`${JSON.stringify(result.output)}\n`);
}

main().catch((error: Error) => {
  process.stderr.write(`${error.message}\n`);
  process.exitCode = 1;
});
