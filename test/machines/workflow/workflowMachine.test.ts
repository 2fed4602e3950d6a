import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { StageAgentInput } from '../../../machines/workflow/workflowSetup.js';
import { restartedGroups } from '../../../machines/workflow/restartedGroups.js';
import { stagesFrom, startWorkflow, until } from '../../support/workflowHarness.js';

const defaultStages = stagesFrom(readFileSync(new URL('../../../config/stages.yaml', import.meta.url), 'utf8'));

const approveEverything = (input: StageAgentInput) => {
  if (input.role === 'review') return { output: 'VERIFIED_APPROVED: fine' };
  if (input.role === 'acceptance') return { output: 'all pass', acceptance: { passed: 5, failed: 0, total: 5 } };
  return { output: `${input.stage} done` };
};

describe('compiled default workflow', () => {
  it('runs all 14 stages in order and completes', async () => {
    const run = startWorkflow(defaultStages, approveEverything);
    const snapshot = await run.finished();
    expect(snapshot.value).toBe('COMPLETE');
    expect(snapshot.context.status).toBe('complete');
    const started = run.emitted.filter((event) => event.type === 'stage.started').map((event) => event.stage);
    expect(started).toEqual(['SETUP', 'BUSINESS_PROBLEM', 'SPEC', 'SPEC_REVIEW', 'RESEARCH', 'TEST_STRATEGY', 'PLAN', 'PLAN_REVIEW',
      'IMPLEMENTATION', 'IMPLEMENTATION_REVIEW', 'TEST', 'ACCEPTANCE_TEST', 'POST_REVIEW']);
    expect(snapshot.context.stages.RESEARCH).toMatchObject({ status: 'completed', output: 'RESEARCH done' });
    expect(Object.values(snapshot.context.stages).every((stage) => stage.status === 'completed')).toBe(true);
  });

  it('starts both stages of the parallel group before either finishes', async () => {
    const run = startWorkflow(defaultStages, (input) =>
      input.stage === 'RESEARCH' || input.stage === 'TEST_STRATEGY' ? 'hold' : approveEverything(input));
    await until(run.actor, () => run.callsTo('RESEARCH').length === 1 && run.callsTo('TEST_STRATEGY').length === 1);
    expect(run.actor.getSnapshot().value).toEqual({ 'PARALLEL_GROUP:post_spec_review': { RESEARCH: 'running', TEST_STRATEGY: 'running' } });
    run.callsTo('TEST_STRATEGY')[0]!.resolve({ output: 'strategy' });
    run.callsTo('RESEARCH')[0]!.resolve({ output: 'research' });
    const snapshot = await run.finished();
    expect(snapshot.context.status).toBe('complete');
    const groupEvents = run.emitted.filter((event) => event.type.startsWith('group.')).map((event) => event.type);
    expect(groupEvents).toEqual(['group.started', 'group.completed']);
  });

  it('lets a sibling finish when one stage of the group fails, then stops with error naming it', async () => {
    const run = startWorkflow(defaultStages, (input) =>
      input.stage === 'TEST_STRATEGY' ? new Error('simulated failure') : input.stage === 'RESEARCH' ? 'hold' : approveEverything(input));
    await until(run.actor, () => run.actor.getSnapshot().context.stages.TEST_STRATEGY?.status === 'failed');
    expect(run.callsTo('RESEARCH')[0]!.signal.aborted).toBe(false);
    run.callsTo('RESEARCH')[0]!.resolve({ output: 'research kept' });
    const snapshot = await run.finished();
    expect(snapshot.value).toBe('halted');
    expect(snapshot.context.status).toBe('error');
    expect(snapshot.context.failedStages).toEqual(['TEST_STRATEGY']);
    expect(snapshot.context.error).toMatch(/TEST_STRATEGY: simulated failure/);
    expect(snapshot.context.stages.RESEARCH).toMatchObject({ status: 'completed', output: 'research kept' });
    expect(run.callsTo('PLAN')).toHaveLength(0);
    expect(run.emitted).toContainEqual({ type: 'group.failed', group: 'post_spec_review', stages: ['RESEARCH', 'TEST_STRATEGY'], failed: ['TEST_STRATEGY'] });
  });

  it('aborts the running siblings of a fail_fast group', async () => {
    const failFast = stagesFrom(readFileSync(new URL('../../../config/stages.yaml', import.meta.url), 'utf8')
      .replace('    before: PLAN', '    before: PLAN\n    on_failure: fail_fast')
      .replace(/on_failure: let_finish\n/, ''));
    const run = startWorkflow(failFast, (input) => (input.stage === 'RESEARCH' ? 'hold' : input.stage === 'TEST_STRATEGY' ? new Error('boom') : approveEverything(input)));
    const snapshot = await run.finished();
    expect(run.callsTo('RESEARCH')[0]!.signal.aborted).toBe(true);
    expect(snapshot.context.stages.RESEARCH?.status).toBe('aborted');
    expect(snapshot.context.status).toBe('error');
    expect(snapshot.context.failedStages).toEqual(['TEST_STRATEGY']);
  });

  it('runs the group stages one after another with --sequential', async () => {
    const run = startWorkflow(defaultStages, (input) => (input.stage === 'RESEARCH' ? 'hold' : approveEverything(input)), { compile: { sequential: true } });
    await until(run.actor, () => run.callsTo('RESEARCH').length === 1);
    expect(run.callsTo('TEST_STRATEGY')).toHaveLength(0);
    run.callsTo('RESEARCH')[0]!.resolve({ output: 'r' });
    expect((await run.finished()).context.status).toBe('complete');
    expect(run.callsTo('TEST_STRATEGY')).toHaveLength(1);
  });
});

