// Preloaded (node --require) into a benchmarked server: samples where memory is allocated,
// garbage included (V8's sampling heap profiler keeps only what is still alive unless told
// otherwise; the young-generation GC share of a write-heavy server is made of what is not),
// and writes the profile when the process ends, to ALLOCATION_PROFILE_DIR (default: the
// working directory) as allocations-<pid>.heapprofile (Chromium's DevTools read it). Usage:
//   BENCH_SERVER_NODE_ARGS="--require ./bench/lib/allocationProfile.cjs" npm run bench -- throughput
'use strict';
const inspector = require('node:inspector');
const fs = require('node:fs');
const path = require('node:path');
const { isMainThread, threadId } = require('node:worker_threads');

const session = new inspector.Session();
session.connect();
session.post('HeapProfiler.enable');
session.post('HeapProfiler.startSampling', { samplingInterval: 16384, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });

let written = false;
function write() {
  if (written) return;
  written = true;
  // The inspector answers synchronously within post() on the main thread's own session.
  session.post('HeapProfiler.stopSampling', (err, result) => {
    if (err) return;
    // A --require'd file also runs in each worker thread (the snapshot compactor): one file per
    // thread, or the last thread to end would overwrite the main thread's profile.
    const name = isMainThread ? `allocations-${process.pid}.heapprofile` : `allocations-${process.pid}-thread${threadId}.heapprofile`;
    const file = path.join(process.env.ALLOCATION_PROFILE_DIR || process.cwd(), name);
    try {
      fs.writeFileSync(file, JSON.stringify(result.profile));
    } catch (e) {
      // A missing or read-only ALLOCATION_PROFILE_DIR: say so, and let the server end as it would.
      process.stderr.write(`allocationProfile: could not write ${file}: ${e && e.message}\n`);
    }
  });
}
// First, before the server's own SIGTERM drain ends the process.
process.prependListener('SIGTERM', write);
process.on('exit', write);
