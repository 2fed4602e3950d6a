import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { demoObjective } from '../support/project.js';
import { repoRoot, runCli, spawnCli, temporaryDirectory } from '../support/runCli.js';

/**
 * A parallel group with `isolation: worktree` through the built CLI, in a real
 * git repository: each stage writes in its own worktree (simulation `writes`),
 * the changes are merged into the project in stage_order, a conflict stops the
 * run with the files and hunks and resumes once resolved, and a SIGKILL right
 * after a merge neither loses nor repeats it.
 */

const STAGES = `stages:
  PLAN: { name: Plan, work_agent: pm }
  BACKEND: { name: Backend, work_agent: builder-1 }
  FRONTEND: { name: Frontend, work_agent: builder-2 }
  CHECK: { name: Check, work_agent: pm }
  DONE: { name: Done }
stage_order: [PLAN, BACKEND, FRONTEND, CHECK, DONE]
parallel_groups:
  build: { after: PLAN, stages: [BACKEND, FRONTEND], before: CHECK, isolation: worktree }
`;
/** Both stages change line 2 of src/shared.ts: FRONTEND's merge, the second, conflicts. */
const CONFLICTING = `default_ms: 0
stages:
  BACKEND: { writes: { src/shared.ts: "one\\nTWO by backend\\nthree\\n" } }
  FRONTEND: { writes: { src/shared.ts: "one\\ntwo by frontend\\nthree\\n" } }
`;
const RUN = ['run', 'objective.md', '--stages', 'stages.yaml', '--runner', 'simulated', '--simulate', 'sim.yaml', '--no-ui'];
const RESUME = ['resume', 'dark-mode-toggle', '--no-ui'];
const featureDir = (cwd: string) => join(cwd, '.teambot', 'dark-mode-toggle');

