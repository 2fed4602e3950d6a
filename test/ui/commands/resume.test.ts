import { copyFileSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { demoFeature as feature, demoObjective, demoProject as project, type LoggedEvent, type SavedState } from '../../support/project.js';
import { fixturesDir, repoRoot, runCliInProcess, temporaryDirectory, withoutWarnings } from '../../support/runCli.js';

/** A test here runs up to five whole (simulated) runs one after another. */
const PROCESSES = { timeout: 60_000 };

/** Events logged since the last run.started. */
const lastRun = (events: LoggedEvent[]) => events.slice(events.map((event) => event.type).lastIndexOf('run.started'));

describe('resume after a stop', PROCESSES, () => {
  it('re-runs only the failed stage of a failed group', async () => {
    const p = project('default_ms: 2\nstages:\n  TEST_STRATEGY: { fail: "simulated failure" }\n');
    expect((await runCliInProcess(p.run, { cwd: p.cwd })).exitCode).toBe(1);
    expect(p.state()).toMatchObject({ status: 'error', current_stage: 'PARALLEL_GROUP:post_spec_review' });
    p.simulate('default_ms: 2\n');
    const resumed = await runCliInProcess(p.resume, { cwd: p.cwd });
    expect(resumed.exitCode).toBe(0);
    expect(resumed.stdout).toMatch(/re-running TEST_STRATEGY: failed \(simulated failure\)/);
    const started = lastRun(p.events()).filter((event) => event.type === 'stage.started').map((event) => event.stage);
    expect(started[0]).toBe('TEST_STRATEGY');
    expect(started).not.toContain('RESEARCH');
  });

  it('carries elapsed time over, says a complete run is complete, and --rerun re-runs from a stage', async () => {
    const p = project('default_ms: 2\nstages:\n  PLAN_REVIEW: { verdicts: [reject, reject, reject, reject] }\n');
    expect((await runCliInProcess(p.run, { cwd: p.cwd })).exitCode).toBe(1);
    const firstElapsed = p.state().elapsed_seconds;
    expect(firstElapsed).toBeGreaterThan(0);
    p.simulate('default_ms: 2\n');
    expect((await runCliInProcess(p.resume, { cwd: p.cwd })).exitCode).toBe(0);
    expect(p.state().elapsed_seconds).toBeGreaterThan(firstElapsed);
    expect(lastRun(p.events()).filter((event) => event.type === 'stage.started')[0]?.stage).toBe('PLAN_REVIEW');

    const again = await runCliInProcess(['resume', '--runner', 'simulated'], { cwd: p.cwd });
    expect(again.exitCode).toBe(0);
    expect(again.stdout).toMatch(/already complete/);
    expect(lastRun(p.events()).at(-1)?.type).toBe('run.completed');

    const rerun = await runCliInProcess([...p.resume, '--rerun', 'TEST'], { cwd: p.cwd });
    expect(rerun.exitCode).toBe(0);
    const started = lastRun(p.events()).filter((event) => event.type === 'stage.started').map((event) => event.stage);
    expect(started).toEqual(['TEST', 'ACCEPTANCE_TEST', 'POST_REVIEW']);
  });

  it('refuses to resume with a changed stages configuration unless --force, saying what changed', async () => {
    const p = project('default_ms: 2\nstages:\n  SPEC: { fail: stop here }\n');
    expect((await runCliInProcess(p.run, { cwd: p.cwd })).exitCode).toBe(1);
    const stages = readFileSync(join(repoRoot, 'config', 'stages.yaml'), 'utf8').replace('    optional: true', '    optional: false');
    writeFileSync(join(p.cwd, 'stages.yaml'), stages);
    p.simulate('default_ms: 2\n');
    const refused = await runCliInProcess(p.resume, { cwd: p.cwd });
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toMatch(/the stages configuration changed since this run was saved: stage BUSINESS_PROBLEM changed \[stages-changed\]/);
    expect(refused.stderr).toMatch(/--force/);
    const forced = await runCliInProcess([...p.resume, '--force'], { cwd: p.cwd });
    expect(forced.exitCode).toBe(0);
    expect(p.state().status).toBe('complete');
  });

  it('refuses a new run over an unfinished one, and --fresh starts over keeping the old state', async () => {
    const p = project('default_ms: 2\nstages:\n  SPEC: { fail: stop here }\n');
    await runCliInProcess(p.run, { cwd: p.cwd });
    const before = readFileSync(join(p.featureDir, 'orchestration_state.json'), 'utf8');
    const refused = await runCliInProcess(p.run, { cwd: p.cwd });
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toMatch(/already has a run that did not complete \(status error\) \[run-exists\]/);
    expect(readFileSync(join(p.featureDir, 'orchestration_state.json'), 'utf8')).toBe(before);
    p.simulate('default_ms: 2\n');
    const fresh = await runCliInProcess([...p.run, '--fresh'], { cwd: p.cwd });
    expect(fresh.exitCode).toBe(0);
    const archived = (await import('node:fs')).readdirSync(p.featureDir).filter((name) => /^orchestration_state\..+\.json$/.test(name));
    expect(archived).toHaveLength(1);
    expect(readFileSync(join(p.featureDir, archived[0]!), 'utf8')).toBe(before);
  });
});

describe('TeamBot state files', PROCESSES, () => {
  const fixtures = ['copilot-sdk', 'notification-ux-improvements', 'remove-overlay', 'runtime-validator-agent', 'shared-context', 'startup-animation'];

  function legacyProject(name: string) {
    const cwd = temporaryDirectory();
    const featureDir = join(cwd, '.teambot', name);
    mkdirSync(featureDir, { recursive: true });
    copyFileSync(join(fixturesDir, 'state', `${name}.json`), join(featureDir, 'orchestration_state.json'));
    return { cwd, featureDir };
  }

  it.each(fixtures)('%s loads and `teambot status` shows it', async (name) => {
    const { cwd, featureDir } = legacyProject(name);
    const result = await runCliInProcess(['status', featureDir], { cwd });
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`^${name}: \\w+ \\(TeamBot state file\\)`));
    expect(result.stdout).toMatch(/┌ parallel group post_spec_review/);
    const json = JSON.parse((await runCliInProcess(['status', featureDir, '--json'], { cwd })).stdout) as { schema_version: number; stages: { id: string; status: string }[] };
    expect(json.schema_version).toBe(1);
    expect(json.stages.find((stage) => stage.id === 'SPEC')?.status).toBe('completed');
  });

  it('resumes shared-context at ACCEPTANCE_TEST, keeps the original as orchestration_state.v1.json', async () => {
    const { cwd, featureDir } = legacyProject('shared-context');
    const original = readFileSync(join(featureDir, 'orchestration_state.json'), 'utf8');
    writeFileSync(join(cwd, 'objective.md'), '# Objective: shared context\n## Goals\n- share\n');
    const result = await runCliInProcess(['run', 'objective.md', '--resume', featureDir, '--runner', 'simulated', '--no-ui'], { cwd });
    expect(withoutWarnings(result.stderr, 'acceptance-command-missing')).toBe('');
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/skipping SETUP … TEST: completed/);
    const started = readFileSync(join(featureDir, 'events.jsonl'), 'utf8').trim().split('\n')
      .map((line) => JSON.parse(line) as LoggedEvent).filter((event) => event.type === 'stage.started').map((event) => event.stage);
    expect(started).toEqual(['ACCEPTANCE_TEST', 'POST_REVIEW']);
    expect(readFileSync(join(featureDir, 'orchestration_state.v1.json'), 'utf8')).toBe(original);
    const state = JSON.parse(readFileSync(join(featureDir, 'orchestration_state.json'), 'utf8')) as SavedState;
    expect(state).toMatchObject({ schema_version: 2, status: 'complete', feature_name: 'shared-context' });
    expect(state.stage_outputs.SPEC).toBe((JSON.parse(original) as SavedState).stage_outputs.SPEC);
  });
});