describe('review loop', () => {
  it('feeds a rejection into the next work call and completes on approval', async () => {
    let reviews = 0;
    const run = startWorkflow(defaultStages, (input) => {
      if (input.stage === 'SPEC_REVIEW' && input.role === 'review') {
        reviews++;
        return { output: reviews === 1 ? 'REJECTED: the spec lacks acceptance scenarios' : 'VERIFIED_APPROVED: good' };
      }
      return approveEverything(input);
    });
    const snapshot = await run.finished();
    expect(snapshot.context.status).toBe('complete');
    const work = run.callsTo('SPEC_REVIEW').filter((call) => call.input.role === 'work');
    expect(work.map((call) => call.input.iteration)).toEqual([1, 2]);
    expect(work[1]!.input.feedback).toBe('the spec lacks acceptance scenarios');
    const iterations = run.emitted.filter((event) => event.type === 'review.iteration' && event.stage === 'SPEC_REVIEW');
    expect(iterations).toMatchObject([{ iteration: 1, max: 4, verdict: 'rejected' }, { iteration: 2, max: 4, verdict: 'approved' }]);
  });

  it('stops with review_failed after max_iterations rejections', async () => {
    const run = startWorkflow(defaultStages, (input) =>
      input.stage === 'PLAN_REVIEW' && input.role === 'review' ? { output: 'looks fine to me' } : approveEverything(input));
    const snapshot = await run.finished();
    expect(snapshot.context.status).toBe('review_failed');
    expect(snapshot.context.failedStages).toEqual(['PLAN_REVIEW']);
    expect(run.callsTo('PLAN_REVIEW').filter((call) => call.input.role === 'review')).toHaveLength(4);
    expect(run.callsTo('IMPLEMENTATION')).toHaveLength(0);
  });
});

