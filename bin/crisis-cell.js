#!/usr/bin/env node
'use strict';
// `npx crisis-cell ...`: runs the compiled CLI (npm run build) when present, else the
// TypeScript sources through tsx (a development checkout). CRISIS_CELL_FROM_SOURCE=1 forces
// the sources (tests, so a stale dist/ is never what they check). See docs/TIMELINE.md.
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const compiled = path.join(root, 'dist', 'server', 'cli', 'main.js');
if (fs.existsSync(compiled) && process.env.CRISIS_CELL_FROM_SOURCE !== '1') {
  require(compiled).main();
} else {
  try {
    require('tsx/cjs');
  } catch {
    process.stderr.write('crisis-cell: no compiled CLI (dist/) and no tsx: run `npm run build` first\n');
    process.exit(3);
  }
  require(path.join(root, 'server', 'cli', 'main.ts')).main();
}
