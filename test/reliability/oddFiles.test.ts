import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import which from 'which';
import { afterEach, describe, expect, it } from 'vitest';
import { cliPath, runCli, runCliInProcess } from '../support/runCli.js';
import { commands, createProject, featureDirectory, objectiveFile, snapshot, stackTraceLine, stateFile } from '../support/project.js';

/**
 * Paths that are not what teambot expects — a pipe, a device, a directory it cannot
 * enter, a working directory that was deleted — are refused like any bad input: exit 2,
 * the path, the [rule] and a fix, never a hang, a stack trace or "unexpected error".
 */

/** Longer than any refusal takes, shorter than the test's own timeout: a hang fails with a clear message. */
const DEADLINE_MS = 15_000;

/** Runs the built CLI as a real process killed at the deadline (a blocked read must not block the suite). */
async function runWithin(command: readonly string[], cwd: string) {
  const [file, ...args] = command;
  const result = await execa(file!, args, {
    cwd, env: { NO_COLOR: '1' }, reject: false, stdin: 'ignore', timeout: DEADLINE_MS, killSignal: 'SIGKILL',
  });
  if (result.timedOut) throw new Error(`${command.join(' ')} did not finish within ${DEADLINE_MS} ms: it hangs`);
  return { exitCode: result.exitCode, stdout: result.stdout, stderr: result.stderr };
}

/** The refusal every case expects: exit 2, `<path ending in file>: … [rule]`, a fix line, nothing unexpected. */
function expectRefused(result: { exitCode?: number | undefined; stderr: string }, file: string, rule: string): void {
  const context = `stderr: ${result.stderr}`;
  expect(result.exitCode, context).toBe(2);
  expect(result.stderr, context).not.toMatch(stackTraceLine);
  expect(result.stderr, context).not.toMatch(/unexpected error/);
  const escaped = file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  expect(result.stderr, context).toMatch(new RegExp(`^(?:.*/)?${escaped}: .+ \\[${rule}\\]\\n {2}fix: \\S`, 'm'));
}

const projects: string[] = [];
afterEach(() => {
  for (const project of projects.splice(0)) {
    chmodSync(project, 0o755);
    rmSync(project, { recursive: true, force: true });
  }
});

/** A project (see createProject) that this file's afterEach removes. */
function project(simulation?: string): string {
  const cwd = createProject(simulation);
  projects.push(cwd);
  return cwd;
}

/** A project with a finished run (status complete) in `.teambot/<feature>`. */
async function projectWithRun(): Promise<string> {
  const cwd = project();
  const run = await runCliInProcess(commands.run, { cwd });
  expect(run.exitCode, run.stderr).toBe(0);
  return cwd;
}

describe('FIFOs are refused without being opened (a read would wait for a writer forever)', () => {
  const fifoCases = [
    { name: 'validate -c', fifo: 'team.json', args: ['validate', '-c', 'team.json'] },
    { name: 'validate -o', fifo: 'objective.md', args: ['validate', '-o', 'objective.md'] },
    { name: 'status <state file>', fifo: 'state.json', args: ['status', 'state.json'] },
    { name: 'run --simulate', fifo: 'sim.fifo', args: ['run', objectiveFile, '--runner', 'simulated', '--simulate', 'sim.fifo', '--no-ui'] },
  ];
  it.each(fifoCases)('$name names the FIFO [not-a-file]', async ({ fifo, args }) => {
    const cwd = project();
    await execa('mkfifo', [join(cwd, fifo)]);

    const result = await runWithin(['node', cliPath, ...args], cwd);

    expectRefused(result, fifo, 'not-a-file');
    expect(result.stderr).toContain('this is a FIFO (named pipe), not a file');
  });
});

describe('a working directory deleted after the shell entered it', () => {
  it.each([['validate'], ['--version']])('teambot %s says so and exits 2', async (argument) => {
    const parent = project();
    const gone = join(parent, 'gone');
    mkdirSync(gone);
    // The shell enters it, removes it, then becomes teambot, whose cwd is then a deleted directory.
    const result = await runWithin(['sh', '-c', `cd "${gone}" && rmdir "${gone}" && exec node "${cliPath}" ${argument}`], parent);

    expect(result.exitCode, result.stderr).toBe(2);
    expect(result.stderr).toBe('teambot: the current directory no longer exists (it was deleted or moved): cd to your project and run the command again');
    expect(result.stdout).toBe('');
  });
});

