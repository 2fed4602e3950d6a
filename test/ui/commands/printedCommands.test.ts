import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { demoFeature, demoProject, fixtureText, createProject, commands, featureDirectory, objectiveFile, feature } from '../../support/project.js';
import { fakeAgentsDir, runCli, runCliInProcess, spawnCli, temporaryDirectory } from '../../support/runCli.js';
import { isAlive, waitFor } from '../../support/processes.js';

/** Runs a command line exactly as pasted into a shell in `cwd`. */
async function paste(command: string, cwd: string) {
  const result = await execa('sh', ['-c', command], { cwd, env: { NO_COLOR: '1' }, reject: false, stdin: 'ignore' });
  return { exitCode: result.exitCode, stdout: result.stdout, stderr: result.stderr };
}

/** The command after `label` (`resume  node …/cli.js resume x`), joined back when the summary wrapped it. */
function printed(text: string, label: RegExp): string {
  const match = label.exec(text);
  if (!match) throw new Error(`no ${label} in:\n${text}`);
  return match[1]!.trim();
}

const demoObjectiveText = readFileSync(join(import.meta.dirname, '..', '..', '..', 'config', 'objectives', 'demo.md'), 'utf8');

describe('every command teambot prints works when pasted', () => {
  it('the resume commands of the summary, status and the run-exists refusal repeat the simulated run, from anywhere in the project', async () => {
    const project = demoProject('default_ms: 1\nstages:\n  SPEC: { fail: the simulated spec failed }\n');
    writeFileSync(join(project.cwd, 'objective.md'), demoObjectiveText);
    const failed = await runCli(['run', 'objective.md', '--runner', 'simulated', '--simulate', 'sim.yaml', '--no-ui'], { cwd: project.cwd });
    expect(failed.exitCode).toBe(1);
    const fromSummary = printed(failed.stdout, /^\s+resume\s+(.+)$/m);
    expect(fromSummary).toMatch(new RegExp(`^node \\S+cli\\.js resume ${demoFeature}$`));

    const status = await runCli(['status'], { cwd: project.cwd });
    const fromStatus = printed(status.stdout, /^ {2}resume: (.+)$/m);
    const again = await runCli(['run', 'objective.md', '--runner', 'simulated', '--no-ui'], { cwd: project.cwd });
    expect(again.exitCode).toBe(2);
    const fromRefusal = printed(again.stderr, /resume it with `([^`]+)`/);
    expect(new Set([fromSummary, fromStatus, fromRefusal]).size, 'one way to resume, said everywhere').toBe(1);

    // Pasted in a subdirectory: the project is found above it, and the recorded simulation is used
    // (no "copilot is not installed"); the simulated SPEC fails again, as the script says.
    const subdirectory = join(project.cwd, 'src', 'deep');
    mkdirSync(subdirectory, { recursive: true });
    const resumed = await paste(fromSummary, subdirectory);
    expect(resumed.stderr).toContain(`teambot: using the project at ${project.cwd} (its .teambot)`);
    expect(resumed.stdout).toMatch(/^resuming dark-mode-toggle from /m);
    expect(resumed.stdout).toMatch(/stage\.failed\s+SPEC\s+the simulated spec failed/);
    expect(resumed.exitCode).toBe(1);
  }, 60_000);

  it('after a timeout the printed resume gives the run more time, and pasting it completes the run', async () => {
    // The first agent call lasts ten minutes: only the shortest limit allowed (about 1 s) ends this run.
    const project = demoProject('default_ms: 600000\n');
    const timedOut = await runCli([...project.run, '--max-hours', '0.0003'], { cwd: project.cwd });
    expect(timedOut.exitCode).toBe(1);
    const command = printed(timedOut.stdout, /^\s+resume\s+(.+)$/m);
    expect(command).toMatch(/ resume dark-mode-toggle --max-hours 9$/);

    const bare = await runCliInProcess(['resume', demoFeature], { cwd: project.cwd });
    expect(bare.exitCode).toBe(2);
    expect(bare.stderr).toMatch(/this run has used its whole time limit \(1\.1 s\); resumed as it is, it would stop at once \[time-limit-reached\]\n {2}fix: give it a new total limit: `teambot resume dark-mode-toggle --max-hours 9`/);

    writeFileSync(join(project.cwd, 'sim.yaml'), 'default_ms: 1\n');
    const resumed = await paste(command, project.cwd);
    expect(resumed.exitCode).toBe(0);
    expect(project.state().status).toBe('complete');
  }, 60_000);

  it('after a configuration change the refusal prints the command with --force, which resumes', async () => {
    const cwd = createProject('default_ms: 1\nstages:\n  PLAN: { fail: plan failed }\n');
    expect((await runCliInProcess(commands.run, { cwd })).exitCode).toBe(1);
    writeFileSync(join(cwd, 'stages.yaml'), fixtureText.stages.replace('description: Create detailed feature specification', 'description: Create a detailed feature specification'));
    writeFileSync(join(cwd, 'sim.yaml'), 'default_ms: 1\n');
    const refused = await runCli(['resume', feature], { cwd });
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toMatch(/\[stages-changed\]/);
    const forced = printed(refused.stderr, /or with the new one: `([^`]+)`/);
    expect(forced).toMatch(new RegExp(`resume ${feature} --force$`));
    const resumed = await paste(forced, cwd);
    expect(resumed.exitCode).toBe(0);
  }, 60_000);
  it('init\'s next steps: the check for a real run and the dry run both pass once the objective is written', async () => {
    const cwd = temporaryDirectory();
    writeFileSync(join(cwd, 'package.json'), JSON.stringify({ name: 'app', scripts: { test: 'node --test' } }));
    const env = { PATH: `${fakeAgentsDir}${delimiter}${dirname(process.execPath)}` };
    const init = await runCli(['init'], { cwd, env });
    expect(init.exitCode).toBe(0);
    writeFileSync(join(cwd, 'objectives', 'example.md'), demoObjectiveText);
    const steps = [...init.stdout.matchAll(/^ {2}[234]\. (.+?)(?: {4}.*)?$/gm)].map((match) => match[1]!);
    expect(steps).toHaveLength(3);
    for (const step of steps.slice(0, 2)) {
      const result = await execa('sh', ['-c', step], { cwd, env: { ...env, NO_COLOR: '1' }, reject: false, stdin: 'ignore' });
      expect(result.exitCode, `${step}\n${result.stderr}`).toBe(0);
    }
    expect(JSON.parse(readFileSync(join(cwd, '.teambot', demoFeature, 'orchestration_state.json'), 'utf8'))).toMatchObject({ status: 'complete' });
  }, 60_000);
});