describe('state file refusals: exit 2, nothing overwritten', PROCESSES, () => {
  async function refusal(content: string | Buffer, pattern: RegExp) {
    const cwd = temporaryDirectory();
    const featureDir = join(cwd, '.teambot', 'broken');
    mkdirSync(featureDir, { recursive: true });
    const statePath = join(featureDir, 'orchestration_state.json');
    writeFileSync(statePath, content);
    for (const args of [['status', featureDir], ['resume', featureDir, '--runner', 'simulated']]) {
      const result = await runCliInProcess(args, { cwd });
      expect(result.exitCode).toBe(2);
      expect(result.stderr).toMatch(pattern);
      expect(result.stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
    }
    expect(readFileSync(statePath)).toEqual(Buffer.from(content));
    expect(existsSync(join(featureDir, 'events.jsonl'))).toBe(false);
  }
  const fixture = readFileSync(join(fixturesDir, 'state', 'shared-context.json'), 'utf8');

  it('truncated JSON', () => refusal(fixture.slice(0, fixture.length / 2), /orchestration_state\.json:\d+:\d+: .*\[state-corrupt\]/));
  it('unknown stage in current_stage', () => refusal(fixture.replace('"current_stage": "ACCEPTANCE_TEST"', '"current_stage": "DEPLOY"'), /\[state-unknown-stage\]/));
  it('a stage the configuration no longer has', () => refusal(fixture.replace('"SETUP":', '"WARMUP":'), /WARMUP.*\[state-stage-missing\]/));
  it('a newer schema_version', () => refusal(JSON.stringify({ schema_version: 3, status: 'in_progress' }), /schema_version 3.*\[state-newer-version\]/));
});
