// Preloaded (node --require) into a benchmarked process: at exit, writes its own peak resident
// memory and CPU time as one JSON line to file descriptor 3, which the benchmark reads. Exact,
// unlike polling /proc, which misses whatever happens after the last poll.
'use strict';
const fs = require('node:fs');
process.on('exit', () => {
  const usage = process.resourceUsage();
  try {
    fs.writeSync(3, JSON.stringify({ maxRssKb: usage.maxRSS, userMs: usage.userCPUTime / 1000, systemMs: usage.systemCPUTime / 1000 }) + '\n');
  } catch {
    // Not run by the benchmark (no fd 3): nothing to report to.
  }
});
