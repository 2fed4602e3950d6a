import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { RunEvent, RunEventType } from '../../../machines/session/runEvents.js';
import { initialRunView, markCancelling, reduceRunView } from '../../../ui/run-view/runView.js';
import { OUTPUT_LINES_KEPT, type RunView, type StageView } from '../../../ui/run-view/runViewModel.js';
import { groupWord, stageWord } from '../../../ui/text/stageWords.js';
import { stagesFrom } from '../../support/workflowHarness.js';

const stages = stagesFrom(readFileSync(new URL('../../../config/stages.yaml', import.meta.url), 'utf8'));
const T0 = Date.parse('2026-03-01T10:00:00.000Z');
const at = (seconds: number) => new Date(T0 + seconds * 1000).toISOString();
const event = (seconds: number, type: RunEventType, fields: Record<string, unknown> = {}): RunEvent =>
  ({ ts: at(seconds), type, ...fields }) as RunEvent;

const start = () => initialRunView({
  stages, title: 'Password reset', feature: 'password-reset', runner: 'simulated',
  startedAt: T0, elapsedBefore: 120, maxSeconds: 3600, completed: ['SETUP', 'BUSINESS_PROBLEM'],
});

/**
 * A resumed run as runSession logs it: SETUP and BUSINESS_PROBLEM were done
 * before; SPEC_REVIEW is rejected once, then approved; RESEARCH (50 s) and
 * TEST_STRATEGY (30 s) overlap in their group; the first acceptance round fails.
 */
const recordedRun: RunEvent[] = [
  event(0, 'run.started', { feature: 'password-reset', runner: 'simulated', stages: 14, sequential: false, resumed: true, elapsed_seconds: 120 }),
  event(0, 'stage.started', { stage: 'SPEC', agent: 'ba', role: 'work', iteration: 1 }),
  event(12, 'stage.output', { stage: 'SPEC', line: 'Reading the objective' }),
  event(40, 'stage.completed', { stage: 'SPEC', duration_ms: 40_000 }),
  event(40, 'stage.started', { stage: 'SPEC_REVIEW', agent: 'ba', role: 'work', iteration: 1 }),
  event(70, 'review.iteration', { stage: 'SPEC_REVIEW', iteration: 1, max: 4, verdict: 'rejected', feedback: 'Missing the expired-token case' }),
  event(100, 'review.iteration', { stage: 'SPEC_REVIEW', iteration: 2, max: 4, verdict: 'approved', feedback: '' }),
  event(100, 'stage.completed', { stage: 'SPEC_REVIEW', duration_ms: 60_000 }),
  event(100, 'group.started', { group: 'post_spec_review', stages: ['RESEARCH', 'TEST_STRATEGY'] }),
  event(100, 'stage.started', { stage: 'RESEARCH', agent: 'builder-1', role: 'work', iteration: 1 }),
  event(100, 'stage.started', { stage: 'TEST_STRATEGY', agent: 'builder-2', role: 'work', iteration: 1 }),
  event(101, 'stage.output', { stage: 'RESEARCH', line: 'Looking at the token store' }),
  event(102, 'stage.output', { stage: 'TEST_STRATEGY', line: 'Listing the scenarios' }),
  event(130, 'stage.completed', { stage: 'TEST_STRATEGY', duration_ms: 30_000 }),
  event(150, 'stage.completed', { stage: 'RESEARCH', duration_ms: 50_000 }),
  event(150, 'group.completed', { group: 'post_spec_review', stages: ['RESEARCH', 'TEST_STRATEGY'] }),
  event(150, 'stage.started', { stage: 'PLAN', agent: 'pm', role: 'work', iteration: 1 }),
  event(180, 'stage.completed', { stage: 'PLAN', duration_ms: 30_000 }),
  event(180, 'stage.started', { stage: 'PLAN_REVIEW', agent: 'pm', role: 'work', iteration: 1 }),
  event(200, 'review.iteration', { stage: 'PLAN_REVIEW', iteration: 1, max: 4, verdict: 'approved', feedback: '' }),
  event(200, 'stage.completed', { stage: 'PLAN_REVIEW', duration_ms: 20_000 }),
  event(200, 'stage.started', { stage: 'IMPLEMENTATION', agent: 'builder-1', role: 'work', iteration: 1 }),
  event(300, 'stage.completed', { stage: 'IMPLEMENTATION', duration_ms: 100_000 }),
  event(300, 'stage.started', { stage: 'IMPLEMENTATION_REVIEW', agent: 'builder-1', role: 'work', iteration: 1 }),
  event(330, 'review.iteration', { stage: 'IMPLEMENTATION_REVIEW', iteration: 1, max: 4, verdict: 'approved', feedback: '' }),
  event(330, 'stage.completed', { stage: 'IMPLEMENTATION_REVIEW', duration_ms: 30_000 }),
  event(330, 'stage.started', { stage: 'TEST', agent: 'builder-1', role: 'work', iteration: 1 }),
  event(360, 'stage.completed', { stage: 'TEST', duration_ms: 30_000 }),
  event(360, 'stage.started', { stage: 'ACCEPTANCE_TEST', agent: 'builder-1', role: 'acceptance', iteration: 1 }),
  event(380, 'acceptance.iteration', { stage: 'ACCEPTANCE_TEST', iteration: 1, passed: 3, failed: 2, total: 5 }),
  event(420, 'acceptance.iteration', { stage: 'ACCEPTANCE_TEST', iteration: 2, passed: 5, failed: 0, total: 5 }),
  event(420, 'stage.completed', { stage: 'ACCEPTANCE_TEST', duration_ms: 60_000 }),
  event(420, 'stage.started', { stage: 'POST_REVIEW', agent: 'pm', role: 'work', iteration: 1 }),
  event(440, 'review.iteration', { stage: 'POST_REVIEW', iteration: 1, max: 4, verdict: 'approved', feedback: '' }),
  event(440, 'stage.completed', { stage: 'POST_REVIEW', duration_ms: 20_000 }),
  event(440, 'run.completed', { status: 'complete', duration_ms: 440_000, elapsed_seconds: 560 }),
];

