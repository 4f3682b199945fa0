#!/usr/bin/env node
// Builds the Studio into dist/ unless dist/ was built from exactly these sources (a stamp holds
// the hash of src/, index.html, vite.config.ts and package.json). Run by the root `prepare`
// script on every `npm install`/`npm ci`, and by the runtime when dist/ is missing.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const stampFile = join(dist, '.build-stamp');

function* files(path) {
  if (statSync(path).isDirectory()) {
    for (const entry of readdirSync(path).sort()) yield* files(join(path, entry));
  } else yield path;
}

const hash = createHash('sha256');
for (const source of ['src', 'index.html', 'vite.config.ts', 'package.json']) {
  const path = join(root, source);
  if (!existsSync(path)) continue;
  for (const file of files(path)) hash.update(relative(root, file)).update('\0').update(readFileSync(file));
}
const stamp = hash.digest('hex');

if (
  existsSync(join(dist, 'index.html')) &&
  existsSync(stampFile) &&
  readFileSync(stampFile, 'utf8') === stamp
) {
  process.stdout.write('Flowcard Studio: dist/ is up to date\n');
  process.exit(0);
}

const vite = join(
  dirname(createRequire(join(root, 'package.json')).resolve('vite/package.json')),
  'bin',
  'vite.js',
);
process.stdout.write('Flowcard Studio: building dist/ …\n');
// Always a production build: under jest (NODE_ENV=test) Vite would bundle React's development build.
const result = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, NODE_ENV: 'production' },
});
if (result.status !== 0) {
  process.stderr.write('Flowcard Studio: the build failed (see above)\n');
  process.exit(result.status ?? 1);
}
writeFileSync(stampFile, stamp);
process.stdout.write('Flowcard Studio: built dist/\n');
