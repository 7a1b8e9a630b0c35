#!/usr/bin/env node
// Runs a TypeScript entry point without ts-node: esbuild strips types per file on require (~1 ms a file),
// so a cold `npm run synth` costs what the JavaScript costs. Type checking is `npm run typecheck`'s job.
'use strict';
const path = require('path');
require('./register-ts');
const entry = process.argv[2];
if (!entry) {
  console.error('usage: run-ts <file.ts> [args...]');
  process.exit(2);
}
process.argv.splice(1, 1);
require(path.resolve(entry));
