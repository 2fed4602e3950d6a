import { describe, expect, it } from 'vitest';
import { clockFor, deriveRun, elapsedSeconds, endStage, runStatusAt } from '../../../ui/inspector/page/runState.js';
import { completeRun, log, stageOrder } from './fixtures.js';

const setup = { stageOrder, groups: ['post_spec_review'], completedBefore: [] as string[] };
const indexOf = (type: string, stage?: string) => completeRun.findIndex((event) => event.type === type && (stage === undefined || event.stage === stage));

describe('deriveRun', () => {
  it('starts with every stage pending, and the stages of earlier sessions completed', () => {
    const view = deriveRun({ ...setup, completedBefore: ['SPEC'] }, completeRun, 0);
    expect(view.status).toBeNull();
    expect(view.stages.get('SPEC')).toEqual({ status: 'completed', earlier: true });
    expect(view.stages.get('RESEARCH')).toEqual({ status: 'pending', earlier: false });
    expect(view.groups.get('post_spec_review')).toEqual({ status: 'pending' });
  });

  it('runs both stages of the group at once, and ends each with the duration the log gives', () => {
    const during = deriveRun(setup, completeRun, indexOf('stage.started', 'TEST_STRATEGY') + 1);
    expect(during.stages.get('RESEARCH')?.status).toBe('running');
    expect(during.stages.get('TEST_STRATEGY')).toMatchObject({ status: 'running', agent: 'qa', role: 'work' });
    expect(during.groups.get('post_spec_review')?.status).toBe('running');
    const after = deriveRun(setup, completeRun, indexOf('group.completed') + 1);
    expect(after.stages.get('RESEARCH')).toMatchObject({ status: 'completed', durationMs: 1500 });
    expect(after.groups.get('post_spec_review')?.status).toBe('completed');
  });

  it('sends a rejected review back to work for the next iteration', () => {
    const view = deriveRun(setup, completeRun, indexOf('review.iteration') + 1);
    expect(view.stages.get('POST_REVIEW')).toMatchObject({ status: 'running', role: 'work', iteration: 2, max: 3, verdict: 'rejected' });
  });

  it('follows a failed acceptance round with a fix', () => {
    const events = log(
      { type: 'run.started' },
      { type: 'stage.started', stage: 'SPEC', role: 'acceptance' },
      { type: 'acceptance.iteration', stage: 'SPEC', iteration: 1, passed: 2, failed: 1, total: 3 },
    );
    expect(deriveRun(setup, events).stages.get('SPEC')).toMatchObject({ role: 'fix', iteration: 1, acceptance: { passed: 2, failed: 1, total: 3 } });
  });

  it('completes the terminal stage with a complete run', () => {
    const view = deriveRun(setup, completeRun);
    expect(view.status).toBe('complete');
    expect(view.finished?.type).toBe('run.completed');
    expect(view.stages.get('COMPLETE')?.status).toBe('completed');
  });

  it('ends the stages a stopped run interrupts: failed when the run names them, aborted otherwise', () => {
    const events = log(
      { type: 'run.started' },
      { type: 'group.started', group: 'post_spec_review' },
      { type: 'stage.started', stage: 'RESEARCH' },
      { type: 'stage.started', stage: 'TEST_STRATEGY' },
      { type: 'run.completed', status: 'error', error: 'agent crashed', failed: ['RESEARCH'] },
    );
    const view = deriveRun(setup, events);
    expect(view.stages.get('RESEARCH')).toMatchObject({ status: 'failed', error: 'agent crashed', durationMs: 2000 });
    expect(view.stages.get('TEST_STRATEGY')).toMatchObject({ status: 'aborted', durationMs: 1000 });
    expect(view.groups.get('post_spec_review')?.status).toBe('failed');
    expect(view.stages.get('COMPLETE')?.status).toBe('pending');
  });

  it('ignores output lines and events it does not know', () => {
    const events = log({ type: 'run.started' }, { type: 'stage.output', stage: 'SPEC', line: 'hi' }, { type: 'something.new', stage: 'SPEC' });
    expect(deriveRun(setup, events).stages.get('SPEC')?.status).toBe('pending');
  });
});

describe('endStage', () => {
  it('measures the duration from the start when the log gives none', () => {
    const stage = { status: 'running', earlier: false, startedAt: 1000 };
    endStage(stage, 'aborted', 3500);
    expect(stage).toMatchObject({ status: 'aborted', endedAt: 3500, durationMs: 2500 });
  });
});

describe('runStatusAt', () => {
  const replay = { mode: 'replay' as const, serverStatus: 'complete', eventCount: completeRun.length };

  // Regression: a replay at event 0 showed the run's final status.
  it('shows a replay as running at every event before run.completed, whatever the run ended as', () => {
    for (let position = 0; position < completeRun.length; position += 1) {
      expect(runStatusAt(deriveRun(setup, completeRun, position), replay), `at event ${position}`).toBe('running');
    }
    expect(runStatusAt(deriveRun(setup, completeRun), replay)).toBe('complete');
  });

  it('falls back on the server when there is nothing to derive from', () => {
    const empty = deriveRun(setup, []);
    expect(runStatusAt(empty, { ...replay, eventCount: 0 })).toBe('complete');
    expect(runStatusAt(empty, { ...replay, serverStatus: null, eventCount: 0 })).toBe('no events');
    expect(runStatusAt(empty, { mode: 'live', serverStatus: null, eventCount: 0 })).toBe('waiting');
  });
});

describe('elapsedSeconds', () => {
  const start = Date.parse(completeRun[0]!.ts!);

  it('counts a live run up to now, a replay up to its last applied event, and a finished run as it says', () => {
    const running = deriveRun(setup, completeRun, 3);
    expect(elapsedSeconds(running, { live: true, now: start + 60_000 })).toBe(60);
    expect(elapsedSeconds(running, { live: false, now: start + 60_000 })).toBe(2);
    expect(clockFor(running, { live: false, now: 0 })).toBe(start + 2000);
    expect(elapsedSeconds(deriveRun(setup, completeRun), { live: true, now: 0 })).toBe(15);
    expect(elapsedSeconds(deriveRun(setup, completeRun, 0), { live: true, now: 0 })).toBeNull();
  });

  it('adds the time of earlier sessions to a resumed run', () => {
    const events = log({ type: 'run.started', resumed: true, elapsed_seconds: 100 }, { type: 'stage.started', stage: 'SPEC' });
    expect(elapsedSeconds(deriveRun(setup, events), { live: false, now: 0 })).toBe(101);
  });
});
