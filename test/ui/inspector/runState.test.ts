import { describe, expect, it } from 'vitest';
import { stageOf } from '../../../machines/session/runEvents.js';
import { clockFor, deriveRun, elapsedSeconds, isFinished, runStatusAt, type PageRun } from '../../../ui/inspector/page/runState.js';
import { completeRun, log, stageOrder } from './fixtures.js';

const setup = {
  stageOrder, groups: { post_spec_review: ['RESEARCH', 'TEST_STRATEGY'] }, completedBefore: [] as string[],
  kinds: { POST_REVIEW: 'review' as const },
};
const indexOf = (type: string, stage?: string) => completeRun.findIndex((event) => event.type === type && (stage === undefined || stageOf(event) === stage));
const stage = (run: PageRun, id: string) => run.view.stages.find((candidate) => candidate.id === id);
const group = (run: PageRun, id: string) => run.view.groups.find((candidate) => candidate.id === id);

describe('deriveRun', () => {
  it('starts with every stage pending, and the stages of earlier sessions completed', () => {
    const run = deriveRun({ ...setup, completedBefore: ['SPEC'] }, completeRun, 0);
    expect(run.started).toBe(false);
    expect(stage(run, 'SPEC')).toMatchObject({ status: 'completed', completedEarlier: true });
    expect(stage(run, 'RESEARCH')).toMatchObject({ status: 'pending', group: 'post_spec_review' });
    expect(stage(run, 'RESEARCH')?.completedEarlier).toBeUndefined();
    expect(stage(run, 'COMPLETE')?.kind).toBe('terminal');
    expect(group(run, 'post_spec_review')).toMatchObject({ status: 'pending', stages: ['RESEARCH', 'TEST_STRATEGY'] });
  });

  it('runs both stages of the group at once, and ends each with the duration the log gives', () => {
    const during = deriveRun(setup, completeRun, indexOf('stage.started', 'TEST_STRATEGY') + 1);
    expect(stage(during, 'RESEARCH')?.status).toBe('running');
    expect(stage(during, 'TEST_STRATEGY')).toMatchObject({ status: 'running', runningAgent: 'qa', role: 'work' });
    expect(group(during, 'post_spec_review')?.status).toBe('running');
    const after = deriveRun(setup, completeRun, indexOf('group.completed') + 1);
    expect(stage(after, 'RESEARCH')).toMatchObject({ status: 'completed', durationMs: 1500 });
    expect(group(after, 'post_spec_review')?.status).toBe('completed');
  });

  it('sends a rejected review back to work, and counts the iterations a review loop starts', () => {
    const rejected = deriveRun(setup, completeRun, indexOf('review.iteration') + 1);
    expect(stage(rejected, 'POST_REVIEW')).toMatchObject({ status: 'running', role: 'work', iteration: 1, maxIterations: 3, lastVerdict: 'rejected' });
    const again = deriveRun(setup, completeRun, indexOf('review.iteration') + 2);
    expect(stage(again, 'POST_REVIEW')).toMatchObject({ role: 'review', runningAgent: 'reviewer', iteration: 2 });
  });

  it('follows a failed acceptance round with a fix', () => {
    const events = log(
      { type: 'run.started' },
      { type: 'stage.started', stage: 'SPEC', role: 'acceptance', agent: 'qa', iteration: 1 },
      { type: 'acceptance.iteration', stage: 'SPEC', iteration: 1, passed: 2, failed: 1, total: 3 },
    );
    expect(stage(deriveRun(setup, events), 'SPEC')).toMatchObject({ role: 'fix', iteration: 1, acceptance: { passed: 2, failed: 1, total: 3 } });
  });

  it('completes the terminal stage with a complete run', () => {
    const run = deriveRun(setup, completeRun);
    expect(run.view.status).toBe('complete');
    expect(isFinished(run)).toBe(true);
    expect(stage(run, 'COMPLETE')?.status).toBe('completed');
  });

  it('ends the stages a stopped run interrupts: failed when the run names them, aborted otherwise', () => {
    const events = log(
      { type: 'run.started' },
      { type: 'group.started', group: 'post_spec_review' },
      { type: 'stage.started', stage: 'RESEARCH' },
      { type: 'stage.started', stage: 'TEST_STRATEGY' },
      { type: 'run.completed', status: 'error', error: 'agent crashed', failed: ['RESEARCH'] },
    );
    const run = deriveRun(setup, events);
    expect(stage(run, 'RESEARCH')).toMatchObject({ status: 'failed', error: 'agent crashed', durationMs: 2000 });
    expect(stage(run, 'TEST_STRATEGY')).toMatchObject({ status: 'aborted', durationMs: 1000 });
    expect(group(run, 'post_spec_review')?.status).toBe('failed');
    expect(stage(run, 'COMPLETE')?.status).toBe('pending');
  });

  it('ignores events it does not know, and keeps output lines without changing a status', () => {
    const events = log({ type: 'run.started' }, { type: 'stage.output', stage: 'SPEC', line: 'hi' }, { type: 'something.new', stage: 'SPEC' });
    expect(stage(deriveRun(setup, events), 'SPEC')).toMatchObject({ status: 'pending', lastLine: 'hi' });
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
  const start = Date.parse(completeRun[0]!.ts);

  it('counts a live run up to now, a replay up to its last applied event, and a finished run to its end', () => {
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

describe('deriveRun over several sessions (a failed run, then its resume)', () => {
  const sessions = log(
    { type: 'run.started' },
    { type: 'stage.started', stage: 'SPEC', role: 'work', agent: 'ba' },
    { type: 'stage.completed', stage: 'SPEC' },
    { type: 'stage.started', stage: 'RESEARCH', role: 'work', agent: 'builder' },
    { type: 'stage.failed', stage: 'RESEARCH', error: 'exit 1' },
    { type: 'run.completed', status: 'error', error: 'RESEARCH failed: exit 1', failed: ['RESEARCH'], duration_ms: 4000, elapsed_seconds: 4 },
    { type: 'run.started', resumed: true, elapsed_seconds: 4 },
    { type: 'stage.started', stage: 'RESEARCH', role: 'work', agent: 'builder' },
  );

  it('runs again after a resume: the second run.started reopens the run the first session ended', () => {
    const ended = deriveRun(setup, sessions, 6);
    expect(isFinished(ended)).toBe(true);
    expect(stage(ended, 'RESEARCH')?.status).toBe('failed');
    const resumed = deriveRun(setup, sessions);
    expect(isFinished(resumed)).toBe(false);
    expect(resumed.view.status).toBe('running');
    expect(resumed.view.error).toBeUndefined();
    expect(stage(resumed, 'SPEC')?.status).toBe('completed');
    expect(stage(resumed, 'RESEARCH')?.status).toBe('running');
  });

  it('has nothing done before the first session', () => {
    expect(deriveRun(setup, sessions, 0).view.stages.map((candidate) => candidate.status)).toEqual(stageOrder.map(() => 'pending'));
  });
});