describe('acceptance tests', () => {
  const results = (sequence: boolean[]) => {
    let round = 0;
    return (input: StageAgentInput) => {
      if (input.role !== 'acceptance') return approveEverything(input);
      const passed = sequence[round++] ?? false;
      return { output: 'run', acceptance: passed ? { passed: 5, failed: 0, total: 5 } : { passed: 3, failed: 2, total: 5 } };
    };
  };

  it('fixes and re-runs after a failed round', async () => {
    const run = startWorkflow(defaultStages, results([false, true]));
    const snapshot = await run.finished();
    expect(snapshot.context.status).toBe('complete');
    expect(run.callsTo('ACCEPTANCE_TEST').map((call) => `${call.input.role}${call.input.iteration}`)).toEqual(['acceptance1', 'fix1', 'acceptance2']);
    expect(snapshot.context.acceptance).toMatchObject({ passed: true, iterations: 2 });
    expect(snapshot.context.acceptance.history.map((round) => round.failed)).toEqual([2, 0]);
  });

  it('stops with acceptance_test_failed when fix rounds run out', async () => {
    const run = startWorkflow(defaultStages, results([]));
    const snapshot = await run.finished();
    expect(snapshot.context.status).toBe('acceptance_test_failed');
    expect(run.callsTo('ACCEPTANCE_TEST').filter((call) => call.input.role === 'acceptance')).toHaveLength(5);
    expect(run.callsTo('POST_REVIEW')).toHaveLength(0);
  });

  it('refuses POST_REVIEW while acceptance tests have not passed', async () => {
    const before = defaultStages.stage_order.slice(0, defaultStages.stage_order.indexOf('POST_REVIEW'));
    const run = startWorkflow(defaultStages, approveEverything, {
      input: { completed: Object.fromEntries(before.map((stage) => [stage, { output: 'earlier' }])), acceptancePassed: false },
    });
    const snapshot = await run.finished();
    expect(run.calls).toHaveLength(0);
    expect(snapshot.context.status).toBe('acceptance_test_failed');
    expect(snapshot.context.error).toMatch(/POST_REVIEW requires passed acceptance tests/);
  });
});

describe('skipping and resuming', () => {
  it('skips an optional stage the user named', async () => {
    const run = startWorkflow(defaultStages, approveEverything, { input: { skip: ['BUSINESS_PROBLEM'] } });
    const snapshot = await run.finished();
    expect(run.callsTo('BUSINESS_PROBLEM')).toHaveLength(0);
    expect(snapshot.context.stages.BUSINESS_PROBLEM?.status).toBe('skipped');
    expect(run.emitted).toContainEqual({ type: 'stage.skipped', stage: 'BUSINESS_PROBLEM' });
  });

  it('passes through stages the input records as completed, inside a group too', async () => {
    const run = startWorkflow(defaultStages, approveEverything, {
      input: { completed: { SETUP: {}, BUSINESS_PROBLEM: {}, SPEC: { output: 'spec' }, SPEC_REVIEW: {}, RESEARCH: { output: 'r' } } },
    });
    await run.finished();
    expect(run.calls[0]!.input.stage).toBe('TEST_STRATEGY');
    expect(run.callsTo('RESEARCH')).toHaveLength(0);
  });
});

describe('resumed parallel groups', () => {
  const before = (stages: string[]) => Object.fromEntries(stages.map((stage) => [stage, { output: `${stage} earlier` }]));
  const groupEvents = (run: ReturnType<typeof startWorkflow>) => run.emitted.filter((event) => event.type.startsWith('group.'));

  it('say nothing for a group whose stages were all complete before it was entered', async () => {
    const run = startWorkflow(defaultStages, approveEverything, {
      input: { completed: before(['SETUP', 'BUSINESS_PROBLEM', 'SPEC', 'SPEC_REVIEW', 'RESEARCH', 'TEST_STRATEGY']) },
    });
    const snapshot = await run.finished();
    expect(snapshot.context.status).toBe('complete');
    expect(run.calls[0]!.input.stage).toBe('PLAN');
    expect(groupEvents(run)).toEqual([]);
    expect(run.emitted.filter((event) => 'stage' in event && ['RESEARCH', 'TEST_STRATEGY'].includes(event.stage))).toEqual([]);
    expect(snapshot.context.groupsCompletedEarlier).toEqual(['post_spec_review']);
  });

  it('name the stages still to run when some were complete', async () => {
    const run = startWorkflow(defaultStages, approveEverything, {
      input: { completed: before(['SETUP', 'BUSINESS_PROBLEM', 'SPEC', 'SPEC_REVIEW', 'RESEARCH']) },
    });
    await run.finished();
    expect(groupEvents(run)).toEqual([
      { type: 'group.started', group: 'post_spec_review', stages: ['RESEARCH', 'TEST_STRATEGY'], remaining: ['TEST_STRATEGY'] },
      { type: 'group.completed', group: 'post_spec_review', stages: ['RESEARCH', 'TEST_STRATEGY'] },
    ]);
  });

  it('leave remaining out when the whole group runs', async () => {
    const run = startWorkflow(defaultStages, approveEverything);
    await run.finished();
    expect(groupEvents(run)[0]).toEqual({ type: 'group.started', group: 'post_spec_review', stages: ['RESEARCH', 'TEST_STRATEGY'] });
    expect(run.actor.getSnapshot().context.groupsCompletedEarlier).toBeUndefined();
  });
});

