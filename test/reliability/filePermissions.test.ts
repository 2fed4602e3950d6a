import { lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { cliPath } from '../support/runCli.js';
import { commands, createProject } from '../support/project.js';

/** Every entry under `root` with its permission bits, e.g. `{ '.teambot/x/events.jsonl': 'file 600' }`. */
function modes(root: string, relative = ''): Record<string, string> {
  const entries: Record<string, string> = {};
  for (const name of readdirSync(join(root, relative))) {
    const path = join(relative, name);
    const stats = lstatSync(join(root, path));
    const kind = stats.isDirectory() ? 'directory' : stats.isFile() ? 'file' : 'other';
    entries[path] = `${kind} ${(stats.mode & 0o777).toString(8)}`;
    if (stats.isDirectory()) Object.assign(entries, modes(root, path));
  }
  return entries;
}

/** The CLI with umask 000, the loosest there is: nothing teambot writes may rely on the umask. */
async function runWithoutUmask(args: readonly string[], cwd: string) {
  const result = await execa('sh', ['-c', 'umask 000 && exec node "$0" "$@"', cliPath, ...args], { cwd, reject: false, stdin: 'ignore', env: { NO_COLOR: '1' } });
  return { exitCode: result.exitCode, stderr: result.stderr };
}

describe('what teambot writes only its owner can read', () => {
  it('after a simulated run, a review failure and a run over it, every directory under .teambot is 0700 and every file 0600, whatever the umask', async () => {
    const cwd = createProject(`default_ms: 2\nstages:\n  SPEC_REVIEW: { verdicts: [${Array(50).fill('reject').join(', ')}] }\n`);
    const failed = await runWithoutUmask(commands.run, cwd);
    expect(failed.exitCode, failed.stderr).toBe(1);
    const again = await runWithoutUmask([...commands.run, '--fresh'], cwd);
    expect(again.exitCode, again.stderr).toBe(1);

    const found = modes(cwd, '.teambot');
    expect(Object.keys(found)).toEqual(expect.arrayContaining([
      '.teambot/simple-notification-end/orchestration_state.json', '.teambot/simple-notification-end/events.jsonl',
      '.teambot/simple-notification-end/artifacts/feature_spec.md', '.teambot/simple-notification-end/failures/SPEC_REVIEW-review.md',
    ]));
    expect(lstatSync(join(cwd, '.teambot')).mode & 0o777).toBe(0o700);
    const loose = Object.entries(found).filter(([, mode]) => mode !== 'directory 700' && mode !== 'file 600');
    expect(loose).toEqual([]);
  });
});
