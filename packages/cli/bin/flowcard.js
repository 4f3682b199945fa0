#!/usr/bin/env node
// The flowcard command. Sources are TypeScript; tsx compiles them on load (cached), so the
// command runs from a fresh clone without a build step.
require('tsx/cjs');
require('../src/main.ts')
  .main(process.argv)
  .catch((error) => {
    process.stderr.write(`${error && error.message ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
