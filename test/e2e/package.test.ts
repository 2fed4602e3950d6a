import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, temporaryDirectory } from '../support/runCli.js';

/**
 * The README's way to use teambot in another repository, tried as a user
 * would: the package from `npm pack`, installed from that file alone into a
 * fresh git repository, then the README's commands pasted as written.
 */

const README_BLOCK_AFTER = 'Then, in your own repository (same shell):';
/** npm install fetches dependencies (from npm's cache when it has them): generous, and still a deadline. */
const INSTALL_DEADLINE_MS = 240_000;

/** The shell block that follows `marker` in the README, as a user would copy it. */
function readmeBlockAfter(marker: string): string {
  const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
  const start = readme.indexOf(marker);
  if (start < 0) throw new Error(`README.md no longer says "${marker}": update this test with the README`);
  const block = /```sh\n([\s\S]*?)```/.exec(readme.slice(start));
  if (!block) throw new Error(`no \`\`\`sh block after "${marker}" in README.md`);
  return block[1]!;
}

/** The environment of a fresh shell: none of the npm_* variables `npm test` sets for its scripts. */
function freshShellEnvironment(extra: Record<string, string>): Record<string, string | undefined> {
  const environment = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.toLowerCase().startsWith('npm_')));
  return { ...environment, ...extra };
}

let tarball: string;
beforeAll(async () => {
  // --ignore-scripts: dist/ is already built for this run (globalSetup); `prepare` would rebuild it
  // under the feet of the other tests. `npm pack` in the README runs it, which is the same build.
  const destination = temporaryDirectory();
  const packed = await execa('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', destination], {
    cwd: repoRoot, timeout: 60_000,
  });
  const [{ filename }] = JSON.parse(packed.stdout) as [{ filename: string }];
  tarball = join(destination, filename);
}, 90_000);

describe('the package from npm pack', () => {
  it('installs from the tarball alone and runs the README\'s commands in a fresh repository', async () => {
    const project = temporaryDirectory();
    await execa('git', ['init', '--quiet'], { cwd: project });
    // A repository of the user's own, with its package.json (else npm would install into a parent directory's).
    writeFileSync(join(project, 'package.json'), `${JSON.stringify({ name: 'my-project', private: true }, null, 2)}\n`);
    const script = `set -euo pipefail\n${readmeBlockAfter(README_BLOCK_AFTER)}`;

    const session = await execa('bash', ['-c', script], {
      cwd: project, env: freshShellEnvironment({ TEAMBOT_TGZ: tarball }), extendEnv: false,
      reject: false, timeout: INSTALL_DEADLINE_MS, all: true, stdin: 'ignore',
    });
    expect(session.timedOut, `the README's commands did not finish within ${INSTALL_DEADLINE_MS / 1000} s:\n${session.all}`).toBe(false);
    expect(session.exitCode, session.all).toBe(0);
    expect(session.all).toMatch(/created {3}teambot\.json/);
    expect(session.all).toMatch(/run\.completed\s+complete/);

    const version = await execa('npx', ['--no-install', 'teambot', '--version'], { cwd: project, timeout: 60_000 });
    expect(version.stdout).toBe(JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')).version);
    const state = JSON.parse(readFileSync(join(project, '.teambot', 'dark-mode-toggle', 'orchestration_state.json'), 'utf8')) as { status: string };
    expect(state.status).toBe('complete');
  }, INSTALL_DEADLINE_MS + 90_000);
});