const replay = (events: readonly RunEvent[], view: RunView = start()) => events.reduce(reduceRunView, view);
const stageOf = (view: RunView, id: string): StageView => {
  const found = view.stages.find((stage) => stage.id === id);
  if (!found) throw new Error(`no stage ${id}`);
  return found;
};
const outputLines = (stage: string, count: number): RunEvent[] =>
  Array.from({ length: count }, (_, index) => event(0, 'stage.output', { stage, line: `line ${index}` }));

describe('initialRunView', () => {
  it('lists the stages in stage_order with kinds, agents and groups, earlier ones completed', () => {
    const view = start();
    expect(view.stages.map((stage) => stage.id)).toEqual(stages.stage_order);
    expect(stageOf(view, 'SETUP')).toMatchObject({ status: 'completed', completedEarlier: true });
    expect(stageOf(view, 'SPEC')).toMatchObject({ status: 'pending', kind: 'work', agent: 'ba', reviewAgent: null, group: null });
    expect(stageOf(view, 'SPEC_REVIEW')).toMatchObject({ kind: 'review', agent: 'ba', reviewAgent: 'reviewer', maxIterations: 4 });
    expect(stageOf(view, 'RESEARCH')).toMatchObject({ group: 'post_spec_review', agent: 'builder-1' });
    expect(stageOf(view, 'ACCEPTANCE_TEST').kind).toBe('acceptance_test');
    expect(stageOf(view, 'COMPLETE').kind).toBe('terminal');
    expect(view.groups).toEqual([{ id: 'post_spec_review', stages: ['RESEARCH', 'TEST_STRATEGY'], onFailure: 'let_finish', status: 'pending' }]);
    expect(view).toMatchObject({ status: 'running', startedAt: T0, elapsedBefore: 120, maxSeconds: 3600, output: {} });
  });
});