describe('resume and status find a run by what the user has at hand', () => {
  it('a feature name, its directory, its state file or its objective; anything else lists the runs there are', async () => {
    // The first agent call lasts ten minutes: the shortest limit allowed (about 1 s) ends the run.
    const cwd = createProject('default_ms: 600000\n');
    expect((await runCliInProcess([...commands.run, '--max-hours', '0.0003'], { cwd })).exitCode).toBe(1);
    for (const target of [feature, featureDirectory, join(featureDirectory, 'orchestration_state.json'), objectiveFile]) {
      const status = await runCliInProcess(['status', target, '--json'], { cwd });
      expect(status.exitCode, target).toBe(0);
      expect(JSON.parse(status.stdout), target).toMatchObject({ feature, status: 'timeout', run: 'interrupted' });
    }
    const typo = await runCliInProcess(['resume', 'simple-notification-nd'], { cwd });
    expect(typo.exitCode).toBe(2);
    expect(typo.stderr).toMatch(/simple-notification-nd: no such state file, feature directory, feature or objective \[state-not-found\]\n {2}fix: did you mean simple-notification-end\? .*\(runs here: simple-notification-end\)/);

    // An objective with no run yet is not mistaken for a corrupt state file.
    writeFileSync(join(cwd, 'other.md'), '# Another feature\n\n## Goals\n- do it\n');
    const unrun = await runCliInProcess(['resume', 'other.md'], { cwd });
    expect(unrun.exitCode).toBe(2);
    expect(unrun.stderr).toMatch(/other\.md: no run of this objective yet \(its feature would be [a-z-]+\) \[state-not-found\]\n {2}fix: start one with `teambot run other\.md`/);
    expect(unrun.stderr).not.toMatch(/corrupt|backup/);
  });

  it('from a subdirectory, run uses the project\'s team and writes its run there, saying which project', async () => {
    const cwd = createProject();
    const subdirectory = join(cwd, 'packages', 'app');
    mkdirSync(subdirectory, { recursive: true });
    const result = await runCliInProcess(['run', join('..', '..', objectiveFile), '--runner', 'simulated', '--simulate', '../../sim.yaml', '--no-ui'], { cwd: subdirectory });
    expect(result.stderr).toContain(`teambot: using the project at ${cwd} (its teambot.json)`);
    expect(result.exitCode).toBe(0);
    // The summary names files as seen from where the user is: outside it, by their whole path.
    expect(result.stdout).toContain(`  state      ${join(cwd, featureDirectory, 'orchestration_state.json')}\n`);
    const state = JSON.parse(readFileSync(join(cwd, featureDirectory, 'orchestration_state.json'), 'utf8')) as { objective_file: string; run_options: unknown };
    expect(state.objective_file).toBe(objectiveFile);
    expect(state.run_options).toEqual({ runner: 'simulated', simulate: 'sim.yaml' });
  });
});

