import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, runCliInProcess } from '../support/runCli.js';
import { commands, createProject, featureDirectory, objectiveFile, snapshot, stackTraceLine, stateFile } from '../support/project.js';

/**
 * A repository can be cloned with symbolic links planted in `.teambot/` or a
 * teambot.json whose teambot_dir is `/etc`: teambot must never write through
 * them. Each link points at a file outside the project that must stay as it was.
 */

const TARGET_TEXT = 'outside the project: teambot must not write here\n';

/** A file outside every project, and a link to it planted at `path` (relative to the project). */
function plantLink(cwd: string, path: string): string {
  const target = join(mkdtempSync(join(tmpdir(), 'teambot-outside-')), 'target.txt');
  writeFileSync(target, TARGET_TEXT);
  mkdirSync(dirname(join(cwd, path)), { recursive: true });
  symlinkSync(target, join(cwd, path));
  return target;
}

/** A project whose agents run through the command runner with {prompt_file}, so prompts are written to files. */
function commandRunnerProject(): string {
  const cwd = createProject();
  const agent = join(cwd, 'agent.mjs');
  writeFileSync(agent, 'console.log("done");\n');
  chmodSync(agent, 0o755);
  const team = JSON.parse(readFileSync(join(cwd, 'teambot.json'), 'utf8')) as Record<string, unknown>;
  team.runner = { type: 'command', argv: ['node', agent, '{prompt_file}'], max_retries: 0 };
  writeFileSync(join(cwd, 'teambot.json'), JSON.stringify(team, null, 2));
  return cwd;
}

describe('a symbolic link planted in the run directory is never written through', () => {
  it('artifacts/research.md: RESEARCH fails naming it [symlink-refused], the file outside is untouched', async () => {
    const cwd = createProject();
    const link = join(featureDirectory, 'artifacts', 'research.md');
    const target = plantLink(cwd, link);

    const result = await runCliInProcess(commands.run, { cwd });

    const output = `${result.stdout}\n${result.stderr}`;
    expect(result.exitCode, output).toBe(1);
    expect(output).toContain('artifacts/research.md');
    expect(output).toContain('symlink-refused');
    expect(output).not.toMatch(stackTraceLine);
    expect(readFileSync(target, 'utf8')).toBe(TARGET_TEXT);
    const state = JSON.parse(readFileSync(join(cwd, stateFile), 'utf8')) as { status: string; stages: Record<string, { status: string }> };
    expect(state.status).toBe('error');
    expect(state.stages.RESEARCH?.status).toBe('failed');
  });

  it.for([
    { name: 'events.jsonl', path: join(featureDirectory, 'events.jsonl') },
    { name: 'the state file', path: stateFile },
    { name: 'agents.json', path: join(featureDirectory, 'agents.json') },
  ])('$name: the run is refused before it starts (exit 2, [symlink-refused] naming it), the file outside is untouched', async ({ path }) => {
    const cwd = createProject();
    const target = plantLink(cwd, path);

    const result = await runCliInProcess(commands.run, { cwd });

    expect(result.exitCode, result.stderr).toBe(2);
    expect(result.stderr).toMatch(new RegExp(`${path.split('/').at(-1)!.replace('.', '\\.')}: .+ \\[symlink-refused\\]\\n\\s+fix: \\S`));
    expect(result.stderr).not.toMatch(stackTraceLine);
    expect(readFileSync(target, 'utf8')).toBe(TARGET_TEXT);
  });

  it('a prompt file: the stage fails naming it [symlink-refused], the file outside is untouched', async () => {
    const cwd = commandRunnerProject();
    const target = plantLink(cwd, join(featureDirectory, 'prompts', 'SETUP-1.md'));

    const result = await runCliInProcess(['run', objectiveFile, '--no-ui'], { cwd });

    const output = `${result.stdout}\n${result.stderr}`;
    expect(result.exitCode, output).toBe(1);
    expect(output).toContain('prompts/SETUP-1.md');
    expect(output).toContain('symlink-refused');
    expect(output).not.toMatch(stackTraceLine);
    expect(readFileSync(target, 'utf8')).toBe(TARGET_TEXT);
  });
});

describe('teambot_dir from a configuration file stays inside the project', () => {
  it.for(['/etc', '../x'])('teambot_dir %s is refused (exit 2, [teambot-dir-outside-project] at its line), nothing is written', async (teambotDir) => {
    const cwd = createProject();
    const team = readFileSync(join(cwd, 'teambot.json'), 'utf8');
    writeFileSync(join(cwd, 'teambot.json'), team.replace('"teambot_dir": ".teambot"', `"teambot_dir": ${JSON.stringify(teambotDir)}`));

    // Where the run would go: it may exist already (another project's test under the same /tmp), but must not change.
    const runDirectory = resolve(cwd, teambotDir, 'simple-notification-end');
    const before = existsSync(runDirectory) ? snapshot(runDirectory) : undefined;

    const result = await runCliInProcess(commands.run, { cwd });

    expect(result.exitCode, result.stderr).toBe(2);
    expect(result.stderr).toMatch(/teambot\.json:\d+:\d+: teambot_dir ".+" .+ \[teambot-dir-outside-project\]\n\s+fix: .*TEAMBOT_DIR/);
    expect(existsSync(runDirectory) ? snapshot(runDirectory) : undefined).toEqual(before);
  });

  it('TEAMBOT_DIR keeps the runs elsewhere on purpose, and says so', async () => {
    const cwd = createProject();
    const runs = mkdtempSync(join(tmpdir(), 'teambot-runs-'));

    const result = await runCli(commands.run, { cwd, env: { TEAMBOT_DIR: runs } });

    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stderr).toContain(`teambot: runs are kept in ${runs} (TEAMBOT_DIR)`);
    expect(existsSync(join(runs, 'simple-notification-end', 'orchestration_state.json'))).toBe(true);
    expect(existsSync(join(cwd, '.teambot'))).toBe(false);
  });
});