describe('reduceRunView on a recorded run', () => {
  const view = replay(recordedRun);

  it('ends complete, with every stage of this session completed and timed', () => {
    expect(view.status).toBe('complete');
    expect(view.endedAt).toBe(T0 + 440_000);
    expect(view.stages.map((stage) => stage.status)).toEqual(Array(stages.stage_order.length).fill('completed'));
    expect(stageOf(view, 'SPEC')).toMatchObject({ startedAt: T0, endedAt: T0 + 40_000, durationMs: 40_000 });
    expect(stageOf(view, 'SETUP').durationMs).toBeUndefined();
    expect(stageOf(view, 'COMPLETE').startedAt).toBeUndefined();
  });

  it('keeps the review verdicts and iterations', () => {
    const afterRejection = replay(recordedRun.slice(0, 6));
    expect(stageOf(afterRejection, 'SPEC_REVIEW')).toMatchObject({ status: 'running', iteration: 1, maxIterations: 4, lastVerdict: 'rejected' });
    expect(stageOf(view, 'SPEC_REVIEW')).toMatchObject({ iteration: 2, lastVerdict: 'approved', durationMs: 60_000 });
    expect(stageOf(view, 'SPEC').iteration).toBeUndefined();
  });

  it('keeps the acceptance rounds: failed first, then passed', () => {
    const afterFirstRound = replay(recordedRun.slice(0, 30));
    expect(stageOf(afterFirstRound, 'ACCEPTANCE_TEST')).toMatchObject({
      status: 'running', iteration: 1, acceptance: { passed: 3, failed: 2, total: 5 },
    });
    expect(stageOf(view, 'ACCEPTANCE_TEST')).toMatchObject({ iteration: 2, acceptance: { passed: 5, failed: 0, total: 5 } });
  });

  it('shows the group running its stages at once, then its times', () => {
    const midGroup = replay(recordedRun.slice(0, 13));
    expect(midGroup.groups[0]).toMatchObject({ status: 'running', startedAt: T0 + 100_000 });
    expect(midGroup.groups[0]?.endedAt).toBeUndefined();
    expect(['RESEARCH', 'TEST_STRATEGY'].map((id) => stageOf(midGroup, id).status)).toEqual(['running', 'running']);
    expect(stageOf(midGroup, 'TEST_STRATEGY').lastLine).toBe('Listing the scenarios');
    expect(view.groups[0]).toMatchObject({ status: 'completed', startedAt: T0 + 100_000, endedAt: T0 + 150_000 });
    expect(stageOf(view, 'TEST_STRATEGY')).toMatchObject({ startedAt: T0 + 100_000, endedAt: T0 + 130_000, durationMs: 30_000 });
  });

  it('never changes the view it is given', () => {
    const before = replay(recordedRun.slice(0, 10));
    const copy = JSON.parse(JSON.stringify(before));
    replay(recordedRun.slice(10), before);
    replay(outputLines('RESEARCH', 20), before);
    expect(JSON.parse(JSON.stringify(before))).toEqual(copy);
  });

  it('takes the duration from the timestamps when the event has none', () => {
    const failed = replay([
      event(0, 'stage.started', { stage: 'SPEC', agent: 'ba', role: 'work', iteration: 1 }),
      event(7.5, 'stage.failed', { stage: 'SPEC', error: 'agent exited with code 1' }),
    ]);
    expect(stageOf(failed, 'SPEC')).toMatchObject({ status: 'failed', error: 'agent exited with code 1', durationMs: 7500 });
  });
});

describe('reduceRunView when a run stops early', () => {
  const groupStart = recordedRun.slice(0, 11);

  it('records a failed group: the failure, the aborted sibling, the run error', () => {
    const view = replay([
      ...groupStart,
      event(120, 'stage.failed', { stage: 'TEST_STRATEGY', error: 'agent exited with code 2' }),
      event(121, 'stage.aborted', { stage: 'RESEARCH' }),
      event(121, 'group.failed', { group: 'post_spec_review', stages: ['RESEARCH', 'TEST_STRATEGY'], failed: ['TEST_STRATEGY'] }),
      event(121, 'run.completed', { status: 'error', duration_ms: 121_000, error: 'parallel group post_spec_review failed (TEST_STRATEGY: agent exited with code 2)', failed: ['TEST_STRATEGY'] }),
    ]);
    expect(view).toMatchObject({ status: 'error', endedAt: T0 + 121_000, error: expect.stringContaining('TEST_STRATEGY') });
    expect(stageOf(view, 'TEST_STRATEGY')).toMatchObject({ status: 'failed', durationMs: 20_000 });
    expect(stageOf(view, 'RESEARCH')).toMatchObject({ status: 'aborted', durationMs: 21_000 });
    expect(view.groups[0]).toMatchObject({ status: 'failed', endedAt: T0 + 121_000 });
    expect(stageOf(view, 'PLAN').status).toBe('pending');
    expect(stageOf(view, 'COMPLETE').status).toBe('pending');
  });

  it('ends the stages a cancel interrupts, after showing cancelling', () => {
    const running = replay(groupStart);
    const cancelling = markCancelling(running);
    expect(cancelling.status).toBe('cancelling');
    expect(running.status).toBe('running');
    const view = reduceRunView(cancelling, event(110, 'run.completed', { status: 'cancelled', duration_ms: 110_000, error: 'cancelled by the user' }));
    expect(view.status).toBe('cancelled');
    expect(markCancelling(view).status).toBe('cancelled');
    expect(stageOf(view, 'RESEARCH')).toMatchObject({ status: 'aborted', endedAt: T0 + 110_000, durationMs: 10_000, error: 'interrupted (cancelled)' });
    expect(view.groups[0]).toMatchObject({ status: 'failed', endedAt: T0 + 110_000 });
  });

  it('fails the review stage a review_failed run names', () => {
    const view = replay([
      event(0, 'stage.started', { stage: 'SPEC_REVIEW', agent: 'ba', role: 'work', iteration: 1 }),
      event(50, 'review.iteration', { stage: 'SPEC_REVIEW', iteration: 4, max: 4, verdict: 'rejected', feedback: 'still vague' }),
      event(50, 'run.completed', { status: 'review_failed', duration_ms: 50_000, error: 'SPEC_REVIEW was not approved after 4 iterations', failed: ['SPEC_REVIEW'] }),
    ]);
    expect(stageOf(view, 'SPEC_REVIEW')).toMatchObject({
      status: 'failed', iteration: 4, lastVerdict: 'rejected', error: 'SPEC_REVIEW was not approved after 4 iterations',
    });
  });

  it('marks a restarted stage of a resumed session as started in this session', () => {
    const view = replay([event(3, 'stage.started', { stage: 'PLAN', agent: 'pm', role: 'work', iteration: 1, resumed: true })]);
    expect(stageOf(view, 'PLAN')).toMatchObject({ status: 'running', startedAt: T0 + 3000 });
  });

  it('ignores events for stages and groups it does not know', () => {
    const view = start();
    expect(reduceRunView(view, event(1, 'stage.started', { stage: 'DEPLOY' }))).toBe(view);
    expect(reduceRunView(view, event(1, 'group.started', { group: 'nope' }))).toBe(view);
    expect(reduceRunView(view, event(1, 'stage.output', { stage: 'DEPLOY', line: 'x' }))).toBe(view);
    // A newer teambot's log, replayed by this one.
    expect(reduceRunView(view, { ts: at(1), type: 'something.new' } as unknown as RunEvent)).toBe(view);
  });
});