describe('a runs directory that cannot be used', () => {
  it('TEAMBOT_DIR under /dev/null: names /dev/null [not-a-directory], creates nothing', async () => {
    // teambot.json may not name a directory outside the project; the environment may, on purpose.
    const cwd = project();
    const before = snapshot(cwd);

    const result = await runCli(commands.run, { cwd, env: { TEAMBOT_DIR: '/dev/null/runs' } });

    expectRefused(result, '/dev/null', 'not-a-directory');
    expect(result.stderr).toContain('this is a device, not a directory');
    expect(snapshot(cwd)).toEqual(before);
  });

  it('a run whose events.jsonl is a directory: run --fresh refuses before archiving anything, so status still finds the run', async () => {
    const cwd = await projectWithRun();
    const events = join(cwd, featureDirectory, 'events.jsonl');
    rmSync(events);
    mkdirSync(events);
    const before = snapshot(cwd);

    const result = await runCliInProcess([...commands.run, '--fresh'], { cwd });

    expectRefused(result, 'events.jsonl', 'not-a-file');
    expect(snapshot(cwd)).toEqual(before);
    const status = await runCliInProcess(commands.status, { cwd });
    expect(status.exitCode, status.stderr).toBe(0);
    expect(status.stdout).toContain('complete');
  });
});

/**
 * Permissions: root reads and writes through them, so as root the CLI runs as `nobody`
 * (with runuser); as anyone else it runs as the current user. Both paths assert the same.
 */