describe('custom workflows', () => {
  it('runs new stage names and two groups, one of three stages, in the right order', async () => {
    const config = stagesFrom(readFileSync(new URL('../../fixtures/custom-stages.yaml', import.meta.url), 'utf8'));
    const run = startWorkflow(config, (input) => (['LINT', 'SECURITY_AUDIT', 'DOCS'].includes(input.stage) ? 'hold' : { output: 'ok' }));
    await until(run.actor, () => run.calls.length === 4);
    expect(run.calls.map((call) => call.input.stage)).toEqual(['SETUP', 'LINT', 'SECURITY_AUDIT', 'DOCS']);
    for (const call of run.calls.slice(1)) call.resolve({ output: 'ok' });
    const snapshot = await run.finished();
    expect(snapshot.value).toBe('DONE');
    expect(run.calls.map((call) => call.input.stage)).toEqual(['SETUP', 'LINT', 'SECURITY_AUDIT', 'DOCS', 'BUILD', 'DEPLOY', 'SMOKE_TEST']);
  });
});

describe('persisted snapshots', () => {
  it('restore mid-group and re-run only the unfinished stage', async () => {
    const first = startWorkflow(defaultStages, (input) =>
      input.stage === 'TEST_STRATEGY' ? 'hold' : approveEverything(input));
    await until(first.actor, () => first.actor.getSnapshot().context.stages.RESEARCH?.status === 'completed');
    const persisted = JSON.parse(JSON.stringify(first.actor.getPersistedSnapshot())) as unknown;
    first.actor.stop();
    expect(first.callsTo('TEST_STRATEGY')[0]!.signal.aborted).toBe(true);

    const { createActor, fromPromise, waitFor } = await import('xstate');
    const { compileWorkflow } = await import('../../../machines/workflow/compileWorkflow.js');
    const stages: string[] = [];
    const stageAgent = fromPromise<{ output: string }, StageAgentInput>(async ({ input }) => {
      stages.push(input.stage);
      return approveEverything(input);
    });
    const restored = createActor(compileWorkflow(defaultStages).provide({ actors: { stageAgent } }), {
      snapshot: persisted as never,
      input: {},
    });
    const groupEvents: unknown[] = [];
    restored.on('*', (event) => { if (event.type.startsWith('group.')) groupEvents.push(event); });
    // Restored inside the group, which is not entered again: the session logs what restartedGroups gives.
    expect(restartedGroups(defaultStages, restored.getSnapshot().context)).toEqual([
      { type: 'group.started', group: 'post_spec_review', stages: ['RESEARCH', 'TEST_STRATEGY'], remaining: ['TEST_STRATEGY'] },
    ]);
    restored.start();
    const snapshot = await waitFor(restored, (state) => state.status === 'done');
    expect(groupEvents).toEqual([{ type: 'group.completed', group: 'post_spec_review', stages: ['RESEARCH', 'TEST_STRATEGY'] }]);
    expect(restartedGroups(defaultStages, snapshot.context)).toEqual([]);
    expect(snapshot.context.status).toBe('complete');
    expect(stages[0]).toBe('TEST_STRATEGY');
    expect(stages).not.toContain('RESEARCH');
    expect(snapshot.context.stages.RESEARCH?.output).toBe('RESEARCH done');
  });
});

