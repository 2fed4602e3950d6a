import { describe, expect, it } from 'vitest';
import type { WorkflowEmitted } from '../../../machines/workflow/workflowSetup.js';
import { stagesFrom, startWorkflow, until } from '../../support/workflowHarness.js';

/** A workflow with one group of four stages, at most `max` at a time. */
const groupOf4 = (max: number, onFailure = 'let_finish') => stagesFrom(`
stages:
  START: { name: Start, work_agent: pm }
  A: { name: A, work_agent: builder-1 }
  B: { name: B, work_agent: builder-2 }
  C: { name: C, work_agent: builder-3 }
  D: { name: D, work_agent: builder-4 }
  END: { name: End, work_agent: pm }
  DONE: { name: Done }
stage_order: [START, A, B, C, D, END, DONE]
parallel_groups:
  wide: { after: START, stages: [A, B, C, D], before: END, on_failure: ${onFailure}, max_concurrent: ${max} }
`);

/** The most stages of the group that ran at once, replaying started/ended events in order. */
function mostAtOnce(events: readonly WorkflowEmitted[]): number {
  let running = 0;
  let most = 0;
  for (const event of events) {
    if (!('stage' in event) || !['A', 'B', 'C', 'D'].includes(event.stage)) continue;
    if (event.type === 'stage.started') most = Math.max(most, ++running);
    if (event.type === 'stage.completed' || event.type === 'stage.failed' || event.type === 'stage.aborted') running--;
  }
  return most;
}

const started = (events: readonly WorkflowEmitted[]) => events.flatMap((event) => (event.type === 'stage.started' ? [event.stage] : []));

describe('a parallel group with max_concurrent', () => {
  it('runs at most that many stages at once; the others wait, pending, and start in stage_order as slots free', async () => {
    const run = startWorkflow(groupOf4(2), (input) => (input.stage === 'START' || input.stage === 'END' ? { output: 'ok' } : 'hold'));
    await until(run.actor, () => run.calls.length === 3, 'A and B to start');
    expect(started(run.emitted)).toEqual(['START', 'A', 'B']);
    expect(run.actor.getSnapshot().context.stages.C?.status).toBe('pending');

    // B ends first: C (not D) takes its slot.
    run.callsTo('B')[0]!.resolve({ output: 'B done' });
    await until(run.actor, () => run.calls.length === 4, 'C to start');
    expect(started(run.emitted)).toEqual(['START', 'A', 'B', 'C']);
    run.callsTo('A')[0]!.resolve({ output: 'A done' });
    await until(run.actor, () => run.calls.length === 5, 'D to start');
    run.callsTo('C')[0]!.resolve({ output: 'C done' });
    run.callsTo('D')[0]!.resolve({ output: 'D done' });

    const snapshot = await run.finished();
    expect(snapshot.context.status).toBe('complete');
    expect(mostAtOnce(run.emitted)).toBe(2);
    expect(started(run.emitted)).toEqual(['START', 'A', 'B', 'C', 'D', 'END']);
  });

  it('max_concurrent 1 runs the group one stage after another', async () => {
    const run = startWorkflow(groupOf4(1));
    const snapshot = await run.finished();
    expect(snapshot.context.status).toBe('complete');
    expect(mostAtOnce(run.emitted)).toBe(1);
    expect(started(run.emitted)).toEqual(['START', 'A', 'B', 'C', 'D', 'END']);
  });

  it('fail_fast: a failure starts no waiting stage; the waiting ones are aborted, never run', async () => {
    const run = startWorkflow(groupOf4(2, 'fail_fast'), (input) => {
      if (input.stage === 'A') return new Error('A broke');
      return input.stage === 'START' ? { output: 'ok' } : 'hold';
    });
    const snapshot = await run.finished();
    expect(snapshot.context.status).toBe('error');
    expect(started(run.emitted)).toEqual(['START', 'A', 'B']);
    expect(run.callsTo('C')).toEqual([]);
    expect(Object.fromEntries(['A', 'B', 'C', 'D'].map((id) => [id, snapshot.context.stages[id]?.status])))
      .toEqual({ A: 'failed', B: 'aborted', C: 'aborted', D: 'aborted' });
  });
});
