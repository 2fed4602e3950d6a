import { describe, expect, it } from 'vitest';
import { demoProject as project, type LoggedEvent } from '../../support/project.js';
import { runCliInProcess } from '../../support/runCli.js';

/** Two whole (simulated) runs one after another. */
const PROCESSES = { timeout: 60_000 };

/** Events logged since the last run.started. */
const lastRun = (events: LoggedEvent[]) => events.slice(events.map((event) => event.type).lastIndexOf('run.started'));
const groupEvents = (events: LoggedEvent[]) => lastRun(events).filter((event) => event.type.startsWith('group.'));

describe('resuming past a parallel group', PROCESSES, () => {
  it('starts a partly complete group naming the stage still to run, in the log and in the plain output', async () => {
    const p = project('default_ms: 2\nstages:\n  TEST_STRATEGY: { fail: "simulated failure" }\n');
    expect((await runCliInProcess(p.run, { cwd: p.cwd })).exitCode).toBe(1);
    p.simulate('default_ms: 2\n');
    const resumed = await runCliInProcess(p.resume, { cwd: p.cwd });
    expect(resumed.exitCode).toBe(0);
    expect(groupEvents(p.events())).toEqual([
      expect.objectContaining({ type: 'group.started', group: 'post_spec_review', stages: ['RESEARCH', 'TEST_STRATEGY'], remaining: ['TEST_STRATEGY'] }),
      expect.objectContaining({ type: 'group.completed', group: 'post_spec_review' }),
    ]);
    expect(resumed.stdout).toMatch(/group\.started +post_spec_review {2}RESEARCH ‖ TEST_STRATEGY; running TEST_STRATEGY, RESEARCH completed earlier$/m);
    expect(resumed.stdout).toMatch(/✓ RESEARCH +completed earlier/);
  });

  it('says nothing of a group whose stages were all complete before the resume', async () => {
    const p = project('default_ms: 2\nstages:\n  PLAN: { fail: "simulated failure" }\n');
    expect((await runCliInProcess(p.run, { cwd: p.cwd })).exitCode).toBe(1);
    p.simulate('default_ms: 2\n');
    const resumed = await runCliInProcess(p.resume, { cwd: p.cwd });
    expect(resumed.exitCode).toBe(0);
    expect(groupEvents(p.events())).toEqual([]);
    expect(lastRun(p.events()).filter((event) => event.type === 'stage.started')[0]).toMatchObject({ stage: 'PLAN' });
    expect(resumed.stdout).not.toMatch(/group\.(started|completed)/);
    expect(resumed.stdout).toMatch(/✓ TEST_STRATEGY +completed earlier/);
  });
});