describe('review loop: what the next work call is given', () => {
  it('gives the iteration-2 work call its previous attempt and the feedback, JSON only', async () => {
    let works = 0;
    const run = startWorkflow(defaultStages, (input) => {
      if (input.stage !== 'PLAN_REVIEW') return approveEverything(input);
      if (input.role === 'work') return { output: `plan v${++works}` };
      return { output: input.workOutput === 'plan v1' ? 'REJECTED: tasks have no verification step' : 'VERIFIED_APPROVED: good' };
    });
    const snapshot = await run.finished();
    expect(snapshot.context.status).toBe('complete');
    const calls = run.callsTo('PLAN_REVIEW').map((call) => call.input);
    expect(calls.map((input) => `${input.role}${input.iteration}`)).toEqual(['work1', 'review1', 'work2', 'review2']);
    expect(calls[0]).not.toHaveProperty('previousAttempt');
    expect(calls[1]).toMatchObject({ workOutput: 'plan v1' });
    expect(calls[2]).toEqual({
      stage: 'PLAN_REVIEW', role: 'work', iteration: 2, previousAttempt: 'plan v1', feedback: 'tasks have no verification step',
    });
    expect(calls[3]).toMatchObject({ role: 'review', iteration: 2, workOutput: 'plan v2' });
    expect(JSON.parse(JSON.stringify(calls[2]))).toEqual(calls[2]);
  });
});

describe('review failure report', () => {
  it('tells every iteration\'s feedback, the last work and how to continue, from a review_failed run', async () => {
    const { reviewFailureReport, writeReviewFailureReport } = await import('../../../machines/session/reviewFailureReport.js');
    const { mkdtempSync, readFileSync: read } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    let works = 0;
    const run = startWorkflow(defaultStages, (input) => {
      if (input.stage !== 'SPEC_REVIEW') return approveEverything(input);
      if (input.role === 'work') return { output: `spec v${++works}` };
      return { output: `REJECTED: problem ${input.iteration}` };
    });
    const snapshot = await run.finished();
    expect(snapshot.context.status).toBe('review_failed');
    const iterations = run.emitted.flatMap((event) => (event.type === 'review.iteration' && event.stage === 'SPEC_REVIEW' ? [event] : []));
    const input = { stage: 'SPEC_REVIEW', maxIterations: 4, iterations, lastWork: snapshot.context.stages.SPEC_REVIEW?.workOutput };

    const report = reviewFailureReport(input);
    expect(report.startsWith('# SPEC_REVIEW was not approved\n')).toBe(true);
    expect(report).toContain('rejected SPEC_REVIEW in 4 of 4 iterations');
    expect(report).toContain('`review_failed`');
    for (const iteration of [1, 2, 3, 4]) {
      expect(report).toContain(`### Iteration ${iteration} of 4: rejected\n\`\`\`\nproblem ${iteration}\n\`\`\``);
    }
    expect(report).toContain('## The last work output\n\n```\nspec v4\n```');
    expect(report).toContain('`teambot run --resume <feature dir> --rerun SPEC_REVIEW`');
    expect(report).toMatch(/raise `max_iterations` of SPEC_REVIEW in stages\.yaml \(now 4/);
    expect(report).toContain('`teambot run --resume <feature dir> --rerun SPEC_REVIEW --force`');
    expect(reviewFailureReport({ ...input, iterations: [], lastWork: undefined })).toContain('## The last work output\n\n(none recorded)');

    const featureDir = join(mkdtempSync(join(tmpdir(), 'teambot-report-')), 'spec-feature');
    const path = await writeReviewFailureReport(featureDir, input);
    expect(path).toBe(join(featureDir, 'failures', 'SPEC_REVIEW-review.md'));
    const written = read(path, 'utf8');
    expect(written).toContain(`teambot run --resume ${featureDir} --rerun SPEC_REVIEW`);
    expect(written).toBe(reviewFailureReport({ ...input, featureDir }));
  });
});
