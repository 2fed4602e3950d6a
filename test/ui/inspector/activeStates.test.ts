import { describe, expect, it } from 'vitest';
import { loadConfiguration } from '../../../loader/loadConfiguration.js';
import { compileWorkflow } from '../../../machines/workflow/compileWorkflow.js';
import { statechartGraph } from '../../../machines/workflow/statechartGraph.js';
import { withTransitionLabels } from '../../../ui/graph/graphLabels.js';
import {
  activeFromEvents, activeStateIds, childForRole, snapshotActiveIds, stateValueToIds,
} from '../../../ui/inspector/page/activeStates.js';
import { groupStages, indexGraph, stageKinds } from '../../../ui/inspector/page/graphIndex.js';
import type { GraphNode } from '../../../ui/inspector/page/model.js';
import { deriveRun } from '../../../ui/inspector/page/runState.js';
import { stageOf } from '../../../machines/session/runEvents.js';
import { temporaryDirectory } from '../../support/runCli.js';
import { completeRun, graph, groupStage, log, stageOrder } from './fixtures.js';

const index = indexGraph(graph, stageOrder);
const setup = { stageOrder, groups: groupStages(index, {}), completedBefore: [] as string[], kinds: stageKinds(index) };
const at = (count: number) => deriveRun(setup, completeRun, count);
const sorted = (ids: Iterable<string>) => [...ids].sort();
const position = (type: string, stage?: string) => completeRun.findIndex((event) => event.type === type && (stage === undefined || stageOf(event) === stage)) + 1;

describe('activeFromEvents', () => {
  it('is empty before the run starts', () => {
    expect(sorted(activeFromEvents(index, at(0)))).toEqual([]);
  });

  it('has a running stage and the child its agent role runs in', () => {
    expect(sorted(activeFromEvents(index, at(position('stage.started', 'SPEC'))))).toEqual(['teambot.SPEC', 'teambot.SPEC.running']);
    expect(sorted(activeFromEvents(index, at(position('stage.started', 'POST_REVIEW') + 1))))
      .toEqual(['teambot.POST_REVIEW', 'teambot.POST_REVIEW.review']);
    expect(sorted(activeFromEvents(index, at(position('review.iteration')))))
      .toEqual(['teambot.POST_REVIEW', 'teambot.POST_REVIEW.work']);
  });

  it('has both stages of a parallel group, and the group, at once', () => {
    const ids = activeFromEvents(index, at(position('stage.started', 'TEST_STRATEGY')));
    expect(sorted(ids)).toEqual(sorted([
      'teambot.PARALLEL_GROUP:post_spec_review',
      groupStage('RESEARCH'), `${groupStage('RESEARCH')}.running`,
      groupStage('TEST_STRATEGY'), `${groupStage('TEST_STRATEGY')}.running`,
    ]));
  });

  it('keeps a running group active between its stages', () => {
    expect(sorted(activeFromEvents(index, at(position('group.started'))))).toEqual(['teambot.PARALLEL_GROUP:post_spec_review']);
  });

  it('has only the final state once the run completed: COMPLETE, or halted when it did not complete', () => {
    expect(sorted(activeFromEvents(index, at(completeRun.length)))).toEqual(['teambot.COMPLETE']);
    const failed = log({ type: 'run.started' }, { type: 'stage.started', stage: 'POST_REVIEW', role: 'review' }, { type: 'run.completed', status: 'error' });
    expect(sorted(activeFromEvents(index, deriveRun(setup, failed)))).toEqual(['teambot.halted']);
  });
});

describe('activeStateIds', () => {
  const staleSnapshot = new Set(['teambot.POST_REVIEW', 'teambot.POST_REVIEW.review']);

  it("takes a live run's snapshot while the run runs", () => {
    expect(activeStateIds(index, at(position('stage.started', 'SPEC')), staleSnapshot)).toEqual(staleSnapshot);
  });

  // Regression: after run.completed the page kept POST_REVIEW's review highlighted (the
  // actor's last snapshot), next to the final state.
  it('has only the final state after run.completed, whatever the last snapshot said', () => {
    expect(sorted(activeStateIds(index, at(completeRun.length), staleSnapshot))).toEqual(['teambot.COMPLETE']);
  });

  it('does so on the statechart compiled from the built-in workflow', async () => {
    const { stages } = await loadConfiguration({ cwd: temporaryDirectory() });
    const builtin = indexGraph(withTransitionLabels(statechartGraph(compileWorkflow(stages))) as GraphNode, stages.stage_order);
    const builtinSetup = { stageOrder: stages.stage_order, groups: groupStages(builtin, {}), completedBefore: [], kinds: stageKinds(builtin) };
    const events = log(
      { type: 'run.started' },
      { type: 'stage.started', stage: 'POST_REVIEW', role: 'review', agent: 'reviewer' },
      { type: 'review.iteration', stage: 'POST_REVIEW', iteration: 1, max: 3, verdict: 'approved' },
      { type: 'stage.completed', stage: 'POST_REVIEW', duration_ms: 10 },
      { type: 'run.completed', status: 'complete', duration_ms: 40, elapsed_seconds: 0.04 },
    );
    expect(sorted(activeStateIds(builtin, deriveRun(builtinSetup, events, 2), null))).toEqual(['teambot.POST_REVIEW', 'teambot.POST_REVIEW.review']);
    const lastSnapshot = new Set(stateValueToIds({ POST_REVIEW: 'review' }, 'teambot'));
    expect(sorted(activeStateIds(builtin, deriveRun(builtinSetup, events), lastSnapshot))).toEqual(['teambot.COMPLETE']);
  });
});

describe('childForRole', () => {
  const postReview = index.stageNodes.get('POST_REVIEW')!;
  it('finds the child a role runs in, falling back on the work child, then on any child that invokes', () => {
    expect(childForRole(postReview, 'review')?.key).toBe('review');
    expect(childForRole(postReview, undefined)?.key).toBe('work');
    expect(childForRole(postReview, 'fix')?.key).toBe('work');
  });
});

describe('snapshots', () => {
  it('turns a state value into the ids of its active states', () => {
    expect(stateValueToIds({ G: { A: 'running', B: 'done' } }, 'teambot'))
      .toEqual(['teambot.G', 'teambot.G.A', 'teambot.G.A.running', 'teambot.G.B', 'teambot.G.B.done']);
    expect(stateValueToIds(42, 'teambot')).toEqual([]);
  });

  it("reads only the run's root actor", () => {
    const root = { type: '@xstate.snapshot', rootId: 'x:0', sessionId: 'x:0', snapshot: { value: { SPEC: 'running' } } };
    expect(snapshotActiveIds(root, 'x:0', 'teambot')).toEqual(['teambot.SPEC', 'teambot.SPEC.running']);
    expect(snapshotActiveIds({ ...root, sessionId: 'x:1' }, 'x:0', 'teambot')).toBeNull();
    expect(snapshotActiveIds({ ...root, rootId: 'y:0', sessionId: 'y:0' }, 'x:0', 'teambot')).toBeNull();
    expect(snapshotActiveIds({ ...root, snapshot: { status: 'done' } }, 'x:0', 'teambot')).toBeNull();
  });
});
