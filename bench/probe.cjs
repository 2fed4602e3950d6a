// Preloaded into the teambot process by the benchmarks (`node --require bench/probe.cjs dist/cli.js …`)
// to measure it from the inside without changing it. When the process exits it writes, to
// $BENCH_PROBE_FILE, its own CPU time and peak RSS (process.resourceUsage(): this process only,
// not the agents it spawned) and, with BENCH_PROBE_STATE=1, every orchestration_state.json write:
// write-file-atomic's sync() (temp file, write, fsync, rename), and the JSON.stringify calls of a
// checkpoint (runSession's change key over the persisted snapshot, stateWriter's state text).
'use strict';
const { writeFileSync } = require('node:fs');

const probeFile = process.env.BENCH_PROBE_FILE;
const stringifyJson = JSON.stringify;
const stateWrites = { count: 0, bytes: 0, ms: 0, maxBytes: 0 };
const checkpointStringify = { count: 0, chars: 0, ms: 0 };

const elapsedMs = (started) => Number(process.hrtime.bigint() - started) / 1e6;

if (probeFile && process.env.BENCH_PROBE_STATE === '1') {
  // dist/ imports write-file-atomic (an external dependency) as this very module object and looks
  // up `.sync` at each call, so replacing the property here times every state write.
  const writeFileAtomic = require('write-file-atomic');
  const sync = writeFileAtomic.sync;
  writeFileAtomic.sync = function timedSync(file, data, options) {
    const started = process.hrtime.bigint();
    try {
      return sync.call(this, file, data, options);
    } finally {
      if (String(file).endsWith('orchestration_state.json')) {
        const bytes = Buffer.byteLength(String(data));
        stateWrites.count++;
        stateWrites.bytes += bytes;
        stateWrites.maxBytes = Math.max(stateWrites.maxBytes, bytes);
        stateWrites.ms += elapsedMs(started);
      }
    }
  };
  JSON.stringify = function timedStringify(value, ...rest) {
    if (!isCheckpointValue(value)) return stringifyJson.call(this, value, ...rest);
    const started = process.hrtime.bigint();
    const text = stringifyJson.call(this, value, ...rest);
    checkpointStringify.count++;
    checkpointStringify.chars += text.length;
    checkpointStringify.ms += elapsedMs(started);
    return text;
  };
}

/** The state file (it has schema_version) or an XState persisted snapshot (value, context, children). */
function isCheckpointValue(value) {
  return value !== null && typeof value === 'object'
    && ('schema_version' in value || ('context' in value && 'children' in value && 'value' in value));
}

if (probeFile) {
  process.on('exit', () => {
    const usage = process.resourceUsage();
    writeFileSync(probeFile, stringifyJson({
      userMs: usage.userCPUTime / 1000,
      sysMs: usage.systemCPUTime / 1000,
      maxRssKb: usage.maxRSS,
      stateWrites,
      checkpointStringify,
    }));
  });
}
