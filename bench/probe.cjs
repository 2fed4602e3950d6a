// Preloaded into the teambot process by the benchmarks (`node --require bench/probe.cjs dist/cli.js …`)
// to measure it from the inside without changing it. When the process exits it writes, to
// $BENCH_PROBE_FILE, its own CPU time and peak RSS (process.resourceUsage(): this process only,
// not the agents it spawned) and, with BENCH_PROBE_STATE=1, what persisting the run's state cost:
// every byte written to orchestration_state.json, its temporary files and its journal, the time
// spent in those writes, fsyncs and renames, and the JSON.stringify calls of a checkpoint.
// It wraps node:fs itself (and syncs the ES module bindings), so it sees the writes whatever
// module makes them.
'use strict';
const fs = require('node:fs');
const { basename } = require('node:path');
const { syncBuiltinESMExports } = require('node:module');

const probeFile = process.env.BENCH_PROBE_FILE;
const stringifyJson = JSON.stringify;
/** Bytes and time of everything written to the state's files; `count` is checkpoints (fsyncs). */
const stateWrites = { count: 0, bytes: 0, ms: 0, maxBytes: 0, fsyncs: 0, fsyncMs: 0, backgroundFsyncs: 0 };
const checkpointStringify = { count: 0, chars: 0, ms: 0 };

const elapsedMs = (started) => Number(process.hrtime.bigint() - started) / 1e6;

/** orchestration_state.json, its atomic-write temporaries (.orchestration_state.json.<pid>.<hex>.tmp) and its journal. */
const isStatePath = (path) => /^\.?orchestration_state\./.test(basename(String(path)));

if (probeFile && process.env.BENCH_PROBE_STATE === '1') {
  const stateFds = new Map(); // fd → bytes written through it since its last fsync
  const wrap = (name, around) => {
    const original = fs[name];
    fs[name] = function probed(...args) {
      return around((...callArgs) => original.apply(this, callArgs), args);
    };
  };
  const timed = (call) => {
    const started = process.hrtime.bigint();
    try {
      return call();
    } finally {
      stateWrites.ms += elapsedMs(started);
    }
  };
  wrap('openSync', (open, args) => {
    const fd = open(...args);
    if (isStatePath(args[0])) stateFds.set(fd, 0);
    return fd;
  });
  wrap('closeSync', (close, args) => {
    stateFds.delete(args[0]);
    return close(...args);
  });
  wrap('writeSync', (write, args) => {
    if (!stateFds.has(args[0])) return write(...args);
    const written = timed(() => write(...args));
    stateWrites.bytes += written;
    stateFds.set(args[0], stateFds.get(args[0]) + written);
    return written;
  });
  for (const name of ['fsyncSync', 'fdatasyncSync']) {
    wrap(name, (sync, args) => {
      if (!stateFds.has(args[0])) return sync(...args);
      const started = process.hrtime.bigint();
      try {
        return timed(() => sync(...args));
      } finally {
        stateWrites.fsyncs++;
        stateWrites.fsyncMs += elapsedMs(started);
        stateWrites.count++;
        stateWrites.maxBytes = Math.max(stateWrites.maxBytes, stateFds.get(args[0]));
        stateFds.set(args[0], 0);
      }
    });
  }
  // The journal's fsyncs run in the thread pool (group commit): counted, not timed (they do not block).
  wrap('fdatasync', (sync, args) => {
    if (stateFds.has(args[0])) stateWrites.backgroundFsyncs++;
    return sync(...args);
  });
  wrap('renameSync', (rename, args) => (isStatePath(args[1]) ? timed(() => rename(...args)) : rename(...args)));
  syncBuiltinESMExports();

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

/** The state file (it has schema_version), a journal record (seq, ops) or an XState persisted snapshot. */
function isCheckpointValue(value) {
  return value !== null && typeof value === 'object'
    && ('schema_version' in value || ('seq' in value && 'ops' in value) || ('context' in value && 'children' in value && 'value' in value));
}

if (probeFile) {
  process.on('exit', () => {
    const usage = process.resourceUsage();
    fs.writeFileSync(probeFile, stringifyJson({
      userMs: usage.userCPUTime / 1000,
      sysMs: usage.systemCPUTime / 1000,
      maxRssKb: usage.maxRSS,
      stateWrites,
      checkpointStringify,
    }));
  });
}
