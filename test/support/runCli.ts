import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { runTeambot } from '../../ui/program.js';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
export const cliPath = join(repoRoot, 'dist', 'cli.js');
export const fixturesDir = fileURLToPath(new URL('../fixtures/teambot/', import.meta.url));
/** The fake agent CLIs tests put first on PATH or name in runner.argv. */
export const fakeAgentsDir = join(repoRoot, 'test', 'fakeAgents');

/** Runs the built `teambot` CLI as a user would, never throwing on a non-zero exit. */
export async function runCli(args: readonly string[], options: { cwd?: string; env?: Record<string, string> } = {}) {
  const result = await execa('node', [cliPath, ...args], {
    cwd: options.cwd ?? repoRoot,
    env: { NO_COLOR: '1', ...options.env },
    reject: false,
    stdin: 'ignore',
  });
  return { exitCode: result.exitCode, signal: result.signal, stdout: result.stdout, stderr: result.stderr };
}

/** A stream that keeps what a command writes, as a non-terminal stdout or stderr would receive it. */
function textBuffer() {
  let text = '';
  return { write: (chunk: string) => (text += chunk), text: () => text };
}

/**
 * Runs a teambot command line in this process, exactly as the CLI would but
 * writing to buffers: for commands that need no process of their own (no
 * signals, no live terminal), at a fraction of a spawn's cost. Same result
 * shape as `runCli`.
 */
export async function runCliInProcess(args: readonly string[], options: { cwd?: string; env?: Record<string, string> } = {}) {
  const stdout = textBuffer();
  const stderr = textBuffer();
  const exitCode = await runTeambot(args, {
    cwd: options.cwd ?? repoRoot, stdout, stderr, env: { ...process.env, NO_COLOR: '1', ...options.env },
  });
  return { exitCode, stdout: stdout.text().replace(/\n$/, ''), stderr: stderr.text().replace(/\n$/, '') };
}

/** A fresh empty directory for one test. */
export function temporaryDirectory(): string {
  return mkdtempSync(join(tmpdir(), 'teambot-test-'));
}

/** How long spawnCli's waits give the CLI to print what they expect, however busy the machine. */
const OUTPUT_DEADLINE_MS = 30_000;

/**
 * Starts the CLI without waiting for it, for tests that interact with a running
 * process (signals). `waitForOutput` resolves when stdout has matched, and
 * rejects, saying what it waited for and what was printed, when the process
 * exits first or `deadlineMs` passes.
 */
export function spawnCli(args: readonly string[], options: { cwd: string }) {
  const subprocess = execa('node', [cliPath, ...args], { cwd: options.cwd, env: { NO_COLOR: '1' }, reject: false, stdin: 'ignore' });
  let seen = '';
  let exited: string | undefined;
  const waiters = new Set<{ pattern: RegExp; resolve: () => void; reject: (error: Error) => void }>();
  const settle = () => {
    for (const waiter of waiters) {
      if (waiter.pattern.test(seen)) waiter.resolve();
      else if (exited !== undefined) waiter.reject(new Error(`the CLI exited (${exited}) before printing ${waiter.pattern}; it printed:\n${seen.slice(-2000)}`));
      else continue;
      waiters.delete(waiter);
    }
  };
  subprocess.stdout?.on('data', (chunk: Buffer) => {
    seen += chunk.toString();
    settle();
  });
  void subprocess.then((result) => {
    exited = result.signal ? `signal ${result.signal}` : `exit code ${result.exitCode}`;
    settle();
  });
  const waitForOutput = (pattern: RegExp, deadlineMs = OUTPUT_DEADLINE_MS) => new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      waiters.delete(waiter);
      reject(new Error(`the CLI did not print ${pattern} within ${deadlineMs} ms; it printed:\n${seen.slice(-2000)}`));
    }, deadlineMs);
    const waiter = {
      pattern,
      resolve: () => { clearTimeout(timer); resolve(); },
      reject: (error: Error) => { clearTimeout(timer); reject(error); },
    };
    waiters.add(waiter);
    settle();
  });
  return {
    subprocess,
    waitForOutput,
    /** Waits for `pattern` and returns its first capture group. */
    async captured(pattern: RegExp, deadlineMs = OUTPUT_DEADLINE_MS): Promise<string> {
      await waitForOutput(pattern, deadlineMs);
      return pattern.exec(seen)![1]!;
    },
  };
}

/**
 * stderr without the warnings of these rules (a `warning:` line and its fix line each),
 * so a test can still insist that nothing else was said.
 *
 * @example expect(withoutWarnings(result.stderr, 'acceptance-command-missing')).toBe('')
 */
export function withoutWarnings(stderr: string, ...rules: string[]): string {
  const lines = stderr.split('\n');
  const kept: string[] = [];
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!;
    if (line.startsWith('warning: ') && rules.some((rule) => line.endsWith(`[${rule}]`))) {
      if (lines[index + 1]?.startsWith('  fix: ')) index++;
      continue;
    }
    kept.push(line);
  }
  return kept.join('\n');
}
