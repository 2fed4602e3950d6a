// What every benchmark shares: paths, the median, temporary projects, and running the built CLI
// with its wall time (process.hrtime around the spawn) and, through bench/probe.cjs preloaded
// into the teambot process, its own CPU time and peak RSS (process.resourceUsage() of that
// process alone; /usr/bin/time would add the agents it spawns and waits for).
import { spawn, spawnSync } from 'node:child_process';
import {
  closeSync, cpSync, existsSync, fsyncSync, mkdtempSync, openSync, readFileSync, renameSync, rmSync, writeSync,
} from 'node:fs';
import { cpus, release, tmpdir, totalmem, type as osType } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const repo = fileURLToPath(new URL('..', import.meta.url));
/** The CLI the benchmarks run: dist/cli.js, or the snapshot of it that bench/run.mjs takes. */
export let cliPath = join(repo, 'dist', 'cli.js');
export const probePath = join(repo, 'bench', 'probe.cjs');
/** The package's `teambot` bin, which loads dist/cli.js (not the snapshot) for anything but --version. */
export const binPath = join(repo, 'bin', 'teambot.cjs');
export const fakeAgentsDir = join(repo, 'test', 'fakeAgents');
export const demoObjective = join(repo, 'config', 'objectives', 'demo.md');
/** The feature directory name teambot derives from demo.md's title. */
export const demoFeature = 'dark-mode-toggle';

/** The middle value (the mean of the two middle ones for an even count). */
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Milliseconds since `started` (a process.hrtime.bigint() value). */
export function msSince(started) {
  return Number(process.hrtime.bigint() - started) / 1e6;
}

/** A fresh directory under the system's temporary directory, with demo.md copied in as objective.md. */
export function makeProject(prefix) {
  const dir = mkdtempSync(join(tmpdir(), `teambot-bench-${prefix}-`));
  cpSync(demoObjective, join(dir, 'objective.md'));
  return dir;
}

export function removeDir(dir) {
  rmSync(dir, { recursive: true, force: true });
}

/** A command line as a person would type it, for results.json and error messages. */
export function shellQuote(arg) {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${String(arg).replaceAll("'", "'\\''")}'`;
}

export function teambotCommand(args) {
  return ['teambot', ...args].map(shellQuote).join(' ');
}

/**
 * Runs `node dist/cli.js <args>` and waits for it.
 *
 * @param options.cwd       the project directory
 * @param options.env       added to the environment
 * @param options.tty       run it in a pseudo-terminal (`script`, 120×40) so the live view renders
 * @param options.probe     preload bench/probe.cjs (default true); `false` for a bare start-up
 * @param options.probeState also time every state write (BENCH_PROBE_STATE=1)
 * @param options.stdout    'ignore' (default: /dev/null) or 'pipe' (returned as `stdout`)
 * @param options.killAfterMs SIGKILL the process this long after it starts
 * @param options.killWhen  SIGKILL the process once this promise (given the process's exit promise) resolves
 * @param options.timeoutMs  fail when it runs longer (default 10 min)
 * @returns { wallMs, exitCode, signal, stdout, stderr, probe }
 */
export async function runTeambot(args, options = {}) {
  const probeFile = join(tmpdir(), `teambot-bench-probe-${process.pid}-${Math.random().toString(36).slice(2)}.json`);
  const useProbe = options.probe !== false;
  const nodeArgs = [...(useProbe ? ['--require', probePath] : []), cliPath, ...args];
  const env = {
    ...process.env,
    NO_COLOR: '1',
    ...(useProbe ? { BENCH_PROBE_FILE: probeFile } : {}),
    ...(options.probeState ? { BENCH_PROBE_STATE: '1' } : {}),
    ...options.env,
  };
  let file = process.execPath;
  let argv = nodeArgs;
  if (options.tty) {
    // The live view needs a terminal and no CI; `script` gives it a pseudo-terminal of its own.
    delete env.CI;
    delete env.NO_COLOR;
    const command = `stty cols 120 rows 40; exec ${[process.execPath, ...nodeArgs].map(shellQuote).join(' ')}`;
    file = 'script';
    argv = ['-qfec', command, '/dev/null'];
  }
  const started = process.hrtime.bigint();
  const child = spawn(file, argv, { cwd: options.cwd, env, stdio: ['ignore', options.stdout ?? 'ignore', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk) => { stdout += chunk; });
  child.stderr.setEncoding('utf8').on('data', (chunk) => { stderr += chunk; });
  const killer = options.killAfterMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), options.killAfterMs);
  const closed = new Promise((resolve) => child.on('close', resolve));
  options.killWhen?.(closed).then(() => child.kill('SIGKILL'), () => undefined);
  const timeout = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 600_000);
  const [exitCode, signal] = await new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, killedBy) => resolve([code, killedBy]));
  });
  const wallMs = msSince(started);
  clearTimeout(killer);
  clearTimeout(timeout);
  let probe;
  if (existsSync(probeFile)) {
    probe = JSON.parse(readFileSync(probeFile, 'utf8'));
    rmSync(probeFile);
  }
  return { wallMs, exitCode, signal, stdout, stderr, probe };
}

