import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stageOf, type RunEventOf } from '../../../machines/session/runEvents.js';
import { withDeadline } from '../../support/processes.js';
import { demoFeature as feature, demoObjective, demoProject, readEventsFile, type LoggedEvent } from '../../support/project.js';
import { repoRoot, runCliInProcess, temporaryDirectory, withoutWarnings } from '../../support/runCli.js';

const eventsOf = (cwd: string) => readEventsFile(join(cwd, '.teambot', feature));

const indexOf = (events: LoggedEvent[], type: string, stage: string) => events.findIndex((event) => event.type === type && stageOf(event) === stage);

describe('teambot run (simulated agents)', () => {
  it('runs all 14 stages with the parallel group overlapping, logs every event and writes artifacts', async () => {
    const { cwd, run: args } = demoProject('default_ms: 5\nstages:\n  RESEARCH: { ms: 150 }\n  TEST_STRATEGY: { ms: 60 }\n');
    const result = await runCliInProcess(args, { cwd });
    expect(withoutWarnings(result.stderr, 'acceptance-command-missing')).toBe('');
    expect(result.exitCode).toBe(0);
    for (const line of result.stdout.split('\n').filter((text) => text.includes(' stage.'))) {
      expect(line).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z /);
    }
    expect(result.stdout).toMatch(/^✓ complete$/m);
    expect(result.stdout).toMatch(/TIMELINE/);

    const events = eventsOf(cwd);
    expect(events[0]).toMatchObject({ type: 'run.started', feature, runner: 'simulated', stages: 14 });
    expect(events.at(-1)).toMatchObject({ type: 'run.completed', status: 'complete' });
    expect(events.filter((event) => event.type === 'stage.completed')).toHaveLength(13);
    // Overlap: both stages started before either completed, and their time spans intersect.
    const researchStart = indexOf(events, 'stage.started', 'RESEARCH');
    const strategyStart = indexOf(events, 'stage.started', 'TEST_STRATEGY');
    const firstEnd = Math.min(indexOf(events, 'stage.completed', 'RESEARCH'), indexOf(events, 'stage.completed', 'TEST_STRATEGY'));
    expect(Math.max(researchStart, strategyStart)).toBeLessThan(firstEnd);
    expect(Date.parse(events[strategyStart]!.ts)).toBeLessThan(Date.parse(events[indexOf(events, 'stage.completed', 'RESEARCH')]!.ts));
    const research = events.find((event): event is RunEventOf<'stage.completed'> => event.type === 'stage.completed' && event.stage === 'RESEARCH');
    expect(research!.duration_ms).toBeGreaterThanOrEqual(150);

    const spec = readFileSync(join(cwd, '.teambot', feature, 'artifacts', 'feature_spec.md'), 'utf8');
    expect(spec.split('\n')[0]).toMatch(/simulated by teambot/);
    expect(existsSync(join(cwd, '.teambot', feature, 'artifacts', 'research.md'))).toBe(true);
  });

  it('lets RESEARCH finish when TEST_STRATEGY fails, then ends with error naming it (exit 1)', async () => {
    const { cwd, run: args } = demoProject('default_ms: 5\nstages:\n  RESEARCH: { ms: 120 }\n  TEST_STRATEGY: { ms: 10, fail: "simulated failure" }\n');
    const result = await runCliInProcess(args, { cwd });
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toMatch(/^✗ error: parallel group post_spec_review failed \(TEST_STRATEGY: simulated failure\)$/m);
    expect(result.stdout).toMatch(/resume\s+teambot resume dark-mode-toggle/);
    const events = eventsOf(cwd);
    expect(indexOf(events, 'stage.failed', 'TEST_STRATEGY')).toBeLessThan(indexOf(events, 'stage.completed', 'RESEARCH'));
    expect(events).toContainEqual(expect.objectContaining({ type: 'group.failed', failed: ['TEST_STRATEGY'] }));
    expect(events.at(-1)).toMatchObject({ type: 'run.completed', status: 'error', failed: ['TEST_STRATEGY'] });
    expect(indexOf(events, 'stage.started', 'PLAN')).toBe(-1);
    expect(existsSync(join(cwd, '.teambot', feature, 'artifacts', 'research.md'))).toBe(true);
    expect(existsSync(join(cwd, '.teambot', feature, 'artifacts', 'test_strategy.md'))).toBe(false);
  });

  it('ends with review_failed when a review is rejected max_iterations times (exit 1)', async () => {
    const { cwd, run: args } = demoProject('default_ms: 1\nstages:\n  SPEC_REVIEW: { verdicts: [reject, reject, reject, reject] }\n');
    const result = await runCliInProcess(args, { cwd });
    expect(result.exitCode).toBe(1);
    const iterations = eventsOf(cwd).filter((event) => event.type === 'review.iteration');
    expect(iterations.map((event) => `${event.iteration}/${event.max} ${event.verdict}`)).toEqual(['1/4 rejected', '2/4 rejected', '3/4 rejected', '4/4 rejected']);
    expect(eventsOf(cwd).at(-1)).toMatchObject({ status: 'review_failed' });
  });

  it('runs the group sequentially with --sequential', async () => {
    const { cwd, run: args } = demoProject('default_ms: 1\n');
    expect((await runCliInProcess([...args, '--sequential'], { cwd })).exitCode).toBe(0);
    const events = eventsOf(cwd);
    expect(indexOf(events, 'stage.completed', 'RESEARCH')).toBeLessThan(indexOf(events, 'stage.started', 'TEST_STRATEGY'));
    expect(events.some((event) => event.type === 'group.started')).toBe(false);
  });

  it('skips an optional stage with --skip, and refuses a required one with exit 2 and nothing written', async () => {
    const { cwd, run: args } = demoProject('default_ms: 1\n');
    const skipped = await runCliInProcess([...args, '--skip', 'BUSINESS_PROBLEM'], { cwd });
    expect(skipped.exitCode).toBe(0);
    expect(eventsOf(cwd)).toContainEqual(expect.objectContaining({ type: 'stage.skipped', stage: 'BUSINESS_PROBLEM' }));

    const other = demoProject('default_ms: 1\n');
    const refused = await runCliInProcess([...other.run, '--skip', 'SPEC'], { cwd: other.cwd });
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toMatch(/--skip SPEC: SPEC is not optional \[skip-not-optional\]/);
    expect(refused.stderr).toMatch(/only optional stages can be skipped: BUSINESS_PROBLEM/);
    expect(existsSync(join(other.cwd, '.teambot'))).toBe(false);
  });

  it('stops with status timeout when --max-hours is reached while a stage runs (exit 1)', async () => {
    // RESEARCH lasts ten minutes: only the limit of 1.1 s can end this run within the test.
    const { cwd, run: args } = demoProject('default_ms: 1\nstages:\n  RESEARCH: { ms: 600000 }\n');
    const result = await withDeadline(runCliInProcess([...args, '--max-hours', '0.0003'], { cwd }), 30_000, 'the run to stop at its time limit');
    expect(result.exitCode).toBe(1);
    const last = eventsOf(cwd).at(-1)!;
    expect(last).toMatchObject({ type: 'run.completed', status: 'timeout', error: expect.stringMatching(/time limit of 1\.1 s was reached/) });
    // The limit ended it, not RESEARCH's ten-minute agent.
    expect(eventsOf(cwd).some((event) => event.type === 'stage.completed' && event.stage === 'RESEARCH')).toBe(false);
  }, 60_000);

  it('refuses bad input with exit 2: runner not available, bad simulation file, missing objective', async () => {
    const cwd = temporaryDirectory();
    // The default runner is copilot; this team names a Copilot CLI that is surely not installed.
    const team = JSON.parse(readFileSync(join(repoRoot, 'config', 'teambot.json'), 'utf8')) as { runner: object };
    writeFileSync(join(cwd, 'teambot.json'), JSON.stringify({ ...team, runner: { type: 'copilot', executable: 'teambot-test-no-copilot' } }));
    const copilot = await runCliInProcess(['run', demoObjective, '--no-ui'], { cwd });
    expect(copilot.exitCode).toBe(2);
    expect(copilot.stderr).toMatch(/teambot-test-no-copilot is not installed or not on PATH \[agent-cli-missing\]/);
    rmSync(join(cwd, 'teambot.json'));

    writeFileSync(join(cwd, 'bad.yaml'), 'default_ms: 10\nstages:\n  RESEARCH: { msec: 5 }\n');
    const simulation = await runCliInProcess(['run', demoObjective, '--runner', 'simulated', '--simulate', 'bad.yaml'], { cwd });
    expect(simulation.exitCode).toBe(2);
    expect(simulation.stderr).toMatch(/bad\.yaml:3:\d+: .*unknown field "msec"/);

    const missing = await runCliInProcess(['run', 'nowhere.md', '--runner', 'simulated'], { cwd });
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toMatch(/nowhere\.md.*\[objective-not-found\]/);
    expect(existsSync(join(cwd, '.teambot'))).toBe(false);
  });
});