describe('status tells a live run from a dead one', () => {
  it('running (pid) while the process runs; interrupted, with the resume command, once it is SIGKILLed', async () => {
    const cwd = createProject('default_ms: 1\nstages:\n  RESEARCH: { ms: 600000 }\n');
    const run = spawnCli(commands.run, { cwd });
    await run.waitForOutput(/stage\.started\s+RESEARCH/);
    const pid = run.subprocess.pid!;
    const live = JSON.parse((await runCliInProcess(['status', feature, '--json'], { cwd })).stdout) as Record<string, unknown>;
    expect(live).toMatchObject({ run: 'running', process: { pid }, resume_command: null });

    run.subprocess.kill('SIGKILL');
    await run.subprocess;
    await waitFor(() => !isAlive(pid), 10_000, `teambot (pid ${pid}) to be gone after SIGKILL`);
    const dead = await runCliInProcess(['status', feature], { cwd });
    expect(dead.stdout).toMatch(new RegExp(`^${feature}: interrupted \\(no teambot process is running it: it was killed or crashed\\)`));
    expect(dead.stdout).toMatch(/■ RESEARCH\s+interrupted/);
    expect(dead.stdout).toMatch(new RegExp(`resume: teambot resume ${feature}$`, 'm'));
  }, 60_000);
});

describe('resume --force with a state naming stages the workflow lacks', () => {
  it('drops them with a warning and resumes', async () => {
    const cwd = createProject();
    mkdirSync(join(cwd, featureDirectory), { recursive: true });
    const legacy = JSON.parse(fixtureText.legacyState) as { stage_outputs: Record<string, string> };
    legacy.stage_outputs.SECURITY_AUDIT = 'an audit this workflow no longer has';
    writeFileSync(join(cwd, featureDirectory, 'orchestration_state.json'), JSON.stringify(legacy, null, 2));

    const refused = await runCliInProcess(['run', objectiveFile, '--resume', feature, '--runner', 'simulated', '--simulate', 'sim.yaml', '--no-ui'], { cwd });
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toMatch(/stage SECURITY_AUDIT: the state file records stage "SECURITY_AUDIT", which the stages configuration .* does not define \[state-stage-missing\]/);

    const forced = await runCliInProcess(['run', objectiveFile, '--resume', feature, '--runner', 'simulated', '--simulate', 'sim.yaml', '--no-ui', '--force'], { cwd });
    expect(forced.stderr).toMatch(/^warning: .*orchestration_state\.json: the state records a stage this workflow does not have: SECURITY_AUDIT; left out \(--force\) \[state-stages-dropped\]/m);
    expect(forced.exitCode).toBe(0);
  });
});
