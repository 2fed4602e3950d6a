import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { runTeambot } from '../../ui/program.js';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
export const cliPath = join(repoRoot, 'dist', 'cli.js');
export const fixturesDir = fileURLToPath(new URL('../fixtures/teambot/', import.meta.url));

/** Runs the built `teambot` CLI as a user would, never throwing on a non-zero exit. */
export async function runCli(args: readonly string[], options: { cwd?: string; env?: Record<string, string> } = {}) {
  const result = await execa('node', [cliPath, ...args], {
    cwd: options.cwd ?? repoRoot,
    env: { NO_COLOR: '1', ...options.env },
    reject: false,
    stdin: 'ignore',
  });
  return { exitCode: result.exitCode, stdout: result.stdout, stderr: result.stderr };
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

/**
 * Starts the CLI without waiting for it, for tests that interact with a running
 * process (signals); `waitForOutput` resolves when stdout has matched.
 */
export function spawnCli(args: readonly string[], options: { cwd: string }) {
  const subprocess = execa('node', [cliPath, ...args], { cwd: options.cwd, env: { NO_COLOR: '1' }, reject: false, stdin: 'ignore' });
  let seen = '';
  const waiters: { pattern: RegExp; resolve: () => void }[] = [];
  subprocess.stdout?.on('data', (chunk: Buffer) => {
    seen += chunk.toString();
    for (const waiter of [...waiters]) {
      if (!waiter.pattern.test(seen)) continue;
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
  });
  const waitForOutput = (pattern: RegExp) => new Promise<void>((resolve) => {
    if (pattern.test(seen)) resolve();
    else waiters.push({ pattern, resolve });
  });
  return {
    subprocess,
    waitForOutput,
    /** Waits for `pattern` and returns its first capture group. */
    async captured(pattern: RegExp): Promise<string> {
      await waitForOutput(pattern);
      return pattern.exec(seen)![1]!;
    },
  };
}