describe('reduceRunView on a resumed parallel group', () => {
  const resumedAfter = (completed: string[]) => initialRunView({
    stages, title: 'Password reset', feature: 'password-reset', runner: 'simulated', startedAt: T0, elapsedBefore: 120, maxSeconds: 3600, completed,
  });
  const before = ['SETUP', 'BUSINESS_PROBLEM', 'SPEC', 'SPEC_REVIEW'];
  const group = (view: RunView) => view.groups[0]!;

  it('shows a group whose stages all completed earlier as completed earlier, with no event', () => {
    const view = resumedAfter([...before, 'RESEARCH', 'TEST_STRATEGY']);
    expect(group(view)).toMatchObject({ status: 'completed', completedEarlier: true });
    expect(groupWord(group(view), view.stages)).toBe('completed earlier');
    expect(stageWord(stageOf(view, 'RESEARCH'))).toBe('completed earlier');
  });

  it('runs a partly complete group from its group.started with remaining, k of n done', () => {
    const view = replay([
      event(0, 'group.started', { group: 'post_spec_review', stages: ['RESEARCH', 'TEST_STRATEGY'], remaining: ['TEST_STRATEGY'] }),
      event(0, 'stage.started', { stage: 'TEST_STRATEGY', agent: 'builder-2', role: 'work', iteration: 1 }),
    ], resumedAfter([...before, 'RESEARCH']));
    expect(group(view)).toMatchObject({ status: 'running', startedAt: T0 });
    expect(groupWord(group(view), view.stages)).toBe('running (1 of 2 done)');
    const done = reduceRunView(view, event(30, 'group.completed', { group: 'post_spec_review', stages: ['RESEARCH', 'TEST_STRATEGY'] }));
    expect(groupWord(group(done), done.stages)).toBe('completed');
  });

  it('runs the group of a stage a restored snapshot restarts, though no group.started comes', () => {
    const view = replay([
      event(0, 'stage.started', { stage: 'TEST_STRATEGY', agent: 'builder-2', role: 'work', iteration: 1, resumed: true }),
    ], resumedAfter([...before, 'RESEARCH']));
    expect(group(view)).toMatchObject({ status: 'running', startedAt: T0 });
    expect(groupWord(group(view), view.stages)).toBe('running (1 of 2 done)');
  });

  it('says interrupted, not aborted or failed, for the stages and group a cancel stops', () => {
    const view = replay([
      event(0, 'stage.started', { stage: 'TEST_STRATEGY', agent: 'builder-2', role: 'work', iteration: 1, resumed: true }),
      event(9, 'run.completed', { status: 'cancelled', duration_ms: 9_000, error: 'cancelled by the user' }),
    ], resumedAfter([...before, 'RESEARCH']));
    expect(stageOf(view, 'TEST_STRATEGY')).toMatchObject({ status: 'aborted', interrupted: true, error: 'interrupted (cancelled)' });
    expect(stageWord(stageOf(view, 'TEST_STRATEGY'))).toBe('interrupted');
    expect(group(view)).toMatchObject({ status: 'failed', interrupted: true, endedAt: T0 + 9_000 });
    expect(groupWord(group(view), view.stages)).toBe('interrupted');
  });

  it('replays an older log that started and completed an already complete group', () => {
    const view = replay([
      event(0, 'group.started', { group: 'post_spec_review', stages: ['RESEARCH', 'TEST_STRATEGY'] }),
      event(0, 'group.completed', { group: 'post_spec_review', stages: ['RESEARCH', 'TEST_STRATEGY'] }),
    ], resumedAfter([...before, 'RESEARCH', 'TEST_STRATEGY']));
    expect(groupWord(group(view), view.stages)).toBe('completed');
  });
});