/** A repository with one commit, then a change the user has not committed and a file git does not track. */
async function repository(simulation: string): Promise<string> {
  const cwd = temporaryDirectory();
  const git = (...args: string[]) => execa('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd });
  await git('init', '-q');
  mkdirSync(join(cwd, 'src'));
  writeFileSync(join(cwd, 'src', 'shared.ts'), 'one\ntwo\nthree\n');
  writeFileSync(join(cwd, 'README.md'), '# project\n');
  writeFileSync(join(cwd, '.gitignore'), '.teambot/\n');
  await git('add', '-A');
  await git('commit', '-q', '-m', 'first');
  writeFileSync(join(cwd, 'README.md'), '# project\nnot committed yet\n');
  writeFileSync(join(cwd, 'notes.txt'), 'untracked\n');
  writeFileSync(join(cwd, 'objective.md'), readFileSync(demoObjective, 'utf8'));
  writeFileSync(join(cwd, 'stages.yaml'), STAGES);
  writeFileSync(join(cwd, 'sim.yaml'), simulation);
  return cwd;
}

/** What the user's git shows: HEAD, the index's contents, the branches, any teambot refs and worktrees. */
async function gitState(cwd: string) {
  const git = async (...args: string[]) => (await execa('git', args, { cwd })).stdout;
  return {
    head: await git('rev-parse', 'HEAD'),
    staged: await git('diff', '--cached', '--name-status'),
    branches: await git('branch', '--list'),
    teambotRefs: await git('for-each-ref', 'refs/teambot'),
    worktrees: (await git('worktree', 'list', '--porcelain')).split('\n').filter((line) => line.startsWith('worktree ')).length,
  };
}

const read = (cwd: string, path: string) => readFileSync(join(cwd, path), 'utf8');
const merged = (cwd: string) => readFileSync(join(featureDir(cwd), 'events.jsonl'), 'utf8').trim().split('\n')
  .map((line) => JSON.parse(line) as { type: string; stage?: string; files?: { path: string }[] })
  .filter((event) => event.type === 'stage.merged').map((event) => `${event.stage}: ${event.files!.map((file) => file.path).join(', ') || '-'}`);

describe('a parallel group with isolation: worktree', { timeout: 90_000 }, () => {
  it('runs each stage in its own worktree and merges their changes into the project; the user\'s own changes and git state are untouched', async () => {
    const cwd = await repository(`default_ms: 0
stages:
  BACKEND: { writes: { server/api.ts: "export const api = 1;\\n" } }
  FRONTEND: { writes: { web/toggle.tsx: "export const toggle = 1;\\n" } }
`);
    const before = await gitState(cwd);
    const run = await runCli(RUN, { cwd });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(read(cwd, 'server/api.ts')).toBe('export const api = 1;\n');
    expect(read(cwd, 'web/toggle.tsx')).toBe('export const toggle = 1;\n');
    expect(read(cwd, 'README.md')).toBe('# project\nnot committed yet\n');
    expect(read(cwd, 'notes.txt')).toBe('untracked\n');
    // Each stage's files came from its worktree (an agent writing in the project would leave its worktree unchanged).
    expect(merged(cwd)).toEqual(['BACKEND: server/api.ts', 'FRONTEND: web/toggle.tsx']);
    expect(run.stdout).toMatch(/BACKEND .*‖ build; merged: 1 file changed \(server\/api\.ts\)/);
    expect(await gitState(cwd)).toEqual(before);
    expect(existsSync(join(featureDir(cwd), 'worktrees'))).toBe(false);
  });

  it('stops at a conflict naming the stage, the file and the hunk, keeps the worktrees, and resumes once the conflict is resolved', async () => {
    const cwd = await repository(CONFLICTING);
    const run = await runCli(RUN, { cwd });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain('✗ error: parallel group build: FRONTEND\'s changes conflict with your working tree, so none of them');
    expect(run.stdout).toMatch(/ {4}src\/shared\.ts \(contents; also changed by BACKEND\)\n {6}@@ line 2 @@\n {6}<<<<<<< your working tree\n {6}TWO by backend\n/);
    expect(read(cwd, 'src/shared.ts')).toBe('one\nTWO by backend\nthree\n');
    const frontendWorktree = join(featureDir(cwd), 'worktrees', 'FRONTEND');
    expect(read(frontendWorktree, 'src/shared.ts')).toBe('one\ntwo by frontend\nthree\n');

    // The user resolves it in FRONTEND's worktree: its change now agrees with BACKEND's.
    writeFileSync(join(frontendWorktree, 'src', 'shared.ts'), 'one\nTWO by backend\nthree\nfour by frontend\n');
    const resumed = await runCli(RESUME, { cwd });
    expect(resumed.exitCode, resumed.stderr).toBe(0);
    expect(read(cwd, 'src/shared.ts')).toBe('one\nTWO by backend\nthree\nfour by frontend\n');
    expect(merged(cwd)).toEqual(['BACKEND: src/shared.ts', 'FRONTEND: src/shared.ts']);
    expect((await gitState(cwd)).teambotRefs).toBe('');
  });

  it('a SIGKILL right after a stage was merged, before the run recorded it: the resume merges nothing twice and completes', async () => {
    const cwd = await repository(`default_ms: 0
stages:
  BACKEND: { writes: { src/shared.ts: "one\\nTWO by backend\\nthree\\n", server/api.ts: "api\\n" } }
  FRONTEND: { writes: { web/toggle.tsx: "toggle\\n" } }
`);
    const killed = await runCli(RUN, { cwd, env: { TEAMBOT_TEST_CRASH_AT: 'merged:1' } });
    expect(killed.signal).toBe('SIGKILL');
    expect(read(cwd, 'src/shared.ts')).toBe('one\nTWO by backend\nthree\n');
    expect(existsSync(join(cwd, 'web', 'toggle.tsx'))).toBe(false);

    const resumed = await runCli(RESUME, { cwd });
    expect(resumed.exitCode, resumed.stderr).toBe(0);
    expect(read(cwd, 'src/shared.ts')).toBe('one\nTWO by backend\nthree\n');
    expect(read(cwd, 'server/api.ts')).toBe('api\n');
    expect(read(cwd, 'web/toggle.tsx')).toBe('toggle\n');
    // BACKEND's merge ran again and found its changes there already.
    expect(merged(cwd)).toEqual(['BACKEND: -', 'FRONTEND: web/toggle.tsx']);
    expect(await gitState(cwd)).toMatchObject({ teambotRefs: '', worktrees: 1 });
  });

  it('clean keeps a stopped run\'s unmerged worktrees unless --force, then removes them and their refs; a bad name is refused', async () => {
    const cwd = await repository(CONFLICTING);
    expect((await runCli(RUN, { cwd })).exitCode).toBe(1);
    const kept = await runCli(['clean', '--stages', 'stages.yaml'], { cwd });
    expect(kept.exitCode).toBe(1);
    expect(kept.stdout).toContain('dark-mode-toggle: its worktrees hold changes not merged yet (FRONTEND); resume the run to merge them, or clean --force to discard them');
    expect((await gitState(cwd)).worktrees).toBe(3);

    const cleaned = await runCli(['clean', '--stages', 'stages.yaml', '--force'], { cwd });
    expect(cleaned.exitCode, cleaned.stderr).toBe(0);
    expect(cleaned.stdout).toMatch(/^dark-mode-toggle: removed 2 worktrees and 3 private refs$/m);
    expect(await gitState(cwd)).toMatchObject({ teambotRefs: '', worktrees: 1 });
    expect(existsSync(join(featureDir(cwd), 'worktrees'))).toBe(false);

    const refused = await runCli(['clean', '../elsewhere'], { cwd });
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toContain('[clean-not-a-feature]');
  });

  it('--rerun STAGE runs that stage again in a fresh worktree from the base: what its conflicting attempt wrote is gone', async () => {
    const cwd = await repository(CONFLICTING);
    expect((await runCli(RUN, { cwd })).exitCode).toBe(1);
    // FRONTEND's agent, run again, leaves src/shared.ts alone.
    writeFileSync(join(cwd, 'sim.yaml'), 'default_ms: 0\nstages:\n  FRONTEND: { writes: { web/toggle.tsx: "toggle\\n" } }\n');
    const rerun = await runCli([...RESUME, '--rerun', 'FRONTEND'], { cwd });
    expect(rerun.exitCode, rerun.stderr).toBe(0);
    expect(read(cwd, 'src/shared.ts')).toBe('one\nTWO by backend\nthree\n');
    expect(read(cwd, 'web/toggle.tsx')).toBe('toggle\n');
    expect(merged(cwd)).toEqual(['BACKEND: src/shared.ts', 'FRONTEND: web/toggle.tsx']);
  });

  it('a SIGKILL while one stage works and its sibling is done: the resume keeps the done stage\'s worktree changes and merges both', async () => {
    const cwd = await repository(`default_ms: 0
stages:
  BACKEND: { writes: { server/api.ts: "api\\n" } }
  FRONTEND: { ms: 600000, writes: { web/toggle.tsx: "toggle\\n" } }
`);
    const first = spawnCli(RUN, { cwd });
    await first.waitForOutput(/stage\.completed\s+BACKEND/);
    first.subprocess.kill('SIGKILL');
    await first.subprocess;
    expect(read(join(featureDir(cwd), 'worktrees', 'BACKEND'), 'server/api.ts')).toBe('api\n');
    expect(existsSync(join(cwd, 'server', 'api.ts'))).toBe(false);

    writeFileSync(join(cwd, 'sim.yaml'), 'default_ms: 0\nstages:\n  BACKEND: { writes: { server/api.ts: "api\\n" } }\n  FRONTEND: { writes: { web/toggle.tsx: "toggle\\n" } }\n');
    const resumed = await runCli(RESUME, { cwd });
    expect(resumed.exitCode, resumed.stderr).toBe(0);
    expect(read(cwd, 'server/api.ts')).toBe('api\n');
    expect(read(cwd, 'web/toggle.tsx')).toBe('toggle\n');
    expect(merged(cwd)).toEqual(['BACKEND: server/api.ts', 'FRONTEND: web/toggle.tsx']);
  });

  it('config/examples/parallel-code.yaml runs end to end with its simulation: each builder\'s file merged into the project', async () => {
    const cwd = await repository('default_ms: 0\n');
    const example = (name: string) => join(repoRoot, 'config', 'examples', name);
    const run = await runCli(['run', 'objective.md', '--stages', example('parallel-code.yaml'), '--runner', 'simulated',
      '--simulate', example('parallel-code.simulation.yaml'), '--no-ui'], { cwd });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/IMPLEMENT_BACKEND .*merged: 1 file changed \(server\/api\.ts\)/);
    expect(run.stdout).toMatch(/IMPLEMENT_FRONTEND .*merged: 1 file changed \(web\/toggle\.tsx\)/);
    expect(existsSync(join(cwd, 'server', 'api.ts')) && existsSync(join(cwd, 'web', 'toggle.tsx'))).toBe(true);
    expect(await gitState(cwd)).toMatchObject({ teambotRefs: '', worktrees: 1 });
  });
});
