import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { execa, type ResultPromise } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import { acquireRunLock, liveRunOwner, LOCK_FILE_NAME } from '../../machines/persistence/runLock.js';
import { withDeadline } from '../support/processes.js';
import { repoRoot } from '../support/runCli.js';

const RACERS = 8;
const TRIALS = 20;
const DEADLINE_MS = 30_000;

/**
 * One racer: waits at the barrier (the go file), tries to take the lock, says
 * `held` or `refused <rule>`, and a holder keeps the lock until the done file
 * appears, so every other racer meets a live holder. Every wait has a deadline.
 */
const RACER = `
import { existsSync } from 'node:fs';
import { acquireRunLock } from './runLock.mjs';
const [featureDir, goFile, doneFile] = process.argv.slice(2);
const until = async (file) => {
  const deadline = Date.now() + ${DEADLINE_MS};
  while (!existsSync(file)) {
    if (Date.now() > deadline) process.exit(3);
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
};
process.stdout.write('ready\\n');
await until(goFile);
let lock;
try {
  lock = acquireRunLock(featureDir);
} catch (error) {
  process.stdout.write('refused ' + (error.issues?.[0]?.rule ?? error.message) + '\\n');
  process.exit(0);
}
process.stdout.write('held\\n');
await until(doneFile);
lock.release();
`;

let racerScript: string;
beforeAll(async () => {
  // The lock code as a real process runs it: bundled from the source under test.
  const directory = mkdtempSync(join(tmpdir(), 'teambot-racer-'));
  await build({
    entryPoints: [join(repoRoot, 'machines', 'persistence', 'runLock.ts')], bundle: true, platform: 'node', format: 'esm',
    outfile: join(directory, 'runLock.mjs'), logLevel: 'silent',
  });
  racerScript = join(directory, 'racer.mjs');
  writeFileSync(racerScript, RACER);
}, DEADLINE_MS);

/** The pid of a process that has exited (and been reaped): a crashed run's lock names such a pid. */
async function deadPid(): Promise<number> {
  const child = execa('node', ['-e', '']);
  await child;
  return child.pid!;
}

/** Resolves with a racer's first answer after `ready`, or rejects at the deadline. */
function answerOf(racer: ResultPromise, ready: () => void): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = '';
    racer.stdout!.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      if (seen.startsWith('ready\n')) ready();
      const answer = seen.split('\n')[1];
      if (answer && seen.split('\n').length > 2) resolve(answer);
    });
    void racer.then((result) => reject(new Error(`racer exited (${result.exitCode}) before answering: ${seen}${result.stderr}`)), reject);
  });
}

describe('taking over a stale run lock', () => {
  it(`of ${RACERS} processes racing to take over one stale lock, exactly one holds it (${TRIALS} trials)`, async () => {
    for (let trial = 0; trial < TRIALS; trial++) {
      const featureDir = mkdtempSync(join(tmpdir(), 'teambot-lock-'));
      const stale = { pid: await deadPid(), hostname: hostname(), started_at: new Date(0).toISOString() };
      writeFileSync(join(featureDir, LOCK_FILE_NAME), `${JSON.stringify(stale)}\n`);
      const goFile = join(featureDir, 'go');
      const doneFile = join(featureDir, 'done');
      let readyCount = 0;
      let allReady: () => void = () => {};
      const ready = new Promise<void>((resolve) => {
        allReady = resolve;
      });
      const racers = Array.from({ length: RACERS }, () => execa('node', [racerScript, featureDir, goFile, doneFile], { reject: false, stdin: 'ignore' }));
      const answers = racers.map((racer) => answerOf(racer, () => {
        if (++readyCount === RACERS) allReady();
      }));
      try {
        await withDeadline(ready, DEADLINE_MS, 'every racer to be ready');
        writeFileSync(goFile, '');
        const said = await withDeadline(Promise.all(answers), DEADLINE_MS, 'every racer to answer');
        expect(said.filter((answer) => answer === 'held'), `trial ${trial + 1}: ${said.join(', ')}`).toHaveLength(1);
        expect(said.filter((answer) => answer !== 'held'), `trial ${trial + 1}`).toEqual(Array(RACERS - 1).fill('refused run-in-progress'));
        const owner = JSON.parse(readFileSync(join(featureDir, LOCK_FILE_NAME), 'utf8')) as { pid: number };
        expect(racers.map((racer) => racer.pid)).toContain(owner.pid);
      } finally {
        writeFileSync(doneFile, '');
        await withDeadline(Promise.all(racers), DEADLINE_MS, 'every racer to exit');
      }
      expect(existsSync(join(featureDir, LOCK_FILE_NAME)), 'the holder released it').toBe(false);
    }
  }, 120_000);

  it('a lock whose pid is alive but started at another time (a reused pid) is taken over, and status sees no run', () => {
    const featureDir = mkdtempSync(join(tmpdir(), 'teambot-lock-'));
    mkdirSync(featureDir, { recursive: true });
    // This very process: alive, but not the process that took the lock.
    const reused = { pid: process.pid, hostname: hostname(), started_at: new Date(0).toISOString(), process_start: 'linux:another-boot:1' };
    writeFileSync(join(featureDir, LOCK_FILE_NAME), `${JSON.stringify(reused)}\n`);

    expect(liveRunOwner(featureDir)).toBeUndefined();
    const lock = acquireRunLock(featureDir);
    try {
      const owner = JSON.parse(readFileSync(join(featureDir, LOCK_FILE_NAME), 'utf8')) as { pid: number; process_start?: string };
      expect(owner.process_start).not.toBe(reused.process_start);
      expect(liveRunOwner(featureDir)?.pid).toBe(process.pid);
      expect(() => acquireRunLock(featureDir)).toThrow(/run-in-progress/);
    } finally {
      lock.release();
    }
  });
});