describe('stage output', () => {
  it('keeps the last OUTPUT_LINES_KEPT lines and the latest line', () => {
    const view = replay(outputLines('SPEC', OUTPUT_LINES_KEPT * 3 + 17));
    const lines = view.output.SPEC ?? [];
    expect(lines).toHaveLength(OUTPUT_LINES_KEPT);
    expect(lines[0]).toBe(`line ${OUTPUT_LINES_KEPT * 2 + 17}`);
    expect(lines.at(-1)).toBe(`line ${OUTPUT_LINES_KEPT * 3 + 16}`);
    expect(stageOf(view, 'SPEC').lastLine).toBe(`line ${OUTPUT_LINES_KEPT * 3 + 16}`);
  });

  it('keeps each view\'s lines when older views get different lines (copy-on-write)', () => {
    const base = replay(outputLines('SPEC', 3));
    const next = reduceRunView(base, event(1, 'stage.output', { stage: 'SPEC', line: 'next' }));
    const branch = reduceRunView(base, event(1, 'stage.output', { stage: 'SPEC', line: 'branch' }));
    const later = replay(outputLines('SPEC', 2), next);
    expect(base.output.SPEC).toEqual(['line 0', 'line 1', 'line 2']);
    expect(next.output.SPEC).toEqual(['line 0', 'line 1', 'line 2', 'next']);
    expect(branch.output.SPEC).toEqual(['line 0', 'line 1', 'line 2', 'branch']);
    expect(later.output.SPEC).toEqual(['line 0', 'line 1', 'line 2', 'next', 'line 0', 'line 1']);
    expect(Object.isFrozen(later.output.SPEC)).toBe(true);
  });

  it('continues the tail of a view read back from JSON', () => {
    const restored = JSON.parse(JSON.stringify(replay(outputLines('PLAN', OUTPUT_LINES_KEPT)))) as RunView;
    const view = reduceRunView(restored, event(1, 'stage.output', { stage: 'PLAN', line: 'more' }));
    expect(view.output.PLAN).toHaveLength(OUTPUT_LINES_KEPT);
    expect(view.output.PLAN?.[0]).toBe('line 1');
    expect(view.output.PLAN?.at(-1)).toBe('more');
  });

  // How fast: bench/viewReduction.mjs (`npm run bench`); a test cannot know the machine's speed.
  it('reduces 100,000 lines across two running stages, keeping each stage\'s newest lines', () => {
    const events = Array.from({ length: 100_000 }, (_, index) =>
      event(101, 'stage.output', { stage: index % 2 ? 'RESEARCH' : 'TEST_STRATEGY', line: `line ${index}` }));
    const view = replay(events, replay(recordedRun.slice(0, 11)));
    expect(view.output.RESEARCH).toHaveLength(OUTPUT_LINES_KEPT);
    expect(view.output.TEST_STRATEGY).toHaveLength(OUTPUT_LINES_KEPT);
    expect(view.output.RESEARCH?.at(-1)).toBe('line 99999');
    expect(view.output.TEST_STRATEGY?.at(-1)).toBe('line 99998');
    expect(view.output.RESEARCH?.[0]).toBe(`line ${100_000 - 2 * OUTPUT_LINES_KEPT + 1}`);
    expect(stageOf(view, 'RESEARCH').lastLine).toBe('line 99999');
  });
});
