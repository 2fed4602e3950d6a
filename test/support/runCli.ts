import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';

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