describe('permissions on the runs directory', () => {
  const root = process.getuid?.() === 0;
  const runuser = root ? which.sync('runuser', { nothrow: true }) : null;
  const asUnprivileged = (args: readonly string[]) => (runuser ? [runuser, '-u', 'nobody', '--', 'node', cliPath, ...args] : ['node', cliPath, ...args]);
  // Without runuser, root cannot be refused anything: the test says so instead of passing vacuously.
  const canBeRefused = !root || runuser !== null;

  /** A finished run, every file of it readable and writable by the user the CLI runs as. */
  async function sharedProjectWithRun(): Promise<string> {
    const cwd = await projectWithRun();
    if (runuser) await execa('chmod', ['-R', 'a+rwX', cwd]);
    return cwd;
  }

  /** Runs the CLI with `path` at `mode`, then restores it and checks nothing under the project changed. */
  async function refusedWith(cwd: string, path: string, mode: number, args: readonly string[]) {
    const before = snapshot(cwd);
    chmodSync(path, mode);
    try {
      return await runWithin(asUnprivileged(args), cwd);
    } finally {
      chmodSync(path, 0o777);
      expect(snapshot(cwd)).toEqual(before);
    }
  }

  it('can refuse this user something (root with runuser, or not root)', () => {
    expect(canBeRefused, 'running as root without runuser: permission cases cannot be tested').toBe(true);
  });

  it('a feature directory at mode 000: status says it cannot look inside [unreadable] (not "no run")', async () => {
    const cwd = await sharedProjectWithRun();
    const result = await refusedWith(cwd, join(cwd, featureDirectory), 0o000, ['status']);
    expectRefused(result, 'orchestration_state.json', 'unreadable');
    expect(result.stderr).toContain('permission denied');
    expect(result.stderr).toContain(`check that ${featureDirectory} is a readable directory`);
  });

  it('a feature directory at mode 555: run --fresh cannot write its lock [unwritable], nothing archived', async () => {
    const cwd = await sharedProjectWithRun();
    const result = await refusedWith(cwd, join(cwd, featureDirectory), 0o555, [...commands.run, '--fresh']);
    expectRefused(result, featureDirectory, 'unwritable');
    expect(result.stderr).toContain('cannot write its run lock (run.lock): permission denied');
  });

  it('a read-only parent of teambot_dir: run cannot create the run directory [unwritable]', async () => {
    const cwd = project();
    mkdirSync(join(cwd, 'readonly'));
    const team = JSON.parse(readFileSync(join(cwd, 'teambot.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(join(cwd, 'teambot.json'), JSON.stringify({ ...team, teambot_dir: 'readonly/runs' }));
    if (runuser) await execa('chmod', ['-R', 'a+rwX', cwd]);
    const result = await refusedWith(cwd, join(cwd, 'readonly'), 0o555, commands.run);
    expectRefused(result, 'readonly/runs/simple-notification-end', 'unwritable');
    expect(result.stderr).toMatch(/check that \S*readonly is a writable directory/);
  });

  it('.teambot at mode 000: status cannot list the runs [unreadable]', async () => {
    const cwd = await sharedProjectWithRun();
    const result = await refusedWith(cwd, join(cwd, '.teambot'), 0o000, ['status']);
    expectRefused(result, '.teambot', 'unreadable');
  });

  it('an unreadable events.jsonl: inspect names it [unreadable] instead of serving', async () => {
    const cwd = await sharedProjectWithRun();
    const result = await refusedWith(cwd, join(cwd, featureDirectory, 'events.jsonl'), 0o000, ['inspect']);
    expectRefused(result, 'events.jsonl', 'unreadable');
    expect(result.stderr).toContain('events.jsonl is a readable file');
  });
});

describe('messages that name the right thing to change', () => {
  it('stages_config naming a directory: the fix names stages_config in teambot.json', async () => {
    const cwd = project();
    const team = JSON.parse(readFileSync(join(cwd, 'teambot.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(join(cwd, 'teambot.json'), JSON.stringify({ ...team, stages_config: '.' }));

    const result = await runCliInProcess(['validate'], { cwd });

    expectRefused(result, '.', 'unreadable');
    expect(result.stderr).toMatch(/^\.: this is a directory, not a file \[unreadable\]\n {2}fix: set "stages_config" in teambot\.json to the stages file itself/m);
  });

  it('a missing objective named on the command line: the fix does not speak of --objective', async () => {
    const cwd = project();
    const result = await runCliInProcess(['run', 'nowhere.md', '--runner', 'simulated', '--no-ui'], { cwd });
    expectRefused(result, 'nowhere.md', 'objective-not-found');
    expect(result.stderr).not.toContain('--objective');
    expect(result.stderr).toContain('resolved from the directory you ran teambot in');
  });

  it('an objective given as the stages file: a hint to pass it with -o', async () => {
    const cwd = project();
    const result = await runCliInProcess(['validate', objectiveFile], { cwd });
    expectRefused(result, objectiveFile, 'wrong-file-kind');
    expect(result.stderr).toContain(`\`teambot validate -o ${objectiveFile}\``);
  });

  it('a stages file given as --config: a hint to pass it with --stages', async () => {
    const cwd = project();
    const result = await runCliInProcess(['validate', '-c', 'stages.yaml'], { cwd });
    expectRefused(result, 'stages.yaml', 'wrong-file-kind');
    expect(result.stderr).toContain('--stages stages.yaml');
  });

  it('a correct stages file passed as validate\'s argument gets no hint', async () => {
    const cwd = project();
    const result = await runCliInProcess(['validate', 'stages.yaml', '--runner', 'simulated'], { cwd });
    expect(result.stderr).not.toContain('wrong-file-kind');
  });
});

describe('thousands of problems', () => {
  it('prints the first 50 and how many more, and the count of all of them', async () => {
    const cwd = project();
    const stages = readFileSync(join(cwd, 'stages.yaml'), 'utf8');
    const unknown = Array.from({ length: 2000 }, (_, index) => `    not_a_field_${index}: 1\n`).join('');
    writeFileSync(join(cwd, 'stages.yaml'), stages.replace('    name: Setup\n', `    name: Setup\n${unknown}`));

    const result = await runCliInProcess(['validate'], { cwd });

    expect(result.exitCode).toBe(2);
    const lines = result.stderr.split('\n');
    expect(lines.filter((line) => line.endsWith('[unknown-field]'))).toHaveLength(50);
    expect(lines.filter((line) => /^\s+fix: /.test(line))).toHaveLength(50);
    expect(lines).toContain('… and 1950 more problems');
    expect(lines.at(-1)).toBe('✗ 2000 problems found; nothing was changed.');
    // The ones shown are the first in the file.
    expect(lines[0]).toContain('not_a_field_0');
  });

  it('a state file with 5000 unknown stages: the same shape', async () => {
    const cwd = await projectWithRun();
    const state = JSON.parse(readFileSync(join(cwd, stateFile), 'utf8')) as { stages: Record<string, unknown> };
    for (let index = 0; index < 5000; index++) state.stages[`NOWHERE_${index}`] = { status: 'completed' };
    writeFileSync(join(cwd, stateFile), JSON.stringify(state, null, 2));

    const result = await runCliInProcess(commands.status, { cwd });

    expect(result.exitCode).toBe(2);
    const lines = result.stderr.split('\n');
    expect(lines.filter((line) => / \[[a-z-]+\]$/.test(line))).toHaveLength(50);
    expect(lines).toContain('… and 4950 more problems');
    expect(lines.at(-1)).toBe('✗ 5000 problems found; nothing was changed.');
  });
});
