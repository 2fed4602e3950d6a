#!/usr/bin/env node
// `teambot inspect` on an event log larger than a JavaScript string can hold (512 MB): the
// check the test suite cannot afford (it would write 600 MB). A short simulated run writes a
// real events.jsonl; agent output lines are added inside its run until the file reaches the
// size asked for; then `teambot inspect` must open it, print its address, and stream all of
// /api/events as one JSON array, within the memory it was given.
//
//   npx tsup --silent && node bench/inspectLargeLog.mjs [--mb 600] [--heap-mb 400]
//
// --heap-mb caps the inspector's JavaScript heap (NODE_OPTIONS=--max-old-space-size): the
// log is several times that, so it can only pass by streaming. Prints one JSON line of results.
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('..', import.meta.url));
const cli = join(repo, 'dist', 'cli.js');
const option = (name, fallback) => {
  const index = process.argv.indexOf(name);
  return index >= 0 ? Number(process.argv[index + 1]) : fallback;
};
const targetBytes = option('--mb', 600) * 1024 * 1024;
const heapMb = option('--heap-mb', 400);
const DEADLINE_MS = 10 * 60_000;

const cwd = mkdtempSync(join(tmpdir(), 'teambot-bench-inspect-'));
try {
  writeFileSync(join(cwd, 'sim.yaml'), 'default_ms: 1\n');
  const run = spawnSync('node', [cli, 'run', join(repo, 'config', 'objectives', 'demo.md'), '--runner', 'simulated', '--simulate', 'sim.yaml', '--no-ui'],
    { cwd, env: { ...process.env, NO_COLOR: '1' }, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`the simulated run failed (${run.status}):\n${run.stderr}`);

  // The run's events, with filler output of its first stage after its second event.
  const path = join(cwd, '.teambot', 'dark-mode-toggle', 'events.jsonl');
  const recorded = readFileSync(path, 'utf8').split('\n').filter((line) => line !== '');
  const ts = JSON.parse(recorded[1]).ts;
  const started = Date.now();
  const file = openSync(path, 'w');
  writeSync(file, `${recorded.slice(0, 2).join('\n')}\n`);
  let written = 0;
  let fillerLines = 0;
  const padding = 'x'.repeat(200);
  while (written < targetBytes) {
    const batch = [];
    for (let index = 0; index < 10_000; index++) {
      batch.push(JSON.stringify({ ts, type: 'stage.output', stage: 'SETUP', line: `filler ${fillerLines++} ${padding}` }));
    }
    const text = `${batch.join('\n')}\n`;
    writeSync(file, text);
    written += Buffer.byteLength(text);
  }
  writeSync(file, `${recorded.slice(2).join('\n')}\n`);
  closeSync(file);
  const logBytes = statSync(path).size;
  const writeMs = Date.now() - started;

  const opened = Date.now();
  const inspect = spawn('node', [cli, 'inspect'], {
    cwd, env: { ...process.env, NO_COLOR: '1', NODE_OPTIONS: `--max-old-space-size=${heapMb}` }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  inspect.stderr.on('data', (chunk) => { stderr += chunk; });
  const url = await bounded(new Promise((resolve, reject) => {
    inspect.stdout.on('data', (chunk) => {
      stdout += chunk;
      const match = /inspector {2}(http:\/\/\S+)/.exec(stdout);
      if (match) resolve(match[1]);
    });
    inspect.on('exit', (code) => reject(new Error(`teambot inspect exited (${code}) before printing its address:\n${stdout}\n${stderr}`)));
  }), 'teambot inspect to print its address');
  const openMs = Date.now() - opened;

  const streamed = Date.now();
  const served = await bounded(new Promise((resolve, reject) => {
    request(`${url}api/events`, (response) => {
      let bytes = 0;
      let tail = '';
      response.on('data', (chunk) => {
        bytes += chunk.length;
        tail = (tail + chunk.toString()).slice(-200);
      });
      response.on('end', () => resolve({ status: response.statusCode, bytes, tail }));
    }).on('error', reject).end();
  }), 'the inspector to stream /api/events');
  const streamMs = Date.now() - streamed;
  inspect.kill('SIGINT');
  const exitCode = await bounded(new Promise((resolve) => inspect.on('exit', resolve)), 'teambot inspect to exit after SIGINT');

  const events = recorded.length + fillerLines;
  const ok = served.status === 200 && served.tail.endsWith('}]') && served.tail.includes('run.completed') && exitCode === 0
    && new RegExp(`\\(${events} events`).test(stdout);
  console.log(JSON.stringify({
    ok, logMB: round(logBytes / 2 ** 20), heapLimitMB: heapMb, events, writeMs, openMs, streamMs,
    servedMB: round(served.bytes / 2 ** 20), exitCode,
  }));
  process.exitCode = ok ? 0 : 1;
} finally {
  rmSync(cwd, { recursive: true, force: true });
}

function round(value) {
  return Math.round(value * 10) / 10;
}

async function bounded(promise, what) {
  let timer;
  try {
    return await Promise.race([promise, new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`waited ${DEADLINE_MS} ms for ${what}`)), DEADLINE_MS);
    })]);
  } finally {
    clearTimeout(timer);
  }
}