/** Fails with the command and its stderr unless it exited 0. */
export function assertSucceeded(result, args) {
  if (result.exitCode !== 0) {
    throw new Error(`${teambotCommand(args)} exited with ${result.exitCode ?? result.signal}:\n${result.stderr.slice(-2000)}`);
  }
  return result;
}

/** The wall time of a command run to completion without the probe (start-up benchmarks). */
export function timeSync(file, args, options = {}) {
  const started = process.hrtime.bigint();
  const result = spawnSync(file, args, { stdio: 'ignore', ...options });
  const wallMs = msSince(started);
  if (result.status !== 0) throw new Error(`${[file, ...args].join(' ')} exited with ${result.status ?? result.signal}`);
  return wallMs;
}

/** The events of a feature directory's events.jsonl. */
export function readEvents(featureDir) {
  return readFileSync(join(featureDir, 'events.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line));
}

/** The last session's run.started → run.completed, in ms (its `duration_ms`). */
export function lastRunMs(events) {
  const completed = events.findLast((event) => event.type === 'run.completed');
  if (!completed) throw new Error('the run did not complete (no run.completed event)');
  if (completed.status !== 'complete') throw new Error(`the run ended with status ${completed.status}: ${completed.error ?? ''}`);
  return completed.duration_ms;
}

/**
 * One row of the results: the value is a median over `runs` runs unless the notes say otherwise.
 *
 * @param goal issue 17's target for this figure, when it has one: `{ max, text }`, met when
 *   value ≤ max; `text` says it as the issue does (`≤ 2.0× node -e 0`). `npm run bench` prints
 *   every goal with ✓ or ✗ after the table.
 */
export function metric(name, value, unit, { runs = 1, command = '', notes = '', goal } = {}) {
  return { name, value, unit, runs, command, notes, ...(goal ? { goal } : {}) };
}

export function machineInfo() {
  const processors = cpus();
  const timeVersion = spawnSync('/usr/bin/time', ['--version'], { encoding: 'utf8' });
  return {
    node: process.version,
    cpus: processors.length,
    cpu_model: processors[0]?.model ?? 'unknown',
    memory_gb: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    os: `${osType()} ${release()}`,
    platform: process.platform,
    arch: process.arch,
    cpu_time_source: 'process.resourceUsage() inside the teambot process (bench/probe.cjs, preloaded with --require): '
      + `its own user+sys CPU and peak RSS, agents excluded${timeVersion.status === 0 ? '; /usr/bin/time is installed but counts the agents too' : ''}`,
  };
}

/** Rounds for display and JSON: 3 decimals below 10, one fewer per decade above. */
export function round(value) {
  if (typeof value !== 'number' || !Number.isFinite(value)) return value;
  const magnitude = Math.abs(value);
  const digits = magnitude >= 1000 ? 0 : magnitude >= 100 ? 1 : magnitude >= 10 ? 2 : 3;
  return Number(value.toFixed(digits));
}

/** Whether the module at `moduleUrl` is the script node was started with (`node bench/x.mjs`). */
export function isMain(moduleUrl) {
  return process.argv[1] !== undefined && moduleUrl === pathToFileURL(process.argv[1]).href;
}

/**
 * What one atomic write of `bytes` costs on this disk, as safeFiles.writeFileAtomically does it (temp file,
 * write, fsync, rename) in the temporary directory the benchmarks use: the median of `runs`.
 * Checkpoint timings depend on it, and on whatever else is writing to the disk meanwhile.
 */
export function atomicWriteMs(bytes, runs = 20) {
  const dir = mkdtempSync(join(tmpdir(), 'teambot-bench-fsync-'));
  try {
    const data = Buffer.alloc(bytes, 'x');
    const target = join(dir, 'state.json');
    return median(Array.from({ length: runs }, (_, index) => {
      const started = process.hrtime.bigint();
      const temporary = `${target}.${index}`;
      const fd = openSync(temporary, 'w');
      writeSync(fd, data);
      fsyncSync(fd);
      closeSync(fd);
      renameSync(temporary, target);
      return msSince(started);
    }));
  } finally {
    removeDir(dir);
  }
}

/**
 * Copies dist/ to bench/.dist/ and runs that from now on, so that a rebuild meanwhile (the test
 * suite rebuilds dist/ and tsup empties it first) neither breaks nor mixes the measurements. The
 * copy finds node_modules and config/ by walking up from bench/, as dist/ does from the root.
 *
 * @returns a function that removes the copy
 */
export function useDistSnapshot() {
  const snapshot = join(repo, 'bench', '.dist');
  for (let attempt = 1; ; attempt++) {
    rmSync(snapshot, { recursive: true, force: true });
    cpSync(join(repo, 'dist'), snapshot, { recursive: true });
    const check = spawnSync(process.execPath, [join(snapshot, 'cli.js'), 'validate', '--runner', 'simulated'], { cwd: tmpdir(), stdio: 'ignore' });
    if (check.status === 0) break;
    if (attempt === 5) throw new Error('dist/ is incomplete (a build is running?): build it with `npx tsup --silent` and try again');
    spawnSync('sleep', ['2']);
  }
  cliPath = join(snapshot, 'cli.js');
  return () => rmSync(snapshot, { recursive: true, force: true });
}
